//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex};

use super::store::Store;
use crate::faults::FaultState;
use crate::log::RequestLog;
use crate::ratelimit::Limiter;

/// One system plus its traffic controls. Each part has its own lock, held briefly.
#[derive(Debug)]
pub(crate) struct Shared {
    pub store: Mutex<Store>,
    pub log: Mutex<RequestLog>,
    pub faults: Mutex<FaultState>,
    pub limiter: Mutex<Limiter>,
    pub token: String,
    pub admin: bool,
    pub search_window: usize,
}

pub(crate) type AppState = Arc<Shared>;

pub(crate) use crate::traffic::lock;
