//! An OTOBO / Znuny GenericInterface simulator (the API behaviour it follows is in `adapters/otobo/src/lib.rs`'s module docs).
//!
//! Start one in-process with [`OtoboSim::start`]; the [`SimHandle`] gives the web service URLs
//! and the agent login for an adapter, lets a test read and change the instance's state and the
//! request log, and changes faults and the proxy's rate limit while it runs. `triage sim otobo`
//! wraps the same thing for people.
//!
//! **Both route styles at once.** The instance has two web services sharing its tickets, as a
//! real OTOBO can: `GenericTicketConnectorREST` with the shipped routes (`GET /Ticket` search,
//! `GET /Ticket/:TicketID`, `PATCH /Ticket/:TicketID`, `POST /Session`) and `OpenTicketAI` with
//! the routes Open Ticket AI's generator creates (`POST /ticket-search`, `POST /ticket-get`,
//! `PUT /ticket-update`, `IncludeTicketData` on). See [`SimHandle::webservice_url`].
//!
//! The instance: queues Postmaster, Raw, Junk, Misc (ids 1–4, OTOBO's defaults) and the ten
//! labelled queues (5–14); priorities `1 very low` … `5 very high`; the default states and
//! types; dynamic fields for the generator's custom fields plus `Tags` (a multiselect). Every
//! generated ticket arrives in `Raw` with `3 normal`, its text as the first (customer, email)
//! article. Agents authenticate with `UserLogin` + `Password` or a `SessionID` in the request
//! data, on every call.
//!
//! Behaviour kept from the real system (Znuny `TicketSearch.pm`, `TicketGet.pm`,
//! `TicketUpdate.pm`, `Transport/HTTP/REST.pm`):
//! - operation errors are HTTP 200 with `{"Error":{"ErrorCode":"<Op>.<Reason>",…}}`;
//!   a ticket that does not exist is `<Op>.AccessDenied`, like one the agent may not see;
//! - the transport answers 500 with text when no route matches the method and path, or the body
//!   is not a JSON object;
//! - a search that matches nothing is `{}`; there is no paging, only `Limit` (default 500);
//! - times are the server's local time (`utc_offset`, default +01:00) without a zone;
//! - ids are JSON strings by default (`ids_as_strings`), numbers otherwise;
//! - a GET's body is ignored; query parameters repeat for arrays;
//! - article `IsVisibleForCustomer` defaults to 1 when not sent.
//!
//! Choices where the reference is silent (`[U]`): search quirks as in `search.rs`; no per-queue
//! permissions (every agent may do everything); sessions never expire unless
//! [`SimHandle::expire_sessions`] is called; the proxy's 429 comes with `Retry-After` (nginx's
//! `limit_req` sends 503 without one unless configured, which adapters treat as transient).

mod accuracy;
mod config;
mod get;
mod model;
mod pipeline;
mod render;
mod request;
mod routes;
mod search;
mod session;
mod shared;
mod store;
mod time;
mod update;
mod webservice;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::FixedOffset;
use serde_json::Value;

pub use config::{
    DEFAULT_LOGIN, DEFAULT_PASSWORD, DEFAULT_UTC_OFFSET_SECS, SimConfig, TAG_VALUES,
    default_dynamic_fields,
};
pub use model::{
    Article, DEFAULT_PRIORITY_ID, DEFAULT_QUEUES, DynamicField, FieldKind, INBOX_QUEUE, Named,
    PRIORITIES, STATES, Ticket, priority_id_for,
};
pub use routes::PREFIXES;
pub use time::{format_local, parse_local};
pub use webservice::{RouteStyle, WEBSERVICES, Webservice};

use crate::error::SimError;
use crate::freshdesk::{Accuracy, Truth};
use crate::handle::{Bound, Handle, Traffic};
use render::Settings;
use shared::{Shared, lock};

/// Entry point: starts OTOBO simulators.
pub struct OtoboSim;

impl OtoboSim {
    /// Binds `config.bind` (port 0: OS-assigned) and serves until the handle is shut down or
    /// dropped. Must be called inside a Tokio runtime.
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        let store = store::Store::new(&config)?;
        let bound = Bound::bind(config.bind).await?;
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            traffic: Traffic::new(
                config.log_capacity,
                config.faults.clone(),
                config.rate_limits.clone(),
            ),
            settings: Settings {
                agents: config.agents.clone(),
                utc_offset: config.utc_offset,
                ids_as_strings: config.ids_as_strings,
                default_search_limit: config.default_search_limit.max(1),
            },
        });
        let router = routes::router(shared.clone()).layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            pipeline::pipeline,
        ));
        Ok(bound.serve(shared, router, "otobo"))
    }
}

/// A running simulator. Dropping it stops the server.
pub type SimHandle = Handle<Shared>;

impl Handle<Shared> {
    /// The URL of the web service with this route style, e.g.
    /// `http://127.0.0.1:PORT/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST`.
    pub fn webservice_url(&self, style: RouteStyle) -> String {
        format!(
            "{}{}/Webservice/{}",
            self.base_url(),
            PREFIXES[0],
            webservice::of_style(style).name
        )
    }

    /// The first agent's login.
    pub fn login(&self) -> &str {
        &self.shared.settings.agents[0].0
    }

    /// The first agent's password.
    pub fn password(&self) -> &str {
        &self.shared.settings.agents[0].1
    }

    /// The server's zone: every time in the API is local to it.
    pub fn utc_offset(&self) -> FixedOffset {
        self.shared.settings.utc_offset
    }

    /// All tickets, by id.
    pub fn tickets(&self) -> Vec<Ticket> {
        lock(&self.shared.store).tickets.values().cloned().collect()
    }

    /// One ticket.
    pub fn ticket(&self, id: u64) -> Option<Ticket> {
        lock(&self.shared.store).tickets.get(&id).cloned()
    }

    /// The articles of a ticket, oldest first.
    pub fn articles(&self, ticket_id: u64) -> Vec<Article> {
        lock(&self.shared.store)
            .articles
            .get(&ticket_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The queues (id, name).
    pub fn queues(&self) -> Vec<Named> {
        lock(&self.shared.store).queues.clone()
    }

    /// The queue with this id.
    pub fn queue_name(&self, id: u64) -> Option<String> {
        lock(&self.shared.store).queue(id).map(|q| q.name.clone())
    }

    /// The priorities (id, name).
    pub fn priorities(&self) -> Vec<Named> {
        lock(&self.shared.store).priorities.clone()
    }

    /// The ticket dynamic fields.
    pub fn dynamic_fields(&self) -> Vec<DynamicField> {
        lock(&self.shared.store).dynamic_fields.clone()
    }

    /// Changes a ticket directly, behind the API's back (no validation, no change time):
    /// an agent at work in the UI. False when there is no such ticket.
    pub fn modify_ticket(&self, id: u64, f: impl FnOnce(&mut Ticket)) -> bool {
        lock(&self.shared.store)
            .tickets
            .get_mut(&id)
            .map(f)
            .is_some()
    }

    /// Sets (or with `Value::Null` clears) a dynamic field directly.
    pub fn set_dynamic_field(&self, id: u64, name: &str, value: Value) -> bool {
        self.modify_ticket(id, |t| {
            if value.is_null() {
                t.dynamic_fields.remove(name);
            } else {
                t.dynamic_fields.insert(name.to_owned(), value);
            }
        })
    }

    /// Deletes a ticket (an admin's `TicketDelete`); true when it existed.
    pub fn delete_ticket(&self, id: u64) -> bool {
        let mut store = lock(&self.shared.store);
        store.articles.remove(&id);
        store.tickets.remove(&id).is_some()
    }

    /// Every `SessionID` handed out and still valid (for tests that look for it elsewhere).
    pub fn session_ids(&self) -> Vec<String> {
        lock(&self.shared.store).sessions.keys().cloned().collect()
    }

    /// Forgets every session, as after a restart or `SessionMaxIdleTime`.
    pub fn expire_sessions(&self) {
        lock(&self.shared.store).sessions.clear();
    }

    /// The hidden true label of a ticket, if it has one.
    pub fn truth(&self, id: u64) -> Option<Truth> {
        lock(&self.shared.store).truth.get(&id).cloned()
    }

    /// All hidden true labels.
    pub fn truths(&self) -> BTreeMap<u64, Truth> {
        lock(&self.shared.store).truth.clone()
    }

    /// Visible queue/priority against the hidden truth.
    pub fn accuracy(&self) -> Accuracy {
        accuracy::measure(&lock(&self.shared.store))
    }
}
