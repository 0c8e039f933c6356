//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex};

use super::render::Settings;
use super::store::Store;
use crate::faults::FaultState;
use crate::log::RequestLog;
use crate::ratelimit::Limiter;
pub(crate) use crate::traffic::lock;

#[derive(Debug)]
pub(crate) struct Shared {
    pub store: Mutex<Store>,
    pub log: Mutex<RequestLog>,
    pub faults: Mutex<FaultState>,
    pub limiter: Mutex<Limiter>,
    pub settings: Settings,
}

pub(crate) type AppState = Arc<Shared>;

/// Set on a reply by the operation: whether the request's credentials were right (OTOBO
/// authenticates in each operation, from the request data, so the pipeline cannot tell).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Authenticated(pub bool);
