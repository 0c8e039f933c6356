//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::store::{Schema, Store};
use crate::handle::{HasTraffic, Traffic};

/// One account plus its traffic controls. Each part has its own lock, held briefly.
#[derive(Debug)]
pub struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) traffic: Traffic,
    /// The last `GET /tickets` result order, reused while an adapter pages through it.
    pub(crate) list_cache: Mutex<Option<ListCache>>,
    pub(crate) schema: Schema,
    pub(crate) api_key: String,
    /// `http://127.0.0.1:PORT`, for absolute `link` URLs.
    pub(crate) base_url: String,
}

pub(crate) type AppState = Arc<Shared>;

impl HasTraffic for Shared {
    fn traffic(&self) -> &Traffic {
        &self.traffic
    }
}

pub(crate) use crate::traffic::lock;

/// The sorted ticket ids of one list query (all pages). Valid while the store's version is
/// unchanged and for a few seconds at most (the default 30-day window moves with the clock).
/// Without it every page re-filters and re-sorts the whole backlog, which makes scanning a
/// large backlog quadratic.
#[derive(Debug)]
pub(crate) struct ListCache {
    /// The query without `page`/`per_page`/`include`.
    pub key: String,
    pub version: u64,
    pub at: Instant,
    pub ids: Arc<Vec<u64>>,
}
