//! Talking to Zammad through the host: where `/api/v1` is, and Zammad's error replies as
//! typed errors.

use serde::Serialize;
use serde_json::Value;
use triage_adapter_sdk::http::{Method, Reply, Request};
use triage_adapter_sdk::{config, errors, AdapterError, AdapterResult};

use crate::map;

/// Where `/api/v1` is, from the `base_url` setting (the server root, e.g.
/// `https://helpdesk.example.com` or a simulator's `http://127.0.0.1:PORT`; a value already
/// ending in `/api/v1` is used as it is); without it, paths resolve against the connection's
/// base URL.
pub fn api_root(base_url: Option<&str>) -> String {
    match base_url.map(|b| b.trim().trim_end_matches('/')) {
        Some(b) if b.ends_with("/api/v1") => b.to_owned(),
        Some(b) => format!("{b}/api/v1"),
        None => "/api/v1".to_owned(),
    }
}

/// The URL of an API path (`/tickets/1`) for this connection.
pub fn url(path: &str) -> String {
    format!("{}{path}", api_root(config::get("base_url").as_deref()))
}

/// Zammad's replies as typed errors: a 422 names the field it can (see
/// [`map::validation_errors`]; `sent` are the body's keys); everything else
/// (401/403/404/429/5xx) means what it usually means.
pub fn check(reply: Reply, sent: &[String]) -> AdapterResult<Reply> {
    if reply.is_success() {
        return Ok(reply);
    }
    if reply.status == 422 {
        return Err(AdapterError::Validation(map::validation_errors(
            &reply.body,
            sent,
        )));
    }
    Err(errors::from_status(&reply))
}

/// GET an API path and decode the JSON answer.
pub fn get(path: &str) -> AdapterResult<Value> {
    check(Request::new(Method::Get, url(path)).send()?, &[])?.json()
}

/// Send a JSON object to an API path and decode the JSON answer.
pub fn send<B: Serialize + ?Sized>(method: Method, path: &str, body: &B) -> AdapterResult<Value> {
    let value = serde_json::to_value(body).expect("request body serialises");
    let sent: Vec<String> = value
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    check(Request::new(method, url(path)).json(&value).send()?, &sent)?.json()
}

/// Adds the ticket to a 404's message.
pub fn about(id: u64, e: AdapterError) -> AdapterError {
    match e {
        AdapterError::NotFound(m) => AdapterError::NotFound(format!("ticket {id}: {m}")),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_root_from_settings() {
        assert_eq!(
            api_root(Some("https://helpdesk.example.com/")),
            "https://helpdesk.example.com/api/v1"
        );
        assert_eq!(api_root(Some("http://h/api/v1")), "http://h/api/v1");
        assert_eq!(api_root(None), "/api/v1");
    }
}
