//! RT REST2 JSON ⇄ the contract's ticket model. Pure code (no host calls), so it is
//! unit-tested natively.
//!
//! - `Queue` comes as `{id, Name}` (requested with `fields[Queue]=Name`).
//! - `Priority` is a number as text; its level and name come from [`Priorities`].
//! - `CustomFields` is `[{name, values: [...]}]`: no value → `null`, one → the string,
//!   several → an array of strings. Writing takes the same shapes back.
//! - `Owner` `Nobody` means unassigned; the requester is the first `Requestor`.
//! - RT has no tags: `tags` is always empty.

use serde_json::{Map, Value};
use triage_adapter_sdk::{entity, ticket, AdapterError, CustomField, EntityRef, Ticket};

use crate::settings::{Priorities, Statuses};

/// What mapping needs besides the ticket.
pub struct Context<'a> {
    pub priorities: &'a Priorities,
    pub statuses: &'a Statuses,
}

/// A string field, also when RT sends a number.
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A ticket's numeric id.
pub fn ticket_id(v: &Value) -> Option<u64> {
    text(&v["id"]).and_then(|s| s.parse().ok())
}

/// RT writes unset dates as the epoch.
fn time(v: &Value) -> Option<String> {
    v.as_str()
        .filter(|t| !t.starts_with("1970-01-01"))
        .map(|t| triage_adapter_sdk::time::to_rfc3339(t, 0).unwrap_or_else(|| t.to_owned()))
}

fn user(v: &Value) -> Option<EntityRef> {
    let id = text(&v["id"])?;
    (id != "Nobody").then(|| entity(&id, Some(id.clone())))
}

/// One ticket's custom fields as `(name, JSON value)`.
pub fn custom_fields(v: &Value) -> Vec<(String, Value)> {
    v["CustomFields"]
        .as_array()
        .map(|cfs| {
            cfs.iter()
                .filter_map(|cf| {
                    let name = cf["name"].as_str()?.to_owned();
                    let values: Vec<Value> = cf["values"]
                        .as_array()
                        .map(|a| a.iter().filter_map(text).map(Value::String).collect())
                        .unwrap_or_default();
                    let value = match values.len() {
                        0 => Value::Null,
                        1 => values.into_iter().next().unwrap_or(Value::Null),
                        _ => Value::Array(values),
                    };
                    Some((name, value))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A custom field value (JSON) as RT takes it: strings, an array of strings, or `null`
/// to clear.
pub fn cf_value(value: &Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::String(_) => value.clone(),
        Value::Array(items) => Value::Array(items.iter().map(cf_value).collect()),
        Value::Bool(_) | Value::Number(_) => Value::String(value.to_string()),
        Value::Object(_) => Value::String(value.to_string()),
    }
}

/// The values of a custom field value, for comparing what was written with what is stored.
pub fn cf_values(value: &Value) -> Vec<String> {
    let mut out: Vec<String> = match cf_value(value) {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(&other).into_iter().collect(),
    };
    out.sort();
    out
}

/// The priority entity and level of an RT priority number.
pub fn priority(
    number: i64,
    priorities: &Priorities,
) -> (EntityRef, triage_adapter_sdk::PriorityLevel) {
    let (level, name) = priorities.level_of(number);
    (entity(number, Some(name.to_owned())), level)
}

/// One RT ticket object (from `GET /ticket/:id` or a search with `fields=`) as a contract
/// ticket. `version` is the ETag when the ticket was read on its own.
pub fn ticket_from(
    v: &Value,
    cx: &Context,
    version: Option<String>,
) -> Result<Ticket, AdapterError> {
    let id = ticket_id(v)
        .ok_or_else(|| AdapterError::Protocol(format!("an RT ticket without a numeric id: {v}")))?;
    let subject = v["Subject"].as_str().unwrap_or_default();
    let queue = text(&v["Queue"]["id"]).map(|qid| {
        let name = v["Queue"]["Name"].as_str().map(str::to_owned);
        entity(qid, name)
    });
    let (priority, priority_level) = match text(&v["Priority"]).and_then(|p| p.parse().ok()) {
        Some(n) => {
            let (e, level) = priority(n, cx.priorities);
            (Some(e), Some(level))
        }
        None => (None, None),
    };
    let status = v["Status"].as_str();
    let custom_fields = custom_fields(v)
        .into_iter()
        .map(|(name, value)| CustomField {
            name,
            value: value.to_string(),
        })
        .collect();
    Ok(Ticket {
        queue,
        priority,
        priority_level,
        status: status.map(|s| entity(s, Some(s.to_owned()))),
        status_category: status.map(|s| cx.statuses.category(s)),
        custom_fields,
        assignee: user(&v["Owner"]),
        requester: v["Requestor"]
            .as_array()
            .and_then(|r| r.first())
            .and_then(user),
        created_at: time(&v["Created"]),
        updated_at: time(&v["LastUpdated"]),
        version,
        raw: Some(v.to_string()),
        ..ticket(id.to_string(), subject)
    })
}

/// The `CustomFields` object of a PUT body, from the contract's custom fields.
pub fn cf_body(fields: &[(String, Value)]) -> Value {
    Value::Object(
        fields
            .iter()
            .map(|(name, value)| (name.clone(), cf_value(value)))
            .collect::<Map<String, Value>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use triage_adapter_sdk::{PriorityLevel, StatusCategory};

    fn sample() -> Value {
        json!({
            "id": 7, "Subject": "Refund please", "Status": "stalled", "Priority": "50",
            "Queue": {"id": "3", "Name": "Billing and Payments", "type": "queue"},
            "Owner": {"id": "Nobody", "type": "user"},
            "Requestor": [{"id": "ann@example.com", "type": "user"}],
            "Created": "2024-05-01T10:00:00Z", "LastUpdated": "2024-05-02T11:00:00Z",
            "Resolved": "1970-01-01T00:00:00Z",
            "CustomFields": [
                {"name": "Triage Category", "id": "2", "values": []},
                {"name": "Language", "id": "3", "values": ["de"]},
                {"name": "Labels", "id": "4", "values": ["a", "b"]}
            ]
        })
    }

    #[test]
    fn a_ticket_maps() {
        let priorities = Priorities::from_settings(|_| None).unwrap();
        let statuses = Statuses::from_settings(|_| None);
        let cx = Context {
            priorities: &priorities,
            statuses: &statuses,
        };
        let t = ticket_from(&sample(), &cx, Some("91".into())).unwrap();
        assert_eq!(t.id, "7");
        assert_eq!(
            t.queue.unwrap().name.as_deref(),
            Some("Billing and Payments")
        );
        let p = t.priority.unwrap();
        assert_eq!(
            (p.id.as_deref(), p.name.as_deref()),
            (Some("50"), Some("Medium"))
        );
        assert_eq!(t.priority_level, Some(PriorityLevel::Medium));
        assert_eq!(t.status_category, Some(StatusCategory::Pending));
        assert!(t.assignee.is_none());
        assert_eq!(t.requester.unwrap().id.as_deref(), Some("ann@example.com"));
        assert_eq!(t.version.as_deref(), Some("91"));
        assert!(t.tags.is_empty());
        let cfs: Vec<(String, String)> = t
            .custom_fields
            .into_iter()
            .map(|c| (c.name, c.value))
            .collect();
        assert_eq!(
            cfs,
            [
                ("Triage Category".to_owned(), "null".to_owned()),
                ("Language".to_owned(), "\"de\"".to_owned()),
                ("Labels".to_owned(), r#"["a","b"]"#.to_owned()),
            ]
        );
        assert!(ticket_from(&json!({"Subject": "x"}), &cx, None).is_err());
    }

    #[test]
    fn custom_field_values_for_writing_and_comparing() {
        assert_eq!(cf_value(&json!(5)), json!("5"));
        assert_eq!(cf_value(&json!([1, "a"])), json!(["1", "a"]));
        assert_eq!(cf_values(&json!(["b", "a"])), ["a", "b"]);
        assert!(cf_values(&Value::Null).is_empty());
        assert_eq!(
            cf_body(&[("Language".into(), json!("en")), ("X".into(), Value::Null)]),
            json!({"Language": "en", "X": null})
        );
    }
}
