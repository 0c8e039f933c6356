//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::auth::Credentials;
use super::store::Store;
use crate::handle::{HasTraffic, Traffic};

/// One account plus its traffic controls. Each part has its own lock, held briefly.
#[derive(Debug)]
pub struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) traffic: Traffic,
    pub(crate) credentials: Credentials,
    /// `http://127.0.0.1:PORT`, for absolute `url`, `next_page` and `after_url` values.
    pub(crate) base_url: String,
    pub(crate) export_lag: Mutex<Duration>,
    pub(crate) search_window: u32,
}

pub(crate) type AppState = Arc<Shared>;

impl HasTraffic for Shared {
    fn traffic(&self) -> &Traffic {
        &self.traffic
    }
}

pub(crate) use crate::traffic::lock;
