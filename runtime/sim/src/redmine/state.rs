//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex};

use super::store::Store;
use crate::handle::{HasTraffic, Traffic};

/// One instance plus its traffic controls. Each part has its own lock, held briefly.
#[derive(Debug)]
pub struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) traffic: Traffic,
    pub(crate) api_key: String,
}

pub(crate) type AppState = Arc<Shared>;

impl HasTraffic for Shared {
    fn traffic(&self) -> &Traffic {
        &self.traffic
    }
}
