//! GitLab's error replies, as API v4 (Grape) sends them: `{"message": "404 Issue Not Found"}`
//! for missing things, `{"message": {"attribute": ["is invalid"]}}` (400) when a model refuses
//! a value, `{"error": "due_date is invalid"}` (400) when a parameter fails Grape's own type
//! check, and a plain-text "Retry later" 429 from the throttle.

use std::collections::BTreeMap;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ApiError {
    /// 401 `{"message":"401 Unauthorized"}`.
    Unauthorized,
    /// 404 `{"message":"404 <what> Not Found"}` (`Issue`, `Project`).
    NotFound(&'static str),
    /// 400 `{"message":{attribute:[message]}}`: model validation.
    Invalid(BTreeMap<String, Vec<String>>),
    /// 400 `{"error":"…"}`: a parameter Grape refuses (`due_date is invalid`).
    BadParam(String),
    /// 429 "Retry later" (the pipeline adds `Retry-After` and `RateLimit-*`).
    RateLimited,
    /// Injected server errors: an HTML page, as a load balancer sends it.
    Server(StatusCode),
}

impl ApiError {
    /// A validation error naming one attribute.
    pub fn invalid(attribute: &str, message: &str) -> Self {
        Self::Invalid(BTreeMap::from([(
            attribute.to_owned(),
            vec![message.to_owned()],
        )]))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let json = |status, v| (status, axum::Json(v)).into_response();
        match self {
            Self::Unauthorized => json(
                StatusCode::UNAUTHORIZED,
                json!({"message": "401 Unauthorized"}),
            ),
            Self::NotFound(what) => json(
                StatusCode::NOT_FOUND,
                json!({"message": format!("404 {what} Not Found")}),
            ),
            Self::Invalid(fields) => json(StatusCode::BAD_REQUEST, json!({"message": fields})),
            Self::BadParam(message) => json(StatusCode::BAD_REQUEST, json!({"error": message})),
            Self::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "text/plain")],
                "Retry later\n",
            )
                .into_response(),
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
