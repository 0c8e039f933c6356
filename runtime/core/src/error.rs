//! Typed adapter errors: what the ticket system said, or what the sandbox did.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Field name as the system names it (`custom_fields.cf_plan`).
    pub field: String,
    /// Machine code (`invalid_value`).
    pub code: String,
    /// The system's message.
    pub message: String,
}

/// Why an adapter call failed.
///
/// The first group is reported by the adapter about its ticket system; `Sandbox`
/// is the host's verdict on the adapter itself (trap, deadline, memory, ...).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdapterError {
    /// Credentials missing or refused.
    #[error("authentication failed: {0}")]
    Auth(String),
    /// Not allowed.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// No such ticket or entity.
    #[error("not found: {0}")]
    NotFound(String),
    /// The system refused values.
    #[error("validation failed: {}", describe_fields(.0))]
    Validation(Vec<FieldError>),
    /// Rate limited; retry after the given time when known.
    #[error("rate limited{}", .0.map(|d| format!(" (retry after {} ms)", d.as_millis())).unwrap_or_default())]
    RateLimited(Option<Duration>),
    /// The ticket changed since it was read.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Worth retrying.
    #[error("transient failure: {0}")]
    Transient(String),
    /// Not supported by the system or adapter.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The system answered something unexpected.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// The adapter itself misbehaved and was stopped by the sandbox.
    #[error("adapter {adapter} faulted ({kind}): {detail}")]
    Sandbox {
        /// Adapter name or file.
        adapter: String,
        /// What kind of fault.
        kind: SandboxFault,
        /// Details for the operator.
        detail: String,
    },
}

/// How the sandbox stopped an adapter call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SandboxFault {
    /// Ran past its deadline.
    Deadline,
    /// Tried to use more memory than allowed.
    Memory,
    /// Trapped (panic, unreachable, out-of-bounds).
    Trap,
    /// Returned a value the host cannot accept (bad timestamp, bad JSON).
    BadOutput,
    /// Could not be instantiated.
    Instantiate,
    /// Sent a request the call may not make (a write in a read-only call, a public note).
    Denied,
    /// Wrote more log or stdout/stderr than its output budget; the excess was dropped.
    /// Contained without failing the call: counted, never returned as an error.
    #[serde(rename = "log_flood")]
    LogFlood,
}

impl SandboxFault {
    /// Stable label for metrics and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deadline => "deadline",
            Self::Memory => "memory",
            Self::Trap => "trap",
            Self::BadOutput => "bad-output",
            Self::Instantiate => "instantiate",
            Self::Denied => "denied",
            Self::LogFlood => "log_flood",
        }
    }
}

impl std::fmt::Display for SandboxFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AdapterError {
    /// Whether retrying the same call later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::RateLimited(_) | Self::Transient(_))
    }
}

fn describe_fields(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {} ({})", f.field, f.message, f.code))
        .collect::<Vec<_>>()
        .join("; ")
}
