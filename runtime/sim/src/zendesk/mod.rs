//! A Zendesk Support API v2 simulator (the API behaviour it follows, with evidence, is in `adapters/zendesk/src/lib.rs`'s module docs).
//!
//! Start one in-process with [`ZendeskSim::start`]; the returned [`SimHandle`] gives the base
//! URL and credentials for an adapter, lets a test read and change the account's state and
//! the request log, and changes faults and the rate limit while it runs. `triage sim zendesk`
//! wraps the same thing for people.
//!
//! The account: one group per queue (ids from [`GROUP_ID_BASE`]), the generator's custom
//! fields as ticket fields (ids from [`FIELD_ID_BASE`]: Order number, Language, Support plan,
//! Triage confidence, VIP), one agent whose API token (`{email}/token` Basic auth) or OAuth
//! token (Bearer) is accepted. Generated tickets keep their id; their text is the description
//! and the first public comment; spam is a deleted ticket.
//!
//! The traps an adapter must handle, each where the reference or Zendesk's docs put it:
//! - listing new work goes through the incremental cursor export (`export.rs`), which leaves
//!   out the last minute and shows deleted tickets; `search.json` (`search.rs`) stops at
//!   1,000 results with a 422;
//! - a comment is public unless `public: false` (`update.rs`): a note must say so;
//! - `tags` on a ticket PUT replaces the list; the Tags API and `additional_tags` add;
//! - closed tickets refuse updates (422 on `status`); `safe_update` conflicts are 409;
//! - 422 `RecordInvalid` carries `details` by attribute (`api_error.rs`);
//! - every reply has `X-Rate-Limit` / `X-Rate-Limit-Remaining`; past the limit 429 with
//!   `Retry-After` (`pipeline.rs`).

mod api_error;
mod auth;
mod config;
mod export;
mod model;
mod pipeline;
mod render;
mod routes;
mod search;
mod shared;
mod store;
mod update;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use crate::ratelimit::RateLimitConfig;
pub use api_error::FieldError;
pub use auth::basic_header;
pub use config::{
    DEFAULT_API_TOKEN, DEFAULT_EMAIL, DEFAULT_OAUTH_TOKEN, SimConfig, default_custom_fields,
};
pub use export::EXPORT_PAGE_MAX;
pub use model::{
    Comment, FieldKind, Group, PRIORITIES, STATUSES, TICKET_TYPES, Ticket, TicketField, User,
};
pub use routes::GROUPS_PAGE_MAX;
pub use search::SEARCH_PAGE_MAX;
pub use shared::Shared;
pub use store::{AGENT_ID, FIELD_ID_BASE, GROUP_ID_BASE};

use crate::error::SimError;
use crate::freshdesk::{Accuracy, Dataset, Priority, Truth};
use crate::handle::{Bound, Handle, Traffic};
use shared::lock;

/// Entry point: starts Zendesk simulators.
pub struct ZendeskSim;

impl ZendeskSim {
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
                config.rate_limits.clone(),
            ),
            credentials: auth::Credentials {
                email: config.email.clone(),
                api_token: config.api_token.clone(),
                oauth_token: config.oauth_token.clone(),
            },
            base_url: bound.base_url().to_owned(),
            export_lag: Mutex::new(config.export_lag),
            search_window: config.search_window,
        });
        let router = routes::router(shared.clone()).layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            pipeline::pipeline,
        ));
        Ok(bound.serve(shared, router, "zendesk"))
    }
}

/// A running simulator. Dropping it stops the server.
pub type SimHandle = Handle<Shared>;

/// The generator's priority as Zendesk's name (`medium` is Zendesk's `normal`).
pub fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::Low => "low",
        Priority::Medium => "normal",
        Priority::High => "high",
        Priority::Urgent => "urgent",
    }
}

impl Handle<Shared> {
    /// The agent's email (Basic auth's user is `{email}/token`).
    pub fn email(&self) -> &str {
        &self.shared.credentials.email
    }

    /// The agent's API token (Basic auth's password).
    pub fn api_token(&self) -> &str {
        &self.shared.credentials.api_token
    }

    /// The OAuth access token accepted as Bearer.
    pub fn oauth_token(&self) -> &str {
        &self.shared.credentials.oauth_token
    }

    /// A ready `Authorization` header value for the API token.
    pub fn auth_header(&self) -> String {
        basic_header(self.email(), self.api_token())
    }

    /// All tickets (deleted ones included), by id.
    pub fn tickets(&self) -> Vec<Ticket> {
        lock(&self.shared.store).tickets.values().cloned().collect()
    }

    /// One ticket.
    pub fn ticket(&self, id: u64) -> Option<Ticket> {
        lock(&self.shared.store).tickets.get(&id).cloned()
    }

    /// How many tickets the account holds (deleted included).
    pub fn ticket_count(&self) -> usize {
        lock(&self.shared.store).tickets.len()
    }

    /// The ids an export started at `start_time` 0 returns now: live tickets changed before
    /// the export's cut-off (see [`SimConfig::export_lag`]).
    pub fn exported_ticket_ids(&self) -> BTreeSet<u64> {
        let lag = *lock(&self.shared.export_lag);
        let cutoff =
            (chrono::Utc::now() - chrono::Duration::from_std(lag).unwrap_or_default()).timestamp();
        lock(&self.shared.store)
            .tickets
            .values()
            .filter(|t| !t.deleted && t.generated_timestamp <= cutoff)
            .map(|t| t.id)
            .collect()
    }

    /// Changes how long exports hold back recent changes.
    pub fn set_export_lag(&self, lag: Duration) {
        *lock(&self.shared.export_lag) = lag;
    }

    /// The comments of a ticket, oldest first (the description is the first).
    pub fn comments(&self, ticket_id: u64) -> Vec<Comment> {
        lock(&self.shared.store)
            .comments
            .get(&ticket_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The groups (queues).
    pub fn groups(&self) -> Vec<Group> {
        lock(&self.shared.store).groups.clone()
    }

    /// The id of the group with this name.
    pub fn group_id(&self, name: &str) -> Option<u64> {
        lock(&self.shared.store)
            .groups
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.id)
    }

    /// The custom ticket fields.
    pub fn ticket_fields(&self) -> Vec<TicketField> {
        lock(&self.shared.store).fields.clone()
    }

    /// The id of the custom field with this title.
    pub fn field_id(&self, title: &str) -> Option<u64> {
        lock(&self.shared.store)
            .fields
            .iter()
            .find(|f| f.title == title)
            .map(|f| f.id)
    }

    /// The hidden true label of a ticket, if it has one.
    pub fn truth(&self, id: u64) -> Option<Truth> {
        lock(&self.shared.store).truth.get(&id).cloned()
    }

    /// All hidden true labels.
    pub fn truths(&self) -> BTreeMap<u64, Truth> {
        lock(&self.shared.store).truth.clone()
    }

    /// Visible group/priority against the hidden truth (a ticket with a group counts as
    /// classified).
    pub fn accuracy(&self) -> Accuracy {
        let store = lock(&self.shared.store);
        let mut acc = Accuracy::default();
        for (id, truth) in &store.truth {
            let Some(t) = store.tickets.get(id) else {
                continue;
            };
            acc.labelled += 1;
            let Some(group) = t.group_id.and_then(|g| store.group(g)) else {
                continue;
            };
            acc.classified += 1;
            acc.queue_correct += usize::from(group.name == truth.queue);
            acc.priority_correct +=
                usize::from(t.priority.as_deref() == Some(priority_name(truth.priority)));
        }
        acc
    }

    /// Adds a ticket (id 0: the next free id) with its description as the first comment.
    pub fn insert_ticket(&self, ticket: Ticket) -> u64 {
        lock(&self.shared.store).insert_ticket(ticket)
    }

    /// Adds generated tickets with their requesters and true labels.
    pub fn insert_dataset(&self, data: &Dataset) -> Result<(), SimError> {
        lock(&self.shared.store).insert_dataset(data)
    }

    /// Changes a ticket behind the API's back (no validation, no `updated_at` bump): for
    /// tests that simulate agents working in the UI. False when there is no such ticket.
    pub fn modify_ticket(&self, id: u64, f: impl FnOnce(&mut Ticket)) -> bool {
        let mut store = lock(&self.shared.store);
        let Some(t) = store.tickets.get_mut(&id) else {
            return false;
        };
        let stamp = t.generated_timestamp;
        f(t);
        store.reindex(id, stamp);
        true
    }
}
