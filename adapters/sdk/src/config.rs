//! The adapter's settings (non-secret) from the operator's configuration.

use crate::bindings::triage::adapter::config as host;
use crate::AdapterError;

/// A setting, if the operator gave it.
pub fn get(key: &str) -> Option<String> {
    host::get(key).filter(|v| !v.is_empty())
}

/// A setting the adapter cannot work without; the error names the key.
pub fn required(key: &str) -> Result<String, AdapterError> {
    get(key).ok_or_else(|| {
        AdapterError::Unsupported(format!("setting {key:?} is missing from the connection"))
    })
}

/// All settings.
pub fn entries() -> Vec<(String, String)> {
    host::entries()
}
