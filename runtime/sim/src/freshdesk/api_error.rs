//! Freshdesk's error replies, byte for byte where the reference knows them.
//!
//! Adapters branch on these bodies (field names, `code` values), so they are built in one place
//! rather than ad hoc in each handler.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One entry of a 400 reply's `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>, code: &str) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            code: code.to_owned(),
        }
    }

    /// `invalid_field`: a key the endpoint does not accept.
    pub fn unexpected(field: impl Into<String>) -> Self {
        Self::new(
            field,
            "Unexpected/invalid field in request",
            "invalid_field",
        )
    }

    /// `invalid_value`: a value outside the allowed set.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(field, message, "invalid_value")
    }

    /// `datatype_mismatch`: a value of the wrong JSON type.
    pub fn mismatch(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(field, message, "datatype_mismatch")
    }

    /// `missing_field`: a required key is absent.
    pub fn missing(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(field, message, "missing_field")
    }
}

/// An error reply of the API.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 400 `{"description":"Validation failed","errors":[…]}`.
    Validation(Vec<FieldError>),
    /// 400 for a body that is not JSON.
    InvalidJson,
    /// 401 with Freshdesk's login message.
    Unauthorized,
    /// 404 with an empty body.
    NotFound,
    /// 405 for a known path with another method.
    MethodNotAllowed,
    /// 415 when a body is not sent as `application/json`.
    UnsupportedMediaType,
    /// 429; the limiter adds `Retry-After`.
    RateLimited,
    /// Injected 500.
    Internal,
    /// Injected 503.
    Unavailable,
}

impl ApiError {
    /// A validation failure with one entry.
    pub fn field(error: FieldError) -> Self {
        Self::Validation(vec![error])
    }

    /// The HTTP status of this reply.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::InvalidJson => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

#[derive(Serialize)]
struct ValidationBody<'a> {
    description: &'static str,
    errors: &'a [FieldError],
}

fn coded(code: &str, message: &str) -> serde_json::Value {
    serde_json::json!({ "code": code, "message": message })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            Self::Validation(errors) => (
                status,
                Json(ValidationBody {
                    description: "Validation failed",
                    errors,
                }),
            )
                .into_response(),
            Self::InvalidJson => (
                status,
                Json(ValidationBody {
                    description: "Validation failed",
                    errors: &[FieldError::new(
                        "",
                        "Request body has invalid json format",
                        "invalid_json",
                    )],
                }),
            )
                .into_response(),
            Self::Unauthorized => (
                status,
                Json(coded(
                    "invalid_credentials",
                    "You have to be logged in to perform this action.",
                )),
            )
                .into_response(),
            Self::NotFound => status.into_response(),
            Self::MethodNotAllowed => (
                status,
                Json(coded(
                    "method_not_allowed",
                    "This method is not allowed on this resource.",
                )),
            )
                .into_response(),
            Self::UnsupportedMediaType => (
                status,
                Json(coded(
                    "invalid_content_type",
                    "Content-Type header should have application/json",
                )),
            )
                .into_response(),
            Self::RateLimited => (
                status,
                Json(coded(
                    "rate_limit_exceeded",
                    "You have exceeded the limit of requests per minute",
                )),
            )
                .into_response(),
            Self::Internal => (
                status,
                Json(coded(
                    "internal_error",
                    "We're sorry, but something went wrong.",
                )),
            )
                .into_response(),
            Self::Unavailable => (
                status,
                Json(coded(
                    "service_unavailable",
                    "The server is temporarily unable to handle the request.",
                )),
            )
                .into_response(),
        }
    }
}
