//! The state every request handler and the handle share.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::store::{Schema, Store};
use crate::faults::FaultState;
use crate::log::RequestLog;
use crate::ratelimit::Limiter;

/// One account plus its traffic controls. Each part has its own lock, held briefly.
#[derive(Debug)]
pub(crate) struct Shared {
    pub store: Mutex<Store>,
    pub log: Mutex<RequestLog>,
    pub faults: Mutex<FaultState>,
    pub limiter: Mutex<Limiter>,
    /// The last `GET /tickets` result order, reused while an adapter pages through it.
    pub list_cache: Mutex<Option<ListCache>>,
    pub schema: Schema,
    pub api_key: String,
    /// `http://127.0.0.1:PORT`, for absolute `link` URLs.
    pub base_url: String,
}

pub(crate) type AppState = Arc<Shared>;

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
