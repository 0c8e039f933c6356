//! What every running simulator has in common: the bound address, the server task, and the
//! traffic controls (request log, faults, rate limit) that a test reads and steers.
//!
//! Each system's `SimHandle` is a [`Handle`] over its own state; the system adds its own
//! methods (tickets, truth, accuracy …) in its module with an `impl Handle<Shared>` block.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::SimError;
use crate::faults::{Fault, FaultState, Faults};
use crate::log::{RequestLog, RequestRecord};
use crate::ratelimit::{Limiter, RateLimitConfig};
use crate::traffic::lock;

/// The request log, faults and rate limiter of one simulator. Each part has its own lock,
/// held briefly.
#[derive(Debug)]
pub struct Traffic {
    pub(crate) log: Mutex<RequestLog>,
    pub(crate) faults: Mutex<FaultState>,
    pub(crate) limiter: Mutex<Limiter>,
}

impl Traffic {
    pub(crate) fn new(log_capacity: usize, faults: Faults, limits: RateLimitConfig) -> Self {
        Self {
            log: Mutex::new(RequestLog::new(log_capacity)),
            faults: Mutex::new(FaultState::new(faults)),
            limiter: Mutex::new(Limiter::new(limits)),
        }
    }
}

/// A system's state that carries [`Traffic`]: lets code outside the crate (the CLI) take any
/// simulator's handle. Only this crate can build a `Traffic`, so only its states implement it.
pub trait HasTraffic {
    /// The state's traffic controls.
    fn traffic(&self) -> &Traffic;
}

/// A listener bound before the system's state exists (some states need the base URL).
pub(crate) struct Bound {
    listener: TcpListener,
    addr: SocketAddr,
    base_url: String,
}

impl Bound {
    /// Binds `addr` (port 0: OS-assigned).
    pub(crate) async fn bind(addr: SocketAddr) -> Result<Self, SimError> {
        let bind_error = |source| SimError::Bind { addr, source };
        let listener = TcpListener::bind(addr).await.map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        Ok(Self {
            listener,
            addr,
            base_url: format!("http://{addr}"),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Serves `router` in a background task until the handle is shut down or dropped.
    pub(crate) fn serve<S>(self, shared: Arc<S>, router: Router, system: &str) -> Handle<S> {
        let (tx, rx) = watch::channel(false);
        let task = tokio::spawn(crate::server::serve(self.listener, router, rx));
        tracing::info!(base_url = %self.base_url, "{system} simulator listening");
        Handle {
            shared,
            addr: self.addr,
            base_url: self.base_url,
            shutdown: tx,
            task: Some(task),
        }
    }
}

/// A running simulator. Dropping it stops the server.
pub struct Handle<S> {
    pub(crate) shared: Arc<S>,
    addr: SocketAddr,
    base_url: String,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl<S> fmt::Debug for Handle<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimHandle")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl<S> Handle<S> {
    /// `http://127.0.0.1:PORT` (where the API lives below it depends on the system).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes open connections and waits for the server task.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl<S: HasTraffic> Handle<S> {
    fn traffic(&self) -> &Traffic {
        self.shared.traffic()
    }

    /// Every logged request, in arrival order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.traffic().log).snapshot()
    }

    /// Forgets the logged requests.
    pub fn clear_requests(&self) {
        lock(&self.traffic().log).clear();
    }

    /// Replaces the random faults (and restarts their seeded stream).
    pub fn set_faults(&self, faults: Faults) {
        lock(&self.traffic().faults).set(faults);
    }

    /// The random faults in force.
    pub fn faults(&self) -> Faults {
        lock(&self.traffic().faults).current()
    }

    /// Queues faults for the very next requests, in order, before any random ones.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.traffic().faults).push(faults);
    }

    /// Removes all faults, random and queued.
    pub fn clear_faults(&self) {
        let mut f = lock(&self.traffic().faults);
        f.set(Faults::none());
        f.clear_script();
    }

    /// Replaces the rate limits and starts a fresh window.
    pub fn set_rate_limits(&self, limits: RateLimitConfig) {
        *lock(&self.traffic().limiter) = Limiter::new(limits);
    }

    /// The rate limits in force.
    pub fn rate_limits(&self) -> RateLimitConfig {
        lock(&self.traffic().limiter).config().clone()
    }
}

impl<S> Drop for Handle<S> {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
