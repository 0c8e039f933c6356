//! Talking to RT's REST2 through the host: URLs, RT's error replies, ETags.
//!
//! RT answers errors as `{"message": "…"}` (a 401 from the auth layer is plain text).
//! Two oddities are handled where they occur: `PUT /ticket/:id` answers 200 with a list
//! of messages even when it refused a value (see `update`), and `POST …/comment` answers
//! 400 for a ticket that does not exist or may not be commented on (see `lib`).

use serde::Serialize;
use serde_json::Value;
use triage_adapter_sdk::http::{Method, Reply, Request};
use triage_adapter_sdk::{config, errors, AdapterError, AdapterResult, FieldError};

use crate::settings;

/// The URL of a REST2 path (`/ticket/1`) for this connection.
pub fn url(path: &str) -> String {
    format!(
        "{}{path}",
        settings::api_root(config::get("base_url").as_deref())
    )
}

/// RT's `message`, or the start of the body.
pub fn message(reply: &Reply) -> String {
    serde_json::from_slice::<Value>(&reply.body)
        .ok()
        .and_then(|v| v["message"].as_str().map(|m| m.trim().to_owned()))
        .unwrap_or_else(|| errors::snippet(&reply.body))
}

/// RT's error replies as typed errors.
pub fn check(reply: Reply) -> AdapterResult<Reply> {
    if reply.is_success() {
        return Ok(reply);
    }
    let msg = message(&reply);
    Err(match reply.status {
        // A TicketSQL error, a malformed body, a refused value.
        400 | 422 if msg.eq_ignore_ascii_case("permission denied") => {
            AdapterError::Forbidden(format!("HTTP {}: {msg}", reply.status))
        }
        400 | 422 => AdapterError::Validation(vec![FieldError {
            field: String::new(),
            code: "invalid".into(),
            message: format!("RT refused the request (HTTP {}): {msg}", reply.status),
        }]),
        412 => AdapterError::Conflict(format!("the ticket changed since it was read: {msg}")),
        _ => errors::from_status(&reply),
    })
}

/// GET an API path.
pub fn get(path: &str) -> AdapterResult<Reply> {
    check(Request::new(Method::Get, url(path)).send()?)
}

/// Send a JSON body to an API path, with extra headers.
pub fn send<B: Serialize + ?Sized>(
    method: Method,
    path: &str,
    body: &B,
    headers: &[(&str, &str)],
) -> AdapterResult<Reply> {
    let mut request = Request::new(method, url(path)).json(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    check(request.send()?)
}

/// The version of a record: its `ETag` without quotes (RT's is the id of the newest
/// transaction), so that it reads as a plain token.
pub fn etag(reply: &Reply) -> Option<String> {
    reply
        .header("etag")
        .map(|e| {
            e.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .to_owned()
        })
        .filter(|e| !e.is_empty())
}

/// An `If-Match` value for a version [`etag`] produced.
pub fn if_match(version: &str) -> String {
    format!("\"{}\"", version.trim().trim_matches('"'))
}

/// A collection reply's `items`, `total` and `count`.
pub fn items(reply: &Reply) -> AdapterResult<(Vec<Value>, Option<u64>)> {
    let body: Value = reply.json()?;
    let items = body["items"].as_array().cloned().ok_or_else(|| {
        AdapterError::Protocol(format!(
            "an RT collection without items: {}",
            errors::snippet(&reply.body)
        ))
    })?;
    Ok((items, body["total"].as_u64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str, headers: &[(&str, &str)]) -> Reply {
        Reply {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn errors_are_typed() {
        let cases = [
            (401, "Authorization required"),
            (403, r#"{"message":"Forbidden"}"#),
            (404, r#"{"message":"Resource does not exist"}"#),
            (400, r#"{"message":"Unknown field: Bogus at …"}"#),
            (400, r#"{"message":"Permission Denied"}"#),
            (412, r#"{"message":"Precondition Failed"}"#),
            (503, ""),
        ];
        let got: Vec<String> = cases
            .iter()
            .map(|(s, b)| match check(reply(*s, b, &[])).unwrap_err() {
                AdapterError::Auth(_) => "auth",
                AdapterError::Forbidden(_) => "forbidden",
                AdapterError::NotFound(_) => "not-found",
                AdapterError::Validation(f) => {
                    assert!(f[0].message.contains("Unknown field: Bogus"));
                    "validation"
                }
                AdapterError::Conflict(_) => "conflict",
                AdapterError::Transient(_) => "transient",
                other => panic!("{other:?}"),
            })
            .map(str::to_owned)
            .collect();
        assert_eq!(
            got,
            [
                "auth",
                "forbidden",
                "not-found",
                "validation",
                "forbidden",
                "conflict",
                "transient"
            ]
        );
    }

    #[test]
    fn etags_lose_their_quotes() {
        assert_eq!(
            etag(&reply(200, "", &[("etag", "\"1398\"")])).as_deref(),
            Some("1398")
        );
        assert_eq!(etag(&reply(200, "", &[])), None);
        assert_eq!(if_match("1398"), "\"1398\"");
        assert_eq!(if_match("\"7\""), "\"7\"");
    }
}
