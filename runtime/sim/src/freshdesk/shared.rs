//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex, MutexGuard};

use super::ratelimit::Limiter;
use super::store::{Schema, Store};
use crate::faults::FaultState;
use crate::log::RequestLog;

/// One account plus its traffic controls. Each part has its own lock, held briefly.
#[derive(Debug)]
pub(crate) struct Shared {
    pub store: Mutex<Store>,
    pub log: Mutex<RequestLog>,
    pub faults: Mutex<FaultState>,
    pub limiter: Mutex<Limiter>,
    pub schema: Schema,
    pub api_key: String,
    /// `http://127.0.0.1:PORT`, for absolute `link` URLs.
    pub base_url: String,
}

pub(crate) type AppState = Arc<Shared>;

/// Locks a mutex, shrugging off poisoning: a panicked handler must not wedge the simulator.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
