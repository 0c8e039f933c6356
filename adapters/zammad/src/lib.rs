//! The Zammad REST API adapter.
//!
//! Settings (non-secret, from the connection): `base_url` (the server root, e.g.
//! `https://helpdesk.example.com` or a simulator's `http://127.0.0.1:PORT`; without it paths
//! resolve against the connection's base URL), `search_window` (Elasticsearch's
//! `max_result_window`, default 10000) and `page_size` (at most 30). The token is added by the
//! host as `Authorization: Token token=…`; the adapter never sees it. See
//! `adapters/README.md`.

pub mod api;
pub mod find;
pub mod map;
pub mod update;

use serde_json::{json, Value};
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::*;

/// The adapter; exported as the component's `adapter` interface on wasm32.
pub struct Zammad;

/// Ticket ids are numbers; anything else cannot exist.
fn ticket_id(id: &str) -> AdapterResult<u64> {
    id.trim()
        .parse()
        .map_err(|_| AdapterError::NotFound(format!("Zammad ticket ids are numbers, not {id:?}")))
}

fn named_list(items: &Value) -> Vec<EntityRef> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["active"].as_bool() != Some(false))
        .filter_map(|v| {
            Some(entity(
                v["id"].as_u64()?,
                Some(v["name"].as_str()?.to_owned()),
            ))
        })
        .collect()
}

impl Adapter for Zammad {
    fn describe() -> AdapterInfo {
        AdapterInfo {
            name: "zammad".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            system: "Zammad REST API v1".into(),
            capabilities: Capabilities::TAGS
                | Capabilities::INTERNAL_NOTES
                | Capabilities::CUSTOM_FIELDS
                | Capabilities::NATIVE_SEARCH
                | Capabilities::OPTIMISTIC_LOCKING,
            max_page_size: find::MAX_PAGE,
        }
    }

    fn find_tickets(query: TicketQuery, cursor: Option<String>) -> AdapterResult<Page> {
        find::find(&query, cursor.as_deref())
    }

    fn get_ticket(id: String) -> AdapterResult<Ticket> {
        let id = ticket_id(&id)?;
        find::complete(&update::fetch(id).map_err(|e| api::about(id, e))?)
    }

    fn update_ticket(id: String, patch: TicketPatch) -> AdapterResult<Ticket> {
        let id = ticket_id(&id)?;
        find::complete(&update::update(id, &patch).map_err(|e| api::about(id, e))?)
    }

    fn add_note(id: String, note: Note) -> AdapterResult<Option<String>> {
        let id = ticket_id(&id)?;
        let mut body = json!({
            "ticket_id": id,
            "body": note.body,
            "content_type": if note.html { "text/html" } else { "text/plain" },
            "type": "note",
            "internal": true,
            "sender": "Agent",
        });
        if let Some(s) = note
            .subject
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            body["subject"] = s.into();
        }
        let reply =
            api::send(Method::Post, "/ticket_articles", &body).map_err(|e| api::about(id, e))?;
        Ok(reply["id"].as_u64().map(|n| n.to_string()))
    }

    /// All active groups; an agent without `admin.group` may not list them, and gets the
    /// groups it works in (by name) from its own profile instead.
    fn list_queues() -> AdapterResult<Vec<EntityRef>> {
        match api::get("/groups") {
            Ok(groups) => Ok(named_list(&groups)),
            Err(AdapterError::Forbidden(_)) => {
                let me = api::get("/users/me?expand=true")?;
                Ok(me["groups"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, _)| EntityRef {
                        id: None,
                        name: Some(name.clone()),
                    })
                    .collect())
            }
            Err(e) => Err(e),
        }
    }

    fn list_priorities() -> AdapterResult<Vec<EntityRef>> {
        Ok(named_list(&api::get("/ticket_priorities")?))
    }
}

export_adapter!(Zammad);
