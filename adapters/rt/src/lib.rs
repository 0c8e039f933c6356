//! The Request Tracker (RT 5) adapter, over RT's built-in REST2 API (`/REST/2.0`).
//!
//! Settings (non-secret, from the connection):
//! - `base_url`: RT's web root (`https://rt.example.com`, `https://example.com/rt`);
//!   without it, `/REST/2.0/…` resolves against the connection's base URL.
//! - `priority.low|medium|high|urgent`: RT priority numbers of the four levels. Default
//!   0 / 50 / 100 / 100, RT 5's own `%PriorityAsString` (Low 0, Medium 50, High 100);
//!   RT has no fourth label, so Urgent writes 100 and reads back as High until it gets a
//!   number of its own. A number reads as the highest level it reaches (RT's rule).
//! - `status.new|open|pending|resolved|closed`: comma-separated RT statuses per category.
//!   Default: RT's lifecycle — new, open, stalled, resolved, rejected; others are `other`.
//! - `body`: `first-message` (default: the ticket's opening message, see [`body`]) or `none`.
//!
//! Credentials: HTTP Basic (`user:password`) or an RT auth token
//! (`Authorization: token …`), both added by the host; the adapter never sees them. The
//! login needs SeeQueue, ShowTicket, ShowTicketComments, ModifyTicket, CommentOnTicket,
//! SeeCustomField and ModifyCustomField.
//!
//! Mapping decisions:
//! - queue = RT queue (`{id, name}`); priority = RT's integer (`priority.id` is the number);
//! - tags: RT has none; the capability is false, and a tag change that would do something
//!   is `unsupported` (after the ticket is found, so a missing ticket is still `not-found`);
//! - internal note = `POST /ticket/:id/comment` (a comment is never sent to requestors);
//!   its id is the transaction id from the `Location` header;
//! - version = the ETag of `GET /ticket/:id` (the id of the ticket's newest transaction).
//!   Search results carry no ETag, so tickets from `find-tickets` have no version;
//!   `get-ticket` and `update-ticket` fill it in. `if-version` is checked before writing
//!   and sent as `If-Match`; RT's 412 is `conflict`.

pub mod api;
pub mod body;
pub mod find;
pub mod map;
pub mod queue;
pub mod settings;
pub mod update;

use serde_json::json;
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::*;

use settings::{Priorities, Statuses};

/// The adapter; exported as the component's `adapter` interface on wasm32.
pub struct Rt;

/// The connection's settings, read once per call.
pub struct Settings {
    pub priorities: Priorities,
    pub statuses: Statuses,
    pub bodies: bool,
}

impl Settings {
    pub fn load() -> AdapterResult<Self> {
        Ok(Self {
            priorities: Priorities::from_settings(config::get)?,
            statuses: Statuses::from_settings(config::get),
            bodies: settings::fetch_bodies(config::get)?,
        })
    }

    pub fn map_context(&self) -> map::Context<'_> {
        map::Context {
            priorities: &self.priorities,
            statuses: &self.statuses,
        }
    }
}

/// Ticket ids are numbers; anything else cannot exist.
fn ticket_id(id: &str) -> AdapterResult<u64> {
    id.trim()
        .parse()
        .map_err(|_| AdapterError::NotFound(format!("RT ticket ids are numbers, not {id:?}")))
}

/// A 404 names the ticket.
fn about(id: u64, e: AdapterError) -> AdapterError {
    match e {
        AdapterError::NotFound(m) => AdapterError::NotFound(format!("RT ticket {id}: {m}")),
        other => other,
    }
}

/// A ticket read on its own, with its body and version.
fn mapped(read: update::Read, cx: &Settings) -> AdapterResult<Ticket> {
    let mut t = map::ticket_from(&read.json, &cx.map_context(), read.etag)?;
    if cx.bodies {
        if let Some(id) = map::ticket_id(&read.json) {
            if let Some(b) = body::bodies(&[id])?.remove(&id) {
                t.body_text = b.text;
                t.body_html = b.html;
            }
        }
    }
    Ok(t)
}

impl Adapter for Rt {
    fn describe() -> AdapterInfo {
        AdapterInfo {
            name: "rt".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            system: "Request Tracker 5 REST2".into(),
            capabilities: Capabilities::INTERNAL_NOTES
                | Capabilities::CUSTOM_FIELDS
                | Capabilities::NATIVE_SEARCH
                | Capabilities::TOTAL_COUNT
                | Capabilities::OPTIMISTIC_LOCKING,
            max_page_size: settings::MAX_PAGE_SIZE,
        }
    }

    fn find_tickets(query: TicketQuery, cursor: Option<String>) -> AdapterResult<Page> {
        find::find(&query, cursor.as_deref())
    }

    fn get_ticket(id: String) -> AdapterResult<Ticket> {
        let cx = Settings::load()?;
        let id = ticket_id(&id)?;
        mapped(update::read(id).map_err(|e| about(id, e))?, &cx)
    }

    fn update_ticket(id: String, patch: TicketPatch) -> AdapterResult<Ticket> {
        let cx = Settings::load()?;
        let id = ticket_id(&id)?;
        let after = update::update(id, &patch, &cx.priorities).map_err(|e| about(id, e))?;
        mapped(after, &cx)
    }

    fn add_note(id: String, note: Note) -> AdapterResult<Option<String>> {
        let id = ticket_id(&id)?;
        let mut body = json!({
            "Content": note.body,
            "ContentType": if note.html { "text/html" } else { "text/plain" },
        });
        if let Some(s) = note.subject.as_deref().filter(|s| !s.trim().is_empty()) {
            body["Subject"] = s.into();
        }
        match api::send(Method::Post, &format!("/ticket/{id}/comment"), &body, &[]) {
            Ok(reply) => Ok(reply
                .header("location")
                .and_then(|l| l.trim_end_matches('/').rsplit('/').next())
                .filter(|t| t.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_owned)),
            // RT answers 400 for a missing ticket too: ask the ticket what is wrong.
            Err(AdapterError::Validation(fields)) => match update::read(id) {
                Err(e) => Err(about(id, e)),
                Ok(_) => Err(AdapterError::Validation(
                    fields
                        .into_iter()
                        .map(|f| FieldError {
                            field: "note".into(),
                            ..f
                        })
                        .collect(),
                )),
            },
            Err(e) => Err(about(id, e)),
        }
    }

    fn list_queues() -> AdapterResult<Vec<EntityRef>> {
        queue::all()
    }

    fn list_priorities() -> AdapterResult<Vec<EntityRef>> {
        Ok(Priorities::from_settings(config::get)?
            .distinct()
            .into_iter()
            .map(|(n, name)| entity(n, Some(name.to_owned())))
            .collect())
    }
}

// REST2 collection searches are POSTs that only read (ticket bodies, see `body`).
read_only_routes!("POST /REST/2.0/transactions", "POST /REST/2.0/attachments");
export_adapter!(Rt);
