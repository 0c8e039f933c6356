//! `update-ticket`: one `PUT /tickets/{id}.json` with only the fields asked for, and tag
//! additions and removals through the Tags API, which keeps every other tag.
//!
//! - `tags` in a ticket PUT replaces the whole list, so only `replace` uses it. `add` is
//!   `PUT /tickets/{id}/tags.json` and `remove` is `DELETE` on the same path: each changes
//!   only the tags named, atomically on the server, with no read-modify-write race against
//!   an agent editing the ticket (Tags API: "add tags", "remove tags").
//! - `if-version` is the ticket's `updated_at`, sent as `safe_update: true` +
//!   `updated_stamp` on the first write; Zendesk refuses a stale one with 409, which is
//!   `conflict`. A patch with nothing to write compares it with a fresh read instead.
//! - Custom fields are set by numeric field id (`[{"id", "value"}]`), the name the adapter
//!   reports them under.
//! - After a tag call the ticket is read again: the Tags API answers with the tags only.

use serde_json::{json, Map, Value};
use triage_adapter_sdk::errors::invalid;
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::time::parse_timestamp;
use triage_adapter_sdk::{AdapterError, AdapterResult, EntityRef, TagOp, TicketPatch};

use crate::api;
use crate::map::{self, Groups};

/// A queue as a `group_id`: by id, or by name through the (refreshed on miss) group list.
fn group_id(queue: &EntityRef) -> AdapterResult<u64> {
    if let Some(id) = &queue.id {
        return id
            .trim()
            .parse()
            .map_err(|_| invalid("queue", format!("group id {id:?} is not a number")));
    }
    let name = queue.name.as_deref().unwrap_or_default();
    let lookup = |g: Groups| g.id(name);
    match lookup(api::groups(false)?) {
        Some(id) => Ok(id),
        None => lookup(api::groups(true)?)
            .ok_or_else(|| invalid("queue", format!("no Zendesk group (queue) named {name:?}"))),
    }
}

/// The ticket's JSON object.
pub fn fetch(id: u64) -> AdapterResult<Value> {
    Ok(api::get(&format!("/tickets/{id}.json"))?["ticket"].take())
}

/// Whether `version` names the same `updated_at` as `current`.
fn same_version(current: &Value, version: &str) -> bool {
    let at = current["updated_at"].as_str().unwrap_or_default();
    match (parse_timestamp(at, 0), parse_timestamp(version, 0)) {
        (Some(a), Some(b)) => a == b,
        _ => at == version,
    }
}

/// The ticket attributes for `patch` (no group, no version: see [`update`]).
pub fn attributes(patch: &TicketPatch) -> AdapterResult<Map<String, Value>> {
    let mut body = Map::new();
    if let Some(p) = &patch.priority {
        let value = map::priority_value(p).ok_or_else(|| {
            invalid(
                "priority",
                format!("{p:?} is not one of low, normal, high, urgent"),
            )
        })?;
        body.insert("priority".into(), value.into());
    }
    if !patch.custom_fields.is_empty() {
        let mut fields = Vec::new();
        for f in &patch.custom_fields {
            let id: u64 = f.name.trim().parse().map_err(|_| {
                invalid(
                    &format!("custom_fields.{}", f.name),
                    "Zendesk custom fields are set by their numeric field id".into(),
                )
            })?;
            fields.push(json!({"id": id, "value": map::custom_value(&f.value)}));
        }
        body.insert("custom_fields".into(), fields.into());
    }
    if let Some(TagOp::Replace(all)) = &patch.tags {
        body.insert(
            "tags".into(),
            triage_adapter_sdk::patch::tags_after(&[], all, &[]).into(),
        );
    }
    Ok(body)
}

fn guard(body: &mut Map<String, Value>, version: Option<&String>) {
    if let Some(v) = version {
        body.insert("safe_update".into(), true.into());
        body.insert("updated_stamp".into(), v.clone().into());
    }
}

/// Apply `patch`; the ticket as it now is.
pub fn update(id: u64, patch: &TicketPatch) -> AdapterResult<Value> {
    let mut attrs = attributes(patch)?;
    if let Some(q) = &patch.queue {
        attrs.insert("group_id".into(), group_id(q)?.into());
    }
    let tag_call = match &patch.tags {
        Some(TagOp::Add(t)) if !t.is_empty() => Some((Method::Put, t)),
        Some(TagOp::Remove(t)) if !t.is_empty() => Some((Method::Delete, t)),
        _ => None,
    };
    let mut version = patch.if_version.as_ref();
    let mut written = None;
    if !attrs.is_empty() {
        guard(&mut attrs, version.take());
        let reply = api::send(
            Method::Put,
            &format!("/tickets/{id}.json"),
            &json!({ "ticket": attrs }),
        )?;
        written = Some(reply["ticket"].clone());
    }
    if let Some((method, tags)) = tag_call {
        let mut body = Map::new();
        body.insert("tags".into(), tags.clone().into());
        guard(&mut body, version.take());
        api::send(
            method,
            &format!("/tickets/{id}/tags.json"),
            &Value::Object(body),
        )?;
        written = None;
    }
    match (written, version) {
        (Some(t), _) => Ok(t),
        (None, None) => fetch(id),
        (None, Some(v)) => {
            let current = fetch(id)?;
            if same_version(&current, v) {
                Ok(current)
            } else {
                Err(AdapterError::Conflict(format!(
                    "ticket {id} changed: version {v}, now {}",
                    current["updated_at"]
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use triage_adapter_sdk::patch::empty as patch;
    use triage_adapter_sdk::CustomField;

    #[test]
    fn only_the_fields_asked_for() {
        let p = TicketPatch {
            priority: Some(EntityRef {
                id: None,
                name: Some("medium".into()),
            }),
            custom_fields: vec![CustomField {
                name: "360001".into(),
                value: "\"de\"".into(),
            }],
            tags: Some(TagOp::Add(vec!["x".into()])),
            ..patch()
        };
        assert_eq!(
            Value::Object(attributes(&p).unwrap()),
            json!({"priority": "normal", "custom_fields": [{"id": 360001, "value": "de"}]})
        );
        assert!(attributes(&patch()).unwrap().is_empty());
        let replace = TicketPatch {
            tags: Some(TagOp::Replace(vec!["a".into(), "a".into()])),
            ..patch()
        };
        assert_eq!(attributes(&replace).unwrap()["tags"], json!(["a"]));
    }

    #[test]
    fn bad_values_are_refused_before_sending() {
        let bad = TicketPatch {
            priority: Some(EntityRef {
                id: Some("9".into()),
                name: None,
            }),
            ..patch()
        };
        assert!(
            matches!(attributes(&bad), Err(AdapterError::Validation(f)) if f[0].field == "priority")
        );
        let named = TicketPatch {
            custom_fields: vec![CustomField {
                name: "cf_language".into(),
                value: "\"de\"".into(),
            }],
            ..patch()
        };
        assert!(
            matches!(attributes(&named), Err(AdapterError::Validation(f)) if f[0].field == "custom_fields.cf_language")
        );
    }

    #[test]
    fn versions_compare_as_times() {
        let cur = json!({"updated_at": "2024-01-01T00:00:00Z"});
        assert!(same_version(&cur, "2024-01-01T00:00:00+00:00"));
        assert!(!same_version(&cur, "2023-12-31T00:00:00Z"));
        let mut body = Map::new();
        guard(&mut body, Some(&"2024-01-01T00:00:00Z".to_owned()));
        assert_eq!(
            Value::Object(body),
            json!({"safe_update": true, "updated_stamp": "2024-01-01T00:00:00Z"})
        );
    }
}
