//! A Freshdesk API v2 simulator (the API behaviour it follows is in `adapters/freshdesk/src/lib.rs`'s module docs).
//!
//! Start one in-process with [`FreshdeskSim::start`]; the returned [`SimHandle`] gives the base
//! URL and key for an adapter, lets a test read and seed the account's state and the request log,
//! and changes faults and rate limits while it runs. The `triage sim freshdesk` command wraps the
//! same thing for people.
//!
//! Choices where the reference is unsure (`[U]`), made to be the harder case for an adapter:
//! - `updated_since` is inclusive (`updated_at >= since`); list order ties break by id.
//! - On page 300 the `link` header still points at page 301 when more tickets match; page 301
//!   answers the page-cap 400. Adapters must slide `updated_since` instead of following it.
//! - Each `include=` value costs one extra rate-limit credit on `GET /tickets`.
//! - Adding a note bumps the ticket's `updated_at`, like any other activity.
//! - PUT/POST without `Content-Type: application/json` get 415; bodies that are not JSON
//!   objects get 400 `invalid_json`; a 404 has an empty body.
//! - Unknown query parameters are refused with `invalid_field`, like unknown body keys.

mod accuracy;
mod api_error;
pub(crate) mod auth;
mod config;
mod model;
mod paging;
mod pipeline;
mod render;
mod routes;
mod search;
mod shared;
mod store;
mod time;
mod validate;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub use crate::ratelimit::RateLimitConfig;
pub use accuracy::Accuracy;
pub use api_error::FieldError;
pub use auth::basic_header;
pub use config::{DEFAULT_API_KEY, SimConfig, default_custom_fields};
pub use model::{
    Agent, BUILTIN_STATUSES, Contact, CustomField, CustomFieldKind, DEFAULT_TICKET_TYPES, Dataset,
    Group, Note, Priority, QUEUES, SOURCES, Ticket, Truth,
};
pub use routes::{LIST_PAGE_CAP, SEARCH_MAX_LEN, SEARCH_PAGE_CAP, SEARCH_PAGE_SIZE};
pub use store::{AGENT_ID_BASE, GROUP_ID_BASE};
pub use time::format as format_time;

use crate::error::SimError;
use crate::handle::{Bound, Handle, Traffic};
use shared::{Shared, lock};

/// Entry point: starts Freshdesk simulators.
pub struct FreshdeskSim;

impl FreshdeskSim {
    /// Binds `config.bind` (port 0: OS-assigned) and serves until the handle is shut down or dropped.
    /// Must be called inside a Tokio runtime.
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        let schema = store::Schema::from_config(&config)?;
        let store = store::Store::new(&config, chrono::Utc::now())?;
        let bound = Bound::bind(config.bind).await?;
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            traffic: Traffic::new(
                config.log_capacity,
                config.faults.clone(),
                config.rate_limits.clone(),
            ),
            list_cache: Mutex::new(None),
            schema,
            api_key: config.api_key.clone(),
            base_url: bound.base_url().to_owned(),
        });
        let router = routes::router(shared.clone()).layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            pipeline::pipeline,
        ));
        Ok(bound.serve(shared, router, "freshdesk"))
    }
}

/// A running simulator. Dropping it stops the server.
pub type SimHandle = Handle<Shared>;

impl Handle<Shared> {
    /// The API key to use as the Basic-auth user.
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// A ready `Authorization` header value (`Basic base64(key:X)`).
    pub fn auth_header(&self) -> String {
        basic_header(&self.shared.api_key)
    }

    /// All tickets, by id.
    pub fn tickets(&self) -> Vec<Ticket> {
        lock(&self.shared.store).tickets.values().cloned().collect()
    }

    /// One ticket.
    pub fn ticket(&self, id: u64) -> Option<Ticket> {
        lock(&self.shared.store).tickets.get(&id).cloned()
    }

    /// How many tickets the account holds (spam and deleted included).
    pub fn ticket_count(&self) -> usize {
        lock(&self.shared.store).tickets.len()
    }

    /// Notes of one ticket, oldest first.
    pub fn notes(&self, ticket_id: u64) -> Vec<Note> {
        lock(&self.shared.store)
            .notes
            .get(&ticket_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Every note, by ticket then age.
    pub fn all_notes(&self) -> Vec<Note> {
        lock(&self.shared.store)
            .notes
            .values()
            .flatten()
            .cloned()
            .collect()
    }

    /// The groups (queues).
    pub fn groups(&self) -> Vec<Group> {
        lock(&self.shared.store).groups.clone()
    }

    /// The id of the group with this name.
    pub fn group_id(&self, name: &str) -> Option<u64> {
        lock(&self.shared.store).group_by_name(name).map(|g| g.id)
    }

    /// The agents; the first one owns the API key.
    pub fn agents(&self) -> Vec<Agent> {
        lock(&self.shared.store).agents.clone()
    }

    /// A requester.
    pub fn contact(&self, id: u64) -> Option<Contact> {
        lock(&self.shared.store).contacts.get(&id).cloned()
    }

    /// The hidden true label of a ticket, if it has one.
    pub fn truth(&self, id: u64) -> Option<Truth> {
        lock(&self.shared.store).truth.get(&id).cloned()
    }

    /// All hidden true labels.
    pub fn truths(&self) -> BTreeMap<u64, Truth> {
        lock(&self.shared.store).truth.clone()
    }

    /// Visible group/priority against the hidden truth.
    pub fn accuracy(&self) -> Accuracy {
        accuracy::measure(&lock(&self.shared.store))
    }

    /// Adds a ticket (id 0: the next free id); its requester is created if unknown.
    pub fn insert_ticket(&self, ticket: Ticket) -> Result<u64, SimError> {
        lock(&self.shared.store).insert_ticket(ticket)
    }

    /// Adds tickets with their contacts and true labels.
    pub fn insert_dataset(&self, data: Dataset) -> Result<(), SimError> {
        let mut store = lock(&self.shared.store);
        for c in data.contacts {
            store.contacts.insert(c.id, c);
        }
        for t in data.tickets {
            store.insert_ticket(t)?;
        }
        store.truth.extend(data.truth);
        Ok(())
    }

    /// Changes a ticket directly, behind the API's back (no validation, no `updated_at` bump):
    /// for tests that simulate agents working in the UI. False when there is no such ticket.
    pub fn modify_ticket(&self, id: u64, f: impl FnOnce(&mut Ticket)) -> bool {
        let mut store = lock(&self.shared.store);
        store.version += 1;
        match store.tickets.get_mut(&id) {
            Some(t) => {
                f(t);
                true
            }
            None => false,
        }
    }
}

/// Parses a timestamp as the API accepts it (ISO-8601 or `YYYY-MM-DD`).
pub fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    time::parse(s)
}

/// Truncates to whole seconds, as every timestamp in the API is.
pub fn whole_seconds(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    time::whole_seconds(t)
}
