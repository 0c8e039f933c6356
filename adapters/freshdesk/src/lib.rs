//! The Freshdesk API v2 adapter.
//!
//! Settings (non-secret, from the connection): `domain` (`acme` → `https://acme.freshdesk.com`)
//! or `base_url` (the server root, e.g. a simulator's `http://127.0.0.1:PORT`); with neither,
//! paths resolve against the connection's base URL. The API key is added by the host as
//! HTTP Basic (`key:X`); the adapter never sees it. See `adapters/README.md`.

pub mod api;
pub mod find;
pub mod map;
pub mod update;

use serde_json::{json, Value};
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::*;

/// The adapter; exported as the component's `adapter` interface on wasm32.
pub struct Freshdesk;

/// Ticket ids are numbers; anything else cannot exist.
fn ticket_id(id: &str) -> AdapterResult<u64> {
    id.trim().parse().map_err(|_| {
        AdapterError::NotFound(format!("Freshdesk ticket ids are numbers, not {id:?}"))
    })
}

/// A 404 names the ticket.
fn about(id: u64, e: AdapterError) -> AdapterError {
    match e {
        AdapterError::NotFound(m) => AdapterError::NotFound(format!("ticket {id}: {m}")),
        other => other,
    }
}

fn mapped(v: &Value) -> AdapterResult<Ticket> {
    let mut groups = api::groups(false)?;
    if groups.misses(std::iter::once(&v["group_id"])) {
        groups = api::groups(true)?;
    }
    map::ticket_from(v, &groups)
}

impl Adapter for Freshdesk {
    fn describe() -> AdapterInfo {
        AdapterInfo {
            name: "freshdesk".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            system: "Freshdesk API v2".into(),
            capabilities: Capabilities::TAGS
                | Capabilities::INTERNAL_NOTES
                | Capabilities::CUSTOM_FIELDS
                | Capabilities::NATIVE_SEARCH
                | Capabilities::OPTIMISTIC_LOCKING,
            max_page_size: 100,
        }
    }

    fn find_tickets(query: TicketQuery, cursor: Option<String>) -> AdapterResult<Page> {
        find::find(&query, cursor.as_deref())
    }

    fn get_ticket(id: String) -> AdapterResult<Ticket> {
        let id = ticket_id(&id)?;
        mapped(&update::fetch(id).map_err(|e| about(id, e))?)
    }

    fn update_ticket(id: String, patch: TicketPatch) -> AdapterResult<Ticket> {
        let id = ticket_id(&id)?;
        let written = update::update(id, &patch).map_err(|e| about(id, e))?;
        // The write is done: a failed group lookup must not fail the call now, or
        // the host would retry a write that was applied. Map with no names.
        mapped(&written).or_else(|_| map::ticket_from(&written, &map::Groups::default()))
    }

    fn add_note(id: String, note: Note) -> AdapterResult<Option<String>> {
        let id = ticket_id(&id)?;
        let body = json!({
            "body": map::note_html(note.subject.as_deref(), &note.body, note.html),
            "private": true,
        });
        let reply = api::send(Method::Post, &format!("/tickets/{id}/notes"), &body)
            .map_err(|e| about(id, e))?;
        Ok(reply["id"].as_u64().map(|n| n.to_string()))
    }

    fn list_queues() -> AdapterResult<Vec<EntityRef>> {
        Ok(api::fetch_groups()?
            .0
            .into_iter()
            .map(|(id, name)| entity(id, Some(name)))
            .collect())
    }

    fn list_priorities() -> AdapterResult<Vec<EntityRef>> {
        Ok(map::PRIORITIES
            .iter()
            .map(|(code, name, _)| entity(code, Some((*name).to_owned())))
            .collect())
    }
}

export_adapter!(Freshdesk);
