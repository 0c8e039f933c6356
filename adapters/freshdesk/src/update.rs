//! `PUT /tickets/{id}` with only the fields asked for.
//!
//! Freshdesk's `tags` replaces the whole list, so adding or removing tags reads the
//! ticket first and writes the full list back. `if-version` is compared with the
//! ticket's `updated_at` read just before the write (Freshdesk has no conditional PUT,
//! so a change in between is not caught).

use serde_json::{Map, Value};
use triage_adapter_sdk::errors::invalid;
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::patch::{self, tags_to_write};
use triage_adapter_sdk::time::parse_timestamp;
use triage_adapter_sdk::{AdapterError, AdapterResult, EntityRef, TicketPatch};

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
        None => lookup(api::groups(true)?).ok_or_else(|| {
            invalid(
                "queue",
                format!("no Freshdesk group (queue) named {name:?}"),
            )
        }),
    }
}

/// The ticket's JSON object.
pub fn fetch(id: u64) -> AdapterResult<Value> {
    api::get(&format!("/tickets/{id}"))?.json()
}

/// Whether `version` names the same `updated_at` as `current`.
fn same_version(current: &Value, version: &str) -> bool {
    let at = current["updated_at"].as_str().unwrap_or_default();
    match (parse_timestamp(at, 0), parse_timestamp(version, 0)) {
        (Some(a), Some(b)) => a == b,
        _ => at == version,
    }
}

/// The PUT body for `patch`, given the ticket as it is (needed for tags and versions).
pub fn body(patch: &TicketPatch, current: Option<&Value>) -> AdapterResult<Map<String, Value>> {
    let mut body = Map::new();
    if let (Some(v), Some(cur)) = (&patch.if_version, current) {
        if !same_version(cur, v) {
            return Err(AdapterError::Conflict(format!(
                "ticket changed: version {v}, now {}",
                cur["updated_at"]
            )));
        }
    }
    if let Some(p) = &patch.priority {
        let code = map::priority_code(p).ok_or_else(|| {
            invalid(
                "priority",
                format!("{p:?} is not one of Low, Medium, High, Urgent (1-4)"),
            )
        })?;
        body.insert("priority".into(), code.into());
    }
    if !patch.custom_fields.is_empty() {
        body.insert(
            "custom_fields".into(),
            Value::Object(map::custom_fields(&patch.custom_fields)),
        );
    }
    let tags = patch.tags.as_ref().and_then(|op| {
        let cur: Vec<String> = current
            .and_then(|c| c["tags"].as_array())
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        tags_to_write(&cur, op)
    });
    if let Some(tags) = tags {
        body.insert("tags".into(), tags.into());
    }
    Ok(body)
}

/// Apply `patch`; the ticket as it now is.
pub fn update(id: u64, patch: &TicketPatch) -> AdapterResult<Value> {
    let current = if patch::needs_current(patch) {
        Some(fetch(id)?)
    } else {
        None
    };
    let mut body = body(patch, current.as_ref())?;
    if let Some(q) = &patch.queue {
        body.insert("group_id".into(), group_id(q)?.into());
    }
    if body.is_empty() {
        return match current {
            Some(c) => Ok(c),
            None => fetch(id),
        };
    }
    api::send(Method::Put, &format!("/tickets/{id}"), &Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use triage_adapter_sdk::CustomField;

    use triage_adapter_sdk::patch::empty as patch;
    use triage_adapter_sdk::TagOp;

    #[test]
    fn only_the_fields_asked_for() {
        let p = TicketPatch {
            priority: Some(EntityRef {
                id: None,
                name: Some("urgent".into()),
            }),
            custom_fields: vec![CustomField {
                name: "cf_plan".into(),
                value: "\"pro\"".into(),
            }],
            ..patch()
        };
        assert_eq!(
            Value::Object(body(&p, None).unwrap()),
            json!({"priority": 4, "custom_fields": {"cf_plan": "pro"}})
        );
        assert!(body(&patch(), None).unwrap().is_empty());
    }

    #[test]
    fn tags_read_modify_write() {
        let cur = json!({"tags": ["vip", "billing"], "updated_at": "2024-01-01T00:00:00Z"});
        let add = TicketPatch {
            tags: Some(TagOp::Add(vec!["triaged".into()])),
            ..patch()
        };
        assert_eq!(
            body(&add, Some(&cur)).unwrap()["tags"],
            json!(["vip", "billing", "triaged"])
        );
        let rm = TicketPatch {
            tags: Some(TagOp::Remove(vec!["vip".into()])),
            ..patch()
        };
        assert_eq!(body(&rm, Some(&cur)).unwrap()["tags"], json!(["billing"]));
        let noop = TicketPatch {
            tags: Some(TagOp::Add(vec!["vip".into()])),
            ..patch()
        };
        assert!(body(&noop, Some(&cur)).unwrap().is_empty());
    }

    #[test]
    fn versions_and_bad_priorities() {
        let cur = json!({"updated_at": "2024-01-01T00:00:00Z"});
        let ok = TicketPatch {
            if_version: Some("2024-01-01T00:00:00Z".into()),
            ..patch()
        };
        assert!(body(&ok, Some(&cur)).is_ok());
        let stale = TicketPatch {
            if_version: Some("2023-12-31T00:00:00Z".into()),
            ..patch()
        };
        assert!(matches!(
            body(&stale, Some(&cur)),
            Err(AdapterError::Conflict(_))
        ));
        let bad = TicketPatch {
            priority: Some(EntityRef {
                id: Some("9".into()),
                name: None,
            }),
            ..patch()
        };
        assert!(
            matches!(body(&bad, None), Err(AdapterError::Validation(f)) if f[0].field == "priority")
        );
    }
}
