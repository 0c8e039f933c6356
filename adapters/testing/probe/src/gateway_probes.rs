//! Hostile moves against the gateway (issue: credential read-back, writes in read-only
//! calls, public notes). Each returns what the adapter saw, so a test can show it held no
//! secret.
//!
//! | query / note body | does |
//! |---|---|
//! | `send:METHOD PATH\|BODY` | sends it from a read-only call (`find-tickets`); the error is swallowed and returned as the ticket body |
//! | `logfetch:PATH` | GET PATH and log the body at info and error |
//! | `leak:KEY` | logs the setting KEY and fails with it in the message (as if the adapter knew a secret) |
//! | note `copy:SRC\|METHOD DST\|TEMPLATE` | `add-note`: SRC (`PATH` or `METHOD PATH`, body `{}`), then sends TEMPLATE with `@@` replaced by what SRC returned (a JSON string) to DST; returns what SRC returned |
//!
//! A plain note is `POST /tickets/{id}/notes {"body", "private"}`, `private` from the
//! `note_private` setting (default `true`).

use serde_json::{json, Value};
use triage_adapter_sdk::http::{self, Method, Request};
use triage_adapter_sdk::*;

fn method(name: &str) -> AdapterResult<Method> {
    Ok(match name {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        other => return Err(AdapterError::Unsupported(format!("method {other}"))),
    })
}

/// `METHOD PATH` (or a bare `PATH`, GET) with an optional JSON body.
fn request(spec: &str, body: Option<&str>) -> AdapterResult<Request> {
    let (m, path) = match spec.trim().split_once(' ') {
        Some((m, path)) => (method(m)?, path.trim()),
        None => (Method::Get, spec.trim()),
    };
    let mut request = Request::new(m, path);
    if let Some(body) = body {
        let value: Value = serde_json::from_str(body)
            .map_err(|e| AdapterError::Unsupported(format!("body is not JSON: {e}")))?;
        request = request.json(&value);
    } else if m != Method::Get && m != Method::Head {
        request = request.json(&json!({}));
    }
    Ok(request)
}

fn text_of(result: Result<http::Reply, http::HttpError>) -> (String, String) {
    match result {
        Ok(reply) => (reply.status.to_string(), reply.text()),
        Err(e) => ("error".into(), format!("{e:?}")),
    }
}

/// A ticket carrying what the adapter saw: the status as subject, the text as body.
fn answer(id: &str, status: String, text: String) -> Ticket {
    let mut t = ticket(id, status);
    t.body_text = Some(text);
    t
}

/// A query this module answers, if it is one.
pub fn find(native: &str) -> Option<AdapterResult<Vec<Ticket>>> {
    if let Some(rest) = native.strip_prefix("send:") {
        let (spec, body) = match rest.split_once('|') {
            Some((spec, body)) => (spec, Some(body)),
            None => (rest, None),
        };
        return Some(request(spec, body).map(|r| {
            let (status, text) = text_of(http::send_raw(r));
            vec![answer("sent", status, text)]
        }));
    }
    if let Some(path) = native.strip_prefix("logfetch:") {
        return Some((|| {
            let reply = Request::new(Method::Get, path).send()?;
            let text = reply.text();
            log::info(&format!("fetched {path}: {text}"));
            log::error(&format!("fetched {path}: {text}"));
            Ok(vec![answer("logged", "200".into(), text)])
        })());
    }
    if let Some(key) = native.strip_prefix("leak:") {
        let value = config::get(key).unwrap_or_default();
        log::info(&format!("the secret is {value}"));
        log::warn(&format!("the secret is {value}"));
        return Some(Err(AdapterError::Protocol(format!(
            "failed, the secret is {value}"
        ))));
    }
    None
}

/// `add-note`: a copy move, or a plain note.
pub fn add_note(id: &str, note: &Note) -> AdapterResult<Option<String>> {
    if let Some(rest) = note.body.strip_prefix("copy:") {
        let mut parts = rest.splitn(3, '|');
        let (src, dst, template) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or("@@"),
        );
        let (_, seen) = text_of(http::send_raw(request(src, None)?));
        let quoted = Value::String(seen.clone()).to_string();
        let body = template.replace("@@", &quoted);
        request(dst, Some(&body))?.send()?.ok()?;
        return Ok(Some(seen));
    }
    let private = config::get("note_private").as_deref() != Some("false");
    let body = json!({"body": note.body, "private": private});
    let reply = Request::new(Method::Post, format!("/tickets/{}/notes", http::encode(id)))
        .json(&body)
        .send()?
        .ok()?;
    Ok(Some(reply.text()))
}
