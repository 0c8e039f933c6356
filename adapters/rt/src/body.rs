//! A ticket's body: the content of its `Create` transaction (the message it was opened
//! with), fetched for a whole page at once with two REST2 collection queries:
//!
//! 1. `POST /transactions` with `ObjectType = RT::Ticket, ObjectId IN (ids), Type = Create`
//!    → one transaction id per ticket;
//! 2. `POST /attachments` with `TransactionId IN (those), ContentType IN (text/plain,
//!    text/html)`, oldest first → the first text part is `body-text`, the first HTML part
//!    `body-html`.
//!
//! Later correspondence is not read: the opening message is what a triage model needs,
//! and two requests per page keep a scan cheap. Tickets opened without content have no
//! body. `fields=Content` returns the decoded text (the single-attachment endpoint would
//! return base64). Asking for `Parent` in `fields` makes RT 5.0.3 answer 500 for
//! top-level parts, so it is not asked for.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::AdapterResult;

use crate::api;
use crate::map::text;

/// The body parts found for one ticket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub text: Option<String>,
    pub html: Option<String>,
}

/// Collection pages read at most per query (100 items each).
const MAX_PAGES: u32 = 5;

fn collect(path: &str, fields: &str, query: &Value) -> AdapterResult<Vec<Value>> {
    let mut out = Vec::new();
    for page in 1..=MAX_PAGES {
        let reply = api::send(
            Method::Post,
            &format!("{path}?fields={fields}&per_page=100&page={page}&orderby=id&order=ASC"),
            query,
            &[],
        )?;
        let (items, _) = api::items(&reply)?;
        let full = items.len() == 100;
        out.extend(items);
        if !full {
            break;
        }
    }
    Ok(out)
}

/// The bodies of these tickets, by ticket id.
pub fn bodies(ids: &[u64]) -> AdapterResult<BTreeMap<u64, Body>> {
    let mut out = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let creates = collect(
        "/transactions",
        "ObjectId",
        &json!([
            {"field": "ObjectType", "value": "RT::Ticket"},
            {"field": "ObjectId", "operator": "IN", "value": ids},
            {"field": "Type", "value": "Create"}
        ]),
    )?;
    let mut ticket_of = BTreeMap::new();
    for t in &creates {
        if let (Some(txn), Some(ticket)) = (
            text(&t["id"]).and_then(|s| s.parse::<u64>().ok()),
            text(&t["ObjectId"]).and_then(|s| s.parse::<u64>().ok()),
        ) {
            ticket_of.insert(txn, ticket);
        }
    }
    if ticket_of.is_empty() {
        return Ok(out);
    }
    let txns: Vec<u64> = ticket_of.keys().copied().collect();
    let parts = collect(
        "/attachments",
        "TransactionId,ContentType,Content",
        &json!([
            {"field": "TransactionId", "operator": "IN", "value": txns},
            {"field": "ContentType", "operator": "IN", "value": ["text/plain", "text/html"]}
        ]),
    )?;
    for part in &parts {
        let Some(ticket) = text(&part["TransactionId"])
            .and_then(|s| s.parse::<u64>().ok())
            .and_then(|txn| ticket_of.get(&txn))
        else {
            continue;
        };
        let body: &mut Body = out.entry(*ticket).or_default();
        let content = part["Content"].as_str().map(str::to_owned);
        match part["ContentType"].as_str() {
            Some("text/plain") if body.text.is_none() => body.text = content,
            Some("text/html") if body.html.is_none() => body.html = content,
            _ => {}
        }
    }
    Ok(out)
}
