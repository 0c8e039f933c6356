//! Zendesk's error replies. Shapes as the adapter's module docs record them
//! (`adapters/zendesk/src/lib.rs`, evidence [R]): 422 `{"error":"RecordInvalid","description","details":{field:[{description,
//! error}]}}`. The others follow what Zendesk is widely seen to send; where unsure (`[U]`)
//! they are marked.

use std::collections::BTreeMap;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// One entry of a `RecordInvalid` reply's `details`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub description: String,
    /// `InvalidValue`, `BlankValue`, …
    pub error: String,
    /// For custom fields: the field's id (`field_key` in Zendesk's entries under `base`).
    pub field_key: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ApiError {
    /// 401 `{"error":"Couldn't authenticate you"}`.
    Unauthorized,
    /// 404 `RecordNotFound`.
    NotFound,
    /// 422 `RecordInvalid`, details by attribute name.
    Invalid(BTreeMap<String, Vec<FieldError>>),
    /// 400 with a message: a parameter or body the API cannot read `[U]`.
    BadRequest(String),
    /// 422 past `search.json`'s result window.
    SearchWindow(u32),
    /// 409 `UpdateConflict`: `safe_update` with a stale `updated_stamp`.
    Conflict,
    /// 429 (the pipeline adds `Retry-After`) `[U: body]`.
    RateLimited,
    /// Injected server errors: an HTML page, as a load balancer sends it.
    Server(StatusCode),
}

impl ApiError {
    /// A `RecordInvalid` naming one attribute.
    pub fn invalid(attribute: &str, error: &str, description: String) -> Self {
        Self::Invalid(BTreeMap::from([(
            attribute.to_owned(),
            vec![FieldError {
                description,
                error: error.to_owned(),
                field_key: None,
            }],
        )]))
    }
}

fn body(status: StatusCode, v: Value) -> Response {
    (status, axum::Json(v)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthorized => body(
                StatusCode::UNAUTHORIZED,
                json!({"error": "Couldn't authenticate you"}),
            ),
            Self::NotFound => body(
                StatusCode::NOT_FOUND,
                json!({"error": "RecordNotFound", "description": "Not found"}),
            ),
            Self::Invalid(details) => {
                let details: serde_json::Map<String, Value> = details
                    .into_iter()
                    .map(|(k, errs)| {
                        let list = errs
                            .into_iter()
                            .map(|e| {
                                let mut v = json!({"description": e.description, "error": e.error});
                                if let Some(key) = e.field_key {
                                    v["field_key"] = json!(key);
                                }
                                v
                            })
                            .collect();
                        (k, Value::Array(list))
                    })
                    .collect();
                body(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json!({"error": "RecordInvalid", "description": "Record validation errors", "details": details}),
                )
            }
            Self::BadRequest(message) => body(
                StatusCode::BAD_REQUEST,
                json!({"error": "InvalidParameter", "description": message}),
            ),
            Self::SearchWindow(limit) => body(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "invalid", "description": format!(
                    "Requested response size was greater than Search Response Limits ({limit} results)"
                )}),
            ),
            Self::Conflict => body(
                StatusCode::CONFLICT,
                json!({"error": "UpdateConflict", "description": "Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again."}),
            ),
            Self::RateLimited => body(
                StatusCode::TOO_MANY_REQUESTS,
                json!({"error": "APIRateLimitExceeded", "description": "Number of allowed API requests per minute exceeded"}),
            ),
            Self::Server(status) => {
                let title = format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("Error")
                );
                (
                    status,
                    [(header::CONTENT_TYPE, "text/html")],
                    format!("<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"),
                )
                    .into_response()
            }
        }
    }
}
