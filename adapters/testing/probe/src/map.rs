//! Mapping the plain JSON ticket API onto the contract. Pure code: it also
//! compiles natively, which the sandbox-overhead benchmark uses.

use serde::Deserialize;
use triage_adapter_sdk::{entity, ticket, AdapterError, CustomField, Ticket};

#[derive(Deserialize)]
struct Plain {
    id: serde_json::Value,
    subject: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    queue: Option<String>,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    custom_fields: serde_json::Map<String, serde_json::Value>,
}

fn id_text(id: &serde_json::Value) -> String {
    match id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn map(p: Plain) -> Ticket {
    Ticket {
        body_text: p.body,
        queue: p.queue.map(|q| entity(&q, Some(q.clone()))),
        priority: p.priority.map(|q| entity(&q, Some(q.clone()))),
        tags: p.tags,
        updated_at: p.updated_at,
        custom_fields: p
            .custom_fields
            .into_iter()
            .map(|(name, value)| CustomField {
                name,
                value: value.to_string(),
            })
            .collect(),
        ..ticket(id_text(&p.id), p.subject)
    }
}

fn bad(e: serde_json::Error) -> AdapterError {
    AdapterError::Protocol(format!("ticket JSON: {e}"))
}

/// A page: a JSON array of tickets.
pub fn page_from_json(body: &[u8]) -> Result<Vec<Ticket>, AdapterError> {
    let plain: Vec<Plain> = serde_json::from_slice(body).map_err(bad)?;
    Ok(plain.into_iter().map(map).collect())
}

/// One ticket object.
pub fn ticket_from_json(body: &[u8]) -> Result<Ticket, AdapterError> {
    serde_json::from_slice(body).map(map).map_err(bad)
}
