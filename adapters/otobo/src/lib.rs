//! The OTOBO / Znuny / OTRS GenericInterface adapter.
//!
//! It speaks to one REST web service, in either route style (the shipped
//! `GenericTicketConnectorREST`, or the web service Open Ticket AI generates) — see
//! [`settings`] for every setting. The agent's `UserLogin` + `Password` (or a `SessionID`) are
//! added to each request by the host, as fields of the JSON body or the query of a GET
//! (`triage_gateway::Credential::Fields`); the adapter never sees them.
//!
//! - find: `TicketSearch` windows + `TicketGet` pages ([`find`]);
//! - update: `TicketUpdate` with `Ticket{Queue, Priority}` and `DynamicField[…]` ([`update`]);
//! - note: `TicketUpdate` with an `Article` on the `Internal` channel, not visible to the
//!   customer;
//! - tags: in a multiselect dynamic field named by `tag_field` (OTOBO has none of its own);
//! - errors: HTTP 200 with an `Error` object is an error ([`errors`]).

pub mod api;
pub mod errors;
pub mod find;
pub mod map;
pub mod settings;
pub mod update;

use triage_adapter_sdk::*;

use crate::errors::Context;
use crate::settings::Settings;

/// The adapter; exported as the component's `adapter` interface on wasm32.
pub struct Otobo;

/// Ticket ids are positive integers; OTOBO refuses anything else as a malformed request.
fn ticket_id(id: &str) -> AdapterResult<String> {
    let id = id.trim();
    if id.is_empty() || id.starts_with('0') || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AdapterError::NotFound(format!(
            "OTOBO ticket ids are positive numbers, not {id:?}"
        )));
    }
    Ok(id.to_owned())
}

/// One ticket as `TicketGet` renders it.
fn fetch(s: &Settings, id: &str) -> AdapterResult<serde_json::Value> {
    let ctx = Context {
        ticket: Some(id.to_owned()),
        ..Context::default()
    };
    api::get(s, &[id.to_owned()])
        .map_err(|f| f.into_error(&ctx))?
        .into_iter()
        .next()
        .ok_or_else(|| AdapterError::NotFound(format!("TicketGet returned no ticket {id}")))
}

impl Adapter for Otobo {
    fn describe() -> AdapterInfo {
        let mut capabilities = Capabilities::INTERNAL_NOTES
            | Capabilities::CUSTOM_FIELDS
            | Capabilities::NATIVE_SEARCH
            | Capabilities::OPTIMISTIC_LOCKING;
        if config::get("tag_field").is_some_and(|t| !t.trim().is_empty()) {
            capabilities |= Capabilities::TAGS;
        }
        AdapterInfo {
            name: "otobo".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            system: "OTOBO / Znuny GenericInterface (REST)".into(),
            capabilities,
            max_page_size: find::MAX_PAGE,
        }
    }

    fn find_tickets(query: TicketQuery, cursor: Option<String>) -> AdapterResult<Page> {
        find::find(&query, cursor.as_deref(), &Settings::load()?)
    }

    fn get_ticket(id: String) -> AdapterResult<Ticket> {
        let s = Settings::load()?;
        let id = ticket_id(&id)?;
        map::ticket_from(&fetch(&s, &id)?, &s)
    }

    fn update_ticket(id: String, patch: TicketPatch) -> AdapterResult<Ticket> {
        let s = Settings::load()?;
        let id = ticket_id(&id)?;
        let current = if triage_adapter_sdk::patch::needs_current(&patch) {
            Some(fetch(&s, &id)?)
        } else {
            None
        };
        let plan = update::plan(&id, &patch, current.as_ref(), &s)?;
        if plan.body.is_empty() {
            let now = match current {
                Some(c) => c,
                None => fetch(&s, &id)?,
            };
            return map::ticket_from(&now, &s);
        }
        api::update(&s, &id, plan.body).map_err(|f| f.into_error(&plan.context))?;
        map::ticket_from(&fetch(&s, &id)?, &s)
    }

    fn add_note(id: String, note: Note) -> AdapterResult<Option<String>> {
        let s = Settings::load()?;
        let id = ticket_id(&id)?;
        let mut body = serde_json::Map::new();
        body.insert("Article".into(), update::note_article(&note, &s));
        let ctx = Context {
            ticket: Some(id.clone()),
            ..Context::default()
        };
        let reply = api::update(&s, &id, body).map_err(|f| f.into_error(&ctx))?;
        Ok(reply.get("ArticleID").and_then(api::id_text))
    }

    fn list_queues() -> AdapterResult<Vec<EntityRef>> {
        let s = Settings::load()?;
        if s.queues.is_empty() {
            return Err(AdapterError::Unsupported(
                "OTOBO's GenericInterface cannot list queues: set \"queues\" to their names, \
                 comma-separated"
                    .into(),
            ));
        }
        Ok(s.queues
            .into_iter()
            .map(|name| EntityRef {
                id: None,
                name: Some(name),
            })
            .collect())
    }

    fn list_priorities() -> AdapterResult<Vec<EntityRef>> {
        Ok(Settings::load()?.priorities)
    }
}

// The `otai` route style searches and reads by POST; the host allows only these in
// read-only calls (the `generic` style reads by GET).
read_only_routes!("POST /ticket-search", "POST /ticket-get");
export_adapter!(Otobo);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_numbers() {
        assert_eq!(ticket_id(" 42 ").unwrap(), "42");
        for bad in ["", "0", "007", "4,2", "x", "-1"] {
            assert!(
                matches!(ticket_id(bad), Err(AdapterError::NotFound(_))),
                "{bad}"
            );
        }
    }
}
