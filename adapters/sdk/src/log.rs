//! Lines for the operator's log; the host tags them with the connection.

use crate::bindings::triage::adapter::log::{log, Level};

/// Debug detail.
pub fn debug(message: &str) {
    log(Level::Debug, message);
}

/// Normal operation.
pub fn info(message: &str) {
    log(Level::Info, message);
}

/// Something the operator may want to look at.
pub fn warn(message: &str) {
    log(Level::Warn, message);
}

/// Something failed.
pub fn error(message: &str) {
    log(Level::Error, message);
}
