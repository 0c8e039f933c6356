//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex};

use super::render::Settings;
use super::store::Store;
use crate::handle::{HasTraffic, Traffic};
pub(crate) use crate::traffic::lock;

#[derive(Debug)]
pub struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) traffic: Traffic,
    pub(crate) settings: Settings,
}

pub(crate) type AppState = Arc<Shared>;

impl HasTraffic for Shared {
    fn traffic(&self) -> &Traffic {
        &self.traffic
    }
}

/// Set on a reply by the operation: whether the request's credentials were right (OTOBO
/// authenticates in each operation, from the request data, so the pipeline cannot tell).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Authenticated(pub bool);
