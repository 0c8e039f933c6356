//! The library's error type: what can go wrong when starting a simulator or loading its data.

use std::path::PathBuf;

/// Errors from starting a simulator or preparing its data.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid ticket file: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("invalid ticket data: {0}")]
    Data(String),
    #[error("invalid configuration: {0}")]
    Config(String),
}
