//! Zammad's error replies, following `application_controller/handles_errors.rb`.
//!
//! Every error is `{"error": …, "error_human": …}`, but what an adapter reads depends on the
//! exception and the caller: "Validation failed: X, Y" is cut to its first part `X`; lookups,
//! not-found and auth errors are shown as they are; anything else (`ArgumentError`, database
//! errors) reaches non-admin users only as `Error ID xxx: Please contact your administrator.`

use std::sync::atomic::{AtomicU64, Ordering};

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// An error reply of the API.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 404 `Couldn't find Ticket with 'id'=5` (ActiveRecord::RecordNotFound).
    NotFound(String),
    /// 404 for a path no route matches.
    NoRoute { method: String, path: String },
    /// 422 shown as it is (Exceptions::UnprocessableEntity).
    Unprocessable(String),
    /// 422 from a model validation; the message is the validation's full text
    /// (`Triage confidence is larger than …`), sent as `Validation failed: …`.
    Invalid(Vec<String>),
    /// 422 for an `ArgumentError` or a database error: hidden from non-admins.
    Internal422 { message: String, admin: bool },
    /// 400 for a body that is not JSON.
    BadJson,
    /// 401 (bad token), with `X-Failure`.
    Unauthorized(String),
    /// 403 (no credentials, or not permitted), with `X-Failure`.
    Forbidden(String),
    /// 429 from the throttle in front of Zammad; `Retry-After` is added by the pipeline.
    RateLimited,
    /// An injected 5xx: 500 from Zammad itself, others from the reverse proxy (HTML).
    Injected { status: u16, admin: bool },
}

static ERROR_IDS: AtomicU64 = AtomicU64::new(1);

/// A fresh `Error ID` like Zammad's 8-character ids.
fn error_id() -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut n = ERROR_IDS
        .fetch_add(1, Ordering::Relaxed)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..8)
        .map(|_| {
            let c = ABC[(n % 64) as usize] as char;
            n /= 64;
            c
        })
        .collect()
}

/// `humanize_error`: the `{error, error_human}` body for an exception message.
/// `shown`: the exception class is one Zammad shows as it is.
pub fn humanize(message: &str, shown: bool, admin: bool) -> Value {
    let mut body = Map::new();
    let human = match message.find("Validation failed: ") {
        Some(i) => {
            let rest = &message[i + "Validation failed: ".len()..];
            Some(rest.split(',').next().unwrap_or(rest).to_owned())
        }
        None if shown => Some(message.to_owned()),
        None => None,
    };
    match human {
        Some(h) => {
            body.insert("error".into(), json!(h));
            body.insert("error_human".into(), json!(h));
        }
        None if admin => {
            body.insert("error".into(), json!(message));
        }
        None => {
            body.insert(
                "error".into(),
                json!(format!(
                    "Error ID {}: Please contact your administrator.",
                    error_id()
                )),
            );
        }
    }
    Value::Object(body)
}

fn reply(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

fn with_failure(mut r: Response, message: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(message) {
        r.headers_mut().insert("x-failure", v);
    }
    r
}

/// The page nginx shows for a gateway error.
fn proxy_page(status: StatusCode) -> Response {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let html = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    (status, [(header::CONTENT_TYPE, "text/html")], html).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::NotFound(m) => reply(StatusCode::NOT_FOUND, humanize(&m, true, false)),
            Self::NoRoute { method, path } => reply(
                StatusCode::NOT_FOUND,
                humanize(&format!("No route matches [{method}] {path}"), true, false),
            ),
            Self::Unprocessable(m) => {
                reply(StatusCode::UNPROCESSABLE_ENTITY, humanize(&m, true, false))
            }
            Self::Invalid(problems) => reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                humanize(
                    &format!("Validation failed: {}", problems.join(", ")),
                    false,
                    false,
                ),
            ),
            Self::Internal422 { message, admin } => reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                humanize(&message, false, admin),
            ),
            Self::BadJson => reply(
                StatusCode::BAD_REQUEST,
                json!({"error": "Error occurred while parsing request parameters"}),
            ),
            Self::Unauthorized(m) => with_failure(
                reply(StatusCode::UNAUTHORIZED, humanize(&m, true, false)),
                &m,
            ),
            Self::Forbidden(m) => {
                with_failure(reply(StatusCode::FORBIDDEN, humanize(&m, true, false)), &m)
            }
            Self::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "text/plain")],
                "Retry later\n",
            )
                .into_response(),
            Self::Injected { status, admin } => {
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                if status == StatusCode::INTERNAL_SERVER_ERROR {
                    let m = "undefined method `[]' for nil:NilClass";
                    reply(status, humanize(m, false, admin))
                } else {
                    proxy_page(status)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanize_follows_zammad() {
        let v = humanize(
            "Validation failed: Title can't be blank, Group can't be blank",
            false,
            false,
        );
        assert_eq!(v["error"], "Title can't be blank");
        assert_eq!(v["error_human"], "Title can't be blank");
        let v = humanize("No lookup value found for 'group': \"X\"", true, false);
        assert_eq!(v["error_human"], "No lookup value found for 'group': \"X\"");
        let v = humanize("Invalid value for param 'group_id': 99", false, false);
        let e = v["error"].as_str().unwrap();
        assert!(e.starts_with("Error ID ") && e.ends_with(": Please contact your administrator."));
        assert!(v.get("error_human").is_none());
        let v = humanize("Invalid value for param 'group_id': 99", false, true);
        assert_eq!(v["error"], "Invalid value for param 'group_id': 99");
        assert_ne!(error_id(), error_id());
    }
}
