//! A Redmine REST API simulator (the API behaviour it follows is in the Python adapter's docs, `adapters/python/redmine`, and was checked against a real Redmine: `tests/all/conformance_redmine_real.rs`).
//!
//! Start one in-process with [`RedmineSim::start`]; the returned [`SimHandle`] gives the base
//! URL and key for an adapter, lets a test read and change the instance's state and the
//! request log, and changes faults and the rate limit while it runs. `triage sim redmine`
//! wraps the same thing for people.
//!
//! The instance: project 1 "Helpdesk" (`helpdesk`) is the inbox where every generated ticket
//! arrives as an issue; each queue is a project of its own (ids 2, 3, … with identifiers such
//! as `technical-support`) **and** a category of the inbox, so adapters can use either as the
//! queue. Redmine's default priorities (Low 1 … Immediate 5), statuses (New 1, In Progress 2,
//! Resolved 3, Feedback 4, Closed 5, Rejected 6) and trackers (Bug, Feature, Support); the
//! generator's custom fields as issue custom fields 1–5 (Order number, Language, Support plan,
//! Triage confidence, VIP). The key belongs to an administrator.
//!
//! Choices where the reference is unsure (`[U]`), made to be the harder case for an adapter:
//! - list quirks as in `query.rs` (open issues only by default, `limit` ≤ 100, ties by id
//!   descending, unknown parameters ignored);
//! - update quirks as in `update.rs` (unknown ids and attributes silently ignored, messages by
//!   label, nothing saved on a 422);
//! - 401 carries `WWW-Authenticate`; 403/404 have empty bodies; injected 5xx and the proxy's
//!   429 (+ `Retry-After`) are HTML pages.

mod config;
mod model;
mod pipeline;
mod query;
mod render;
mod routes;
mod state;
mod store;
mod update;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub use crate::ratelimit::RateLimitConfig;
pub use config::{DEFAULT_API_KEY, SimConfig, default_custom_fields};
pub use model::{
    API_USER, Category, CustomFieldDef, DEFAULT_PRIORITY, FieldFormat, INBOX, Issue, Journal,
    Named, PRIORITIES, Project, STATUSES, Status, TRACKERS, User,
};
pub use query::{DEFAULT_LIMIT, MAX_LIMIT};

use crate::error::SimError;
use crate::freshdesk::Truth;
use crate::handle::{Bound, Handle, Traffic};
use crate::traffic::lock;
use state::Shared;

/// Entry point: starts Redmine simulators.
pub struct RedmineSim;

impl RedmineSim {
    /// Binds `config.bind` (port 0: OS-assigned) and serves until the handle is shut down or
    /// dropped. Must be called inside a Tokio runtime.
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        let store = store::Store::new(&config, chrono::Utc::now())?;
        let bound = Bound::bind(config.bind).await?;
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            traffic: Traffic::new(
                config.log_capacity,
                config.faults.clone(),
                config.rate_limit.clone(),
            ),
            api_key: config.api_key.clone(),
        });
        let router = routes::router(shared.clone()).layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            pipeline::pipeline,
        ));
        Ok(bound.serve(shared, router, "redmine"))
    }
}

/// A running simulator. Dropping it stops the server.
pub type SimHandle = Handle<Shared>;

impl Handle<Shared> {
    /// The key to send in `X-Redmine-API-Key`.
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// All issues, by id.
    pub fn issues(&self) -> Vec<Issue> {
        lock(&self.shared.store).issues.values().cloned().collect()
    }

    /// One issue.
    pub fn issue(&self, id: u64) -> Option<Issue> {
        lock(&self.shared.store).issues.get(&id).cloned()
    }

    /// The journals (notes and change sets) of an issue, oldest first.
    pub fn journals(&self, id: u64) -> Vec<Journal> {
        self.issue(id).map(|i| i.journals).unwrap_or_default()
    }

    /// The projects; the first is the inbox.
    pub fn projects(&self) -> Vec<Project> {
        lock(&self.shared.store).projects.clone()
    }

    /// A project's name.
    pub fn project_name(&self, id: u64) -> Option<String> {
        lock(&self.shared.store)
            .project_by_id(id)
            .map(|p| p.name.clone())
    }

    /// The inbox's categories.
    pub fn categories(&self) -> Vec<Category> {
        lock(&self.shared.store).categories.clone()
    }

    /// The issue custom fields.
    pub fn custom_fields(&self) -> Vec<CustomFieldDef> {
        lock(&self.shared.store).custom_fields.clone()
    }

    /// The hidden true label of an issue, if it has one.
    pub fn truth(&self, id: u64) -> Option<Truth> {
        lock(&self.shared.store).truth.get(&id).cloned()
    }

    /// All hidden true labels.
    pub fn truths(&self) -> BTreeMap<u64, Truth> {
        lock(&self.shared.store).truth.clone()
    }

    /// Changes an issue behind the API's back (no validation, no `updated_on` bump, no
    /// journal): for tests that simulate people working in the UI. False when there is no
    /// such issue.
    pub fn modify_issue(&self, id: u64, f: impl FnOnce(&mut Issue)) -> bool {
        match lock(&self.shared.store).issues.get_mut(&id) {
            Some(issue) => {
                f(issue);
                true
            }
            None => false,
        }
    }

    /// Hides a project from the key's user (its issues answer 403), or shows it again.
    pub fn restrict_project(&self, id: u64, restricted: bool) {
        let mut store = lock(&self.shared.store);
        if restricted {
            store.restricted.insert(id);
        } else {
            store.restricted.remove(&id);
        }
    }

    /// Replaces the rate limit and starts a fresh window. Only `total` and `window` apply:
    /// the proxy in front of Redmine knows no call categories.
    pub fn set_rate_limit(&self, limit: RateLimitConfig) {
        self.set_rate_limits(limit);
    }

    /// The rate limit in force.
    pub fn rate_limit(&self) -> RateLimitConfig {
        self.rate_limits()
    }
}
