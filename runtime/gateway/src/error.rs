//! Errors the gateway returns to the host, which hands them to the adapter as
//! the contract's `http-error`.

/// Why a request did not produce a response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// The origin is not allowed for this connection; nothing was sent.
    #[error("denied: {0}")]
    Denied(String),
    /// No answer within the request timeout.
    #[error("timed out")]
    Timeout,
    /// The response body exceeded the cap (bytes).
    #[error("response larger than {0} bytes")]
    TooLarge(u64),
    /// The call used up its request budget.
    #[error("more than {0} requests in one call")]
    RequestLimit(u32),
    /// Could not connect, or the connection dropped.
    #[error("connection failed: {0}")]
    Connect(String),
    /// The request is allowed nowhere in this call: a write in a read-only call, or text
    /// that would reach the customer. The host counts it as a sandbox fault of the call.
    #[error("denied: {0}")]
    Refused(String),
    /// The request is malformed or sets a header reserved to the host.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The peer broke HTTP.
    #[error("protocol error: {0}")]
    Protocol(String),
}
