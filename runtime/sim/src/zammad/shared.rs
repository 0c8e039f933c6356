//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex};

use super::store::Store;
use crate::handle::{HasTraffic, Traffic};

/// One system plus its traffic controls. Each part has its own lock, held briefly.
#[derive(Debug)]
pub struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) traffic: Traffic,
    pub(crate) token: String,
    pub(crate) admin: bool,
    pub(crate) search_window: usize,
}

pub(crate) type AppState = Arc<Shared>;

impl HasTraffic for Shared {
    fn traffic(&self) -> &Traffic {
        &self.traffic
    }
}

pub(crate) use crate::traffic::lock;
