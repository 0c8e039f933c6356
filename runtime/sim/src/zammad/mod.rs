//! A Zammad REST API simulator (the API behaviour it follows is in `adapters/zammad/src/lib.rs`'s module docs).
//!
//! Start one in-process with [`ZammadSim::start`]; the returned [`SimHandle`] gives the base URL
//! and token for an adapter, lets a test read and change the system's state and the request
//! log, and changes faults and rate limits while it runs. `triage sim zammad` wraps the same
//! thing for people. Data comes from the shared generator (`triage_sim::generate`), converted
//! as `store.rs` describes; every ticket starts in the inbox group "Users" with the default
//! priority "2 normal", its hidden true label kept for [`SimHandle::accuracy`].
//!
//! Endpoints: `GET /api/v1/tickets` (by id, ≤ 100 per page), `GET /api/v1/tickets/search`
//! (Elasticsearch `query_string`, 50 by default, ≤ 200 per page, `sort_by`/`order_by`,
//! `expand`), `GET|PUT /api/v1/tickets/{id}`, `GET /api/v1/ticket_articles/by_ticket/{id}`,
//! `GET /api/v1/ticket_articles/{id}`, `POST /api/v1/ticket_articles`, `GET /api/v1/tags`,
//! `POST /api/v1/tags/add`, `DELETE /api/v1/tags/remove`, `GET /api/v1/groups[/{id}]`,
//! `GET /api/v1/ticket_priorities`, `GET /api/v1/ticket_states`, `GET /api/v1/users/me`.
//!
//! Documented behaviour and quirks it keeps (from the reference and Zammad's source):
//! - paging caps are silent: a larger `per_page` is cut to the maximum, never refused; there is
//!   no total and no "next" link, so clients page until a page is short;
//! - search answers an empty 200 where Elasticsearch refuses (bad syntax, an unsortable field
//!   such as `sort_by=id`, a page ending beyond the 10,000-result window), see `search.rs`;
//! - without `sort_by`, search sorts by `updated_at` descending; `order_by` defaults to `desc`;
//! - tickets never carry their tags (only `/tags` does), and `tags` on a PUT is ignored;
//! - a PUT resolves `group`/`priority`/`state`/`owner`/`customer` names, drops unknown keys
//!   silently and validates custom attributes (see `write.rs`); errors are
//!   `{"error","error_human"}`, with texts hidden from non-admins for some exceptions;
//! - no credentials is 403 "Authentication required", a wrong token 401; `/groups` needs admin
//!   rights (the default token's user is an agent without them);
//! - an article is public unless `internal: true` is sent; tag changes, article creation and
//!   field changes all move the ticket's `updated_at` (millisecond precision).
//!
//! Choices where the reference is silent (`[U]`), made to be the harder case for an adapter:
//! - Zammad documents no rate limit; the limiter stands for the reverse proxy or Rack::Attack
//!   in front of it: 429 `Retry later` (text/plain) with `Retry-After`, no other headers;
//! - injected 500s are Zammad's own JSON error; injected 502/503/504 and dropped-connection
//!   fallbacks are nginx's HTML error page;
//! - the search index has no lag: a change is searchable at once.

mod api_error;
mod auth;
mod config;
mod model;
mod params;
mod pipeline;
mod query;
mod render;
mod routes;
mod search;
mod shared;
mod store;
mod time;
mod write;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub use auth::token_header;
pub use config::{DEFAULT_SEARCH_WINDOW, DEFAULT_TOKEN, SimConfig, default_attributes};
pub use model::{
    ARTICLE_TYPES, Article, Attribute, AttributeKind, DEFAULT_PRIORITIES, DEFAULT_STATES, Group,
    INBOX_GROUP, ME, NOBODY, Priority, State, Ticket, User,
};
pub use routes::{INDEX_MAX, SEARCH_DEFAULT, SEARCH_MAX};
pub use store::CUSTOMER_ID_BASE;
pub use time::format as format_time;

use crate::error::SimError;
use crate::freshdesk::{Accuracy, Dataset, Truth};
use crate::handle::{Bound, Handle, Traffic};
use shared::{Shared, lock};

/// Entry point: starts Zammad simulators.
pub struct ZammadSim;

impl ZammadSim {
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
            token: config.token.clone(),
            admin: config.admin,
            search_window: config.search_window,
        });
        let router = routes::router(shared.clone()).layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            pipeline::pipeline,
        ));
        Ok(bound.serve(shared, router, "zammad"))
    }
}

/// A running simulator. Dropping it stops the server.
pub type SimHandle = Handle<Shared>;

impl Handle<Shared> {
    /// The API token.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// A ready `Authorization` header value (`Token token=…`).
    pub fn auth_header(&self) -> String {
        token_header(&self.shared.token)
    }

    /// All tickets, by id.
    pub fn tickets(&self) -> Vec<Ticket> {
        lock(&self.shared.store).tickets.values().cloned().collect()
    }

    /// One ticket.
    pub fn ticket(&self, id: u64) -> Option<Ticket> {
        lock(&self.shared.store).tickets.get(&id).cloned()
    }

    /// How many tickets the system holds.
    pub fn ticket_count(&self) -> usize {
        lock(&self.shared.store).tickets.len()
    }

    /// The articles of one ticket, oldest first.
    pub fn articles(&self, ticket_id: u64) -> Vec<Article> {
        lock(&self.shared.store)
            .articles
            .get(&ticket_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The groups (queues); the first is the inbox.
    pub fn groups(&self) -> Vec<Group> {
        lock(&self.shared.store).groups.clone()
    }

    /// The id of the group with this name.
    pub fn group_id(&self, name: &str) -> Option<u64> {
        lock(&self.shared.store).group_by_name(name).map(|g| g.id)
    }

    /// The priorities, lowest first.
    pub fn priorities(&self) -> Vec<Priority> {
        lock(&self.shared.store).priorities.clone()
    }

    /// The states.
    pub fn states(&self) -> Vec<State> {
        lock(&self.shared.store).states.clone()
    }

    /// The hidden true label of a ticket, if it has one.
    pub fn truth(&self, id: u64) -> Option<Truth> {
        lock(&self.shared.store).truth.get(&id).cloned()
    }

    /// All hidden true labels.
    pub fn truths(&self) -> BTreeMap<u64, Truth> {
        lock(&self.shared.store).truth.clone()
    }

    /// Visible group/priority against the hidden truth; a ticket counts as classified once it
    /// has left the inbox group.
    pub fn accuracy(&self) -> Accuracy {
        let store = lock(&self.shared.store);
        let inbox = store.groups[0].id;
        let mut acc = Accuracy::default();
        for (id, truth) in &store.truth {
            let Some(t) = store.tickets.get(id) else {
                continue;
            };
            acc.labelled += 1;
            let Some(group) = store.group(t.group_id).filter(|g| g.id != inbox) else {
                continue;
            };
            acc.classified += 1;
            acc.queue_correct += usize::from(group.name == truth.queue);
            acc.priority_correct +=
                usize::from(store.priority_for(truth.priority) == Some(t.priority_id));
        }
        acc
    }

    /// Adds the tickets of a data set (same conversion as at start).
    pub fn insert_dataset(&self, data: &Dataset) -> Result<(), SimError> {
        lock(&self.shared.store).import(data)
    }

    /// Changes a ticket directly, behind the API's back (no validation, no `updated_at`
    /// change): for tests that simulate agents working in the UI. False when there is no such
    /// ticket.
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
