//! Queues: listing them, and resolving a reference before it is used. RT answers a
//! TicketSQL search for an unknown queue with no tickets and a `PUT` with a message in
//! a 200, so a queue is looked up first (`GET /queue/:id-or-name`, one request) and an
//! unknown or disabled one is a validation error that names it.

use serde_json::Value;
use triage_adapter_sdk::{entity, http, AdapterError, AdapterResult, EntityRef};

use crate::api;
use crate::map::text;

/// Pages of `GET /queues/all` read at most (100 queues each).
const MAX_PAGES: u32 = 20;

fn invalid(message: String) -> AdapterError {
    triage_adapter_sdk::errors::invalid("queue", message)
}

/// A queue's id and name. Names containing `/` cannot be looked up this way (REST2 routes
/// by path segment): give those queues by id.
pub fn resolve(queue: &EntityRef) -> AdapterResult<(u64, String)> {
    let key = match (&queue.id, &queue.name) {
        (Some(id), _) if !id.trim().is_empty() => id.trim().to_owned(),
        (_, Some(name)) if !name.trim().is_empty() => name.trim().to_owned(),
        _ => return Err(invalid("a queue needs an id or a name".into())),
    };
    let reply = match api::get(&format!("/queue/{}", http::encode(&key))) {
        Err(AdapterError::NotFound(_)) => {
            return Err(invalid(format!("RT has no queue {key:?}")));
        }
        other => other?,
    };
    let v: Value = reply.json()?;
    if text(&v["Disabled"]).as_deref() == Some("1") {
        return Err(invalid(format!("RT queue {key:?} is disabled")));
    }
    match (
        text(&v["id"]).and_then(|i| i.parse().ok()),
        v["Name"].as_str(),
    ) {
        (Some(id), Some(name)) => Ok((id, name.to_owned())),
        _ => Err(AdapterError::Protocol(format!(
            "RT queue {key:?} without id or name"
        ))),
    }
}

/// Every queue the login may see, enabled ones only.
pub fn all() -> AdapterResult<Vec<EntityRef>> {
    let mut out = Vec::new();
    for page in 1..=MAX_PAGES {
        let reply = api::get(&format!("/queues/all?fields=Name&per_page=100&page={page}"))?;
        let (items, _) = api::items(&reply)?;
        let full = items.len() == 100;
        out.extend(items.iter().filter_map(|q| {
            Some(entity(
                text(&q["id"])?,
                q["Name"].as_str().map(str::to_owned),
            ))
        }));
        if !full {
            break;
        }
    }
    Ok(out)
}
