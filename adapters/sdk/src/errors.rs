//! Turning HTTP outcomes into the contract's typed errors, the same way for every
//! adapter, so the pipeline can retry what is worth retrying. `http` knows nothing of this
//! module: it converts through the `From` impls here.

pub use crate::http::snippet;
use crate::http::{HttpError, Reply};
use crate::{AdapterError, FieldError};

impl From<&Reply> for AdapterError {
    fn from(reply: &Reply) -> Self {
        from_status(reply)
    }
}

impl From<HttpError> for AdapterError {
    fn from(e: HttpError) -> Self {
        from_http(e)
    }
}

/// The usual meaning of a non-2xx status. Adapters whose system has a richer
/// error body (validation details) map those first and fall back to this.
pub fn from_status(reply: &Reply) -> AdapterError {
    let detail = format!("HTTP {}: {}", reply.status, snippet(&reply.body));
    match reply.status {
        401 => AdapterError::Auth(detail),
        403 => AdapterError::Forbidden(detail),
        404 => AdapterError::NotFound(detail),
        409 | 412 => AdapterError::Conflict(detail),
        429 => AdapterError::RateLimited(retry_after_ms(reply)),
        400 | 422 => AdapterError::Validation(vec![FieldError {
            field: String::new(),
            code: "invalid".into(),
            message: detail,
        }]),
        500..=599 | 408 => AdapterError::Transient(detail),
        _ => AdapterError::Protocol(detail),
    }
}

/// A validation error on one field of the request (code `invalid_value`).
pub fn invalid(field: &str, message: String) -> AdapterError {
    AdapterError::Validation(vec![FieldError {
        field: field.into(),
        code: "invalid_value".into(),
        message,
    }])
}

/// Transport failures: timeouts and dropped connections are transient; a
/// refused origin or an oversized answer is not.
pub fn from_http(e: HttpError) -> AdapterError {
    match e {
        HttpError::Denied(m) => {
            AdapterError::Forbidden(format!("the host refused the request: {m}"))
        }
        HttpError::Timeout => AdapterError::Transient("request timed out".into()),
        HttpError::Connect(m) => AdapterError::Transient(format!("connection failed: {m}")),
        HttpError::TooLarge(n) => {
            AdapterError::Protocol(format!("response larger than the host's cap of {n} bytes"))
        }
        HttpError::RequestLimit(n) => AdapterError::Protocol(format!(
            "this call needed more than the {n} requests the host allows per call"
        )),
        HttpError::InvalidRequest(m) => AdapterError::Protocol(format!("invalid request: {m}")),
        HttpError::Protocol(m) => AdapterError::Transient(format!("HTTP protocol error: {m}")),
    }
}

/// `Retry-After` in milliseconds: delta-seconds (what ticket systems send).
pub fn retry_after_ms(reply: &Reply) -> Option<u64> {
    let value = reply.header("retry-after")?.trim();
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| (s * 1000.0) as u64)
}
