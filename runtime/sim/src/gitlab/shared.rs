//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex};

use super::auth::Credentials;
use super::store::Store;
use crate::handle::{HasTraffic, Traffic};

/// One project plus its traffic controls. Each part has its own lock, held briefly.
#[derive(Debug)]
pub struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) traffic: Traffic,
    pub(crate) credentials: Credentials,
    /// `http://127.0.0.1:PORT`, for `web_url` and `Link` targets.
    pub(crate) base_url: String,
}

pub(crate) type AppState = Arc<Shared>;

impl HasTraffic for Shared {
    fn traffic(&self) -> &Traffic {
        &self.traffic
    }
}

pub(crate) use crate::traffic::lock;
