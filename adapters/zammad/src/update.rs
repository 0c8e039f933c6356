//! `update-ticket`: queue, priority and custom attributes in one `PUT /tickets/{id}`, tags one
//! by one through `/tags/add` and `/tags/remove` (Zammad ignores `tags` on an update), so tags
//! set by others are never touched.
//!
//! The PUT goes first: when Zammad refuses a value nothing else has changed. `if-version` is
//! compared with `updated_at` read just before (Zammad has no conditional update, so a change
//! in between is not caught).

use serde_json::{Map, Value};
use triage_adapter_sdk::errors::invalid;
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::{AdapterError, AdapterResult, EntityRef, TagOp, TicketPatch};

use crate::api;
use crate::find::millis;
use crate::map;

/// An association by id (`{key}_id`, a number) or by name (`{key}`, resolved by Zammad).
fn association(
    body: &mut Map<String, Value>,
    key: &str,
    field: &str,
    e: &EntityRef,
) -> AdapterResult<()> {
    match (&e.id, &e.name) {
        (Some(id), _) => {
            let n: u64 = id
                .trim()
                .parse()
                .map_err(|_| invalid(field, format!("Zammad {key} ids are numbers, not {id:?}")))?;
            body.insert(format!("{key}_id"), n.into());
        }
        (None, Some(name)) if !name.trim().is_empty() => {
            body.insert(key.to_owned(), name.trim().into());
        }
        _ => return Err(invalid(field, format!("a {field} needs an id or a name"))),
    }
    Ok(())
}

/// The PUT body for the patch's fields (empty when it changes none).
pub fn fields_body(patch: &TicketPatch) -> AdapterResult<Map<String, Value>> {
    let mut body = Map::new();
    if let Some(q) = &patch.queue {
        association(&mut body, "group", "queue", q)?;
    }
    if let Some(p) = &patch.priority {
        association(&mut body, "priority", "priority", p)?;
    }
    for f in &patch.custom_fields {
        if map::BUILTIN_KEYS.contains(&f.name.as_str()) || f.name.trim().is_empty() {
            return Err(invalid(
                &f.name,
                format!(
                    "{:?} is a Zammad ticket field, not a custom attribute",
                    f.name
                ),
            ));
        }
        let value =
            serde_json::from_str(&f.value).unwrap_or_else(|_| Value::String(f.value.clone()));
        body.insert(f.name.clone(), value);
    }
    Ok(body)
}

/// Tags to add and to remove for `op`, given the current tags (needed for `replace` only).
pub fn tag_changes(current: &[String], op: &TagOp) -> (Vec<String>, Vec<String>) {
    let clean = |tags: &[String]| {
        let mut out: Vec<String> = Vec::new();
        for t in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
                out.push(t.to_owned());
            }
        }
        out
    };
    let has = |list: &[String], t: &str| list.iter().any(|x| x.eq_ignore_ascii_case(t));
    match op {
        TagOp::Add(add) => (clean(add), Vec::new()),
        TagOp::Remove(rm) => (Vec::new(), clean(rm)),
        TagOp::Replace(all) => {
            let want = clean(all);
            let add = want.iter().filter(|t| !has(current, t)).cloned().collect();
            let rm = current.iter().filter(|t| !has(&want, t)).cloned().collect();
            (add, rm)
        }
    }
}

/// The expanded ticket.
pub fn fetch(id: u64) -> AdapterResult<Value> {
    api::get(&format!("/tickets/{id}?expand=true"))
}

fn same_version(current: &Value, version: &str) -> bool {
    let at = current["updated_at"].as_str().unwrap_or_default();
    match (millis(at), millis(version)) {
        (Some(a), Some(b)) => a == b,
        _ => at == version,
    }
}

/// Apply `patch`; the expanded ticket as it now is.
pub fn update(id: u64, patch: &TicketPatch) -> AdapterResult<Value> {
    let body = fields_body(patch)?;
    if let Some(v) = &patch.if_version {
        let current = fetch(id)?;
        if !same_version(&current, v) {
            return Err(AdapterError::Conflict(format!(
                "ticket {id} changed: version {v}, now {}",
                current["updated_at"]
            )));
        }
    }
    let mut answer = None;
    if !body.is_empty() {
        answer = Some(api::send(
            Method::Put,
            &format!("/tickets/{id}?expand=true"),
            &Value::Object(body),
        )?);
    }
    let (add, remove) = match &patch.tags {
        None => (Vec::new(), Vec::new()),
        Some(op @ TagOp::Replace(_)) => {
            let current = api::get(&format!("/tags?object=Ticket&o_id={id}"))?;
            tag_changes(&map::tags_of(&current), op)
        }
        Some(op) => tag_changes(&[], op),
    };
    for (method, path, items) in [
        (Method::Post, "/tags/add", &add),
        (Method::Delete, "/tags/remove", &remove),
    ] {
        for item in items {
            let body = serde_json::json!({"item": item, "object": "Ticket", "o_id": id});
            api::send(method, path, &body)?;
        }
    }
    // Tag changes move `updated_at`: read the ticket again after them.
    match answer {
        Some(a) if add.is_empty() && remove.is_empty() => Ok(a),
        _ => fetch(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use triage_adapter_sdk::CustomField;

    use triage_adapter_sdk::patch::empty as patch;

    fn named(n: &str) -> EntityRef {
        EntityRef {
            id: None,
            name: Some(n.into()),
        }
    }

    #[test]
    fn only_the_fields_asked_for() {
        let p = TicketPatch {
            queue: Some(named("Billing and Payments")),
            priority: Some(EntityRef {
                id: Some("3".into()),
                name: Some("3 high".into()),
            }),
            custom_fields: vec![
                CustomField {
                    name: "triage_confidence".into(),
                    value: "87".into(),
                },
                CustomField {
                    name: "language".into(),
                    value: "de".into(),
                },
            ],
            ..patch()
        };
        assert_eq!(
            Value::Object(fields_body(&p).unwrap()),
            json!({"group": "Billing and Payments", "priority_id": 3, "triage_confidence": 87, "language": "de"})
        );
        assert!(fields_body(&patch()).unwrap().is_empty());
        let bad = TicketPatch {
            custom_fields: vec![CustomField {
                name: "state_id".into(),
                value: "4".into(),
            }],
            ..patch()
        };
        assert!(
            matches!(fields_body(&bad), Err(AdapterError::Validation(f)) if f[0].field == "state_id")
        );
        let bad = TicketPatch {
            queue: Some(EntityRef {
                id: Some("x".into()),
                name: None,
            }),
            ..patch()
        };
        assert!(
            matches!(fields_body(&bad), Err(AdapterError::Validation(f)) if f[0].field == "queue")
        );
    }

    #[test]
    fn tags_change_one_by_one() {
        let cur = vec!["vip".to_owned(), "Web".to_owned()];
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            tag_changes(&cur, &TagOp::Add(s(&["triaged", " ", "triaged"]))),
            (s(&["triaged"]), vec![])
        );
        assert_eq!(
            tag_changes(&cur, &TagOp::Replace(s(&["web", "new"]))),
            (s(&["new"]), s(&["vip"]))
        );
        assert_eq!(
            tag_changes(&cur, &TagOp::Remove(s(&["vip"]))),
            (vec![], s(&["vip"]))
        );
    }

    #[test]
    fn versions_compare_to_the_millisecond() {
        let cur = json!({"updated_at": "2024-01-01T00:00:00.120Z"});
        assert!(same_version(&cur, "2024-01-01T00:00:00.12Z"));
        assert!(!same_version(&cur, "2024-01-01T00:00:00Z"));
    }
}
