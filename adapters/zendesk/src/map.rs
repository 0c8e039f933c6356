//! Zendesk JSON ⇄ the contract's ticket model. Pure code (no host calls), so it is
//! unit-tested natively.

use std::collections::BTreeMap;

use serde_json::Value;
use triage_adapter_sdk::time::to_rfc3339;
use triage_adapter_sdk::{
    entity, ticket, AdapterError, CustomField, EntityRef, FieldError, PriorityLevel,
    StatusCategory, Ticket,
};

/// Zendesk's four fixed priorities: wire value (the entity id), label, level.
pub const PRIORITIES: [(&str, &str, PriorityLevel); 4] = [
    ("low", "Low", PriorityLevel::Low),
    ("normal", "Normal", PriorityLevel::Medium),
    ("high", "High", PriorityLevel::High),
    ("urgent", "Urgent", PriorityLevel::Urgent),
];

/// Statuses: wire value, label, category. `hold` is waiting on a third party (pending);
/// `deleted` only appears in exports.
pub const STATUSES: [(&str, &str, StatusCategory); 7] = [
    ("new", "New", StatusCategory::New),
    ("open", "Open", StatusCategory::Open),
    ("pending", "Pending", StatusCategory::Pending),
    ("hold", "On-hold", StatusCategory::Pending),
    ("solved", "Solved", StatusCategory::Resolved),
    ("closed", "Closed", StatusCategory::Closed),
    ("deleted", "Deleted", StatusCategory::Other),
];

/// Group (queue) ids and names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Groups(pub BTreeMap<u64, String>);

impl Groups {
    /// The name of a group id.
    pub fn name(&self, id: u64) -> Option<&str> {
        self.0.get(&id).map(String::as_str)
    }

    /// The id of a group name: exact match first, then ignoring case.
    pub fn id(&self, name: &str) -> Option<u64> {
        let name = name.trim();
        let find =
            |eq: &dyn Fn(&str) -> bool| self.0.iter().find(|(_, n)| eq(n)).map(|(id, _)| *id);
        find(&|n| n == name).or_else(|| find(&|n| n.eq_ignore_ascii_case(name)))
    }

    /// Whether some group id in `ids` is not known (the cache may be stale).
    pub fn misses<'a>(&self, mut ids: impl Iterator<Item = &'a Value>) -> bool {
        ids.any(|v| v.as_u64().is_some_and(|id| !self.0.contains_key(&id)))
    }
}

/// The priority entity and level of a wire value.
pub fn priority(value: &str) -> (EntityRef, Option<PriorityLevel>) {
    match PRIORITIES.iter().find(|(v, ..)| *v == value) {
        Some((v, label, level)) => (entity(v, Some((*label).to_owned())), Some(*level)),
        None => (entity(value, None), None),
    }
}

/// The wire value for a priority given by id or name, any case. `medium` (the contract's
/// level name, and the classifier's label) is Zendesk's `normal`.
pub fn priority_value(e: &EntityRef) -> Option<&'static str> {
    let find = |s: &str| {
        let s = s.trim();
        PRIORITIES
            .iter()
            .find(|(v, label, _)| v.eq_ignore_ascii_case(s) || label.eq_ignore_ascii_case(s))
            .map(|(v, ..)| *v)
            .or_else(|| s.eq_ignore_ascii_case("medium").then_some("normal"))
    };
    e.id.as_deref()
        .and_then(find)
        .or_else(|| e.name.as_deref().and_then(find))
}

/// The category of a status value (unknown custom statuses are `other`).
pub fn status_category(value: &str) -> StatusCategory {
    STATUSES
        .iter()
        .find(|(v, ..)| *v == value)
        .map_or(StatusCategory::Other, |(.., c)| *c)
}

/// Whether a status matches a query's categories (none: all but deleted).
pub fn status_matches(value: &str, wanted: &[StatusCategory]) -> bool {
    if value == "deleted" {
        return false;
    }
    wanted.is_empty() || wanted.contains(&status_category(value))
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn time(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(|t| to_rfc3339(t, 0).unwrap_or_else(|| t.to_owned()))
}

fn id_of(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// Seconds since the epoch of a ticket's `updated_at`.
pub fn updated_secs(v: &Value) -> Option<i64> {
    v.get("updated_at")
        .and_then(Value::as_str)
        .and_then(|t| triage_adapter_sdk::time::parse_timestamp(t, 0))
}

/// One Zendesk ticket object as a contract ticket.
pub fn ticket_from(v: &Value, groups: &Groups) -> Result<Ticket, AdapterError> {
    let id = id_of(v, "id")
        .ok_or_else(|| AdapterError::Protocol(format!("ticket without a numeric id: {v}")))?;
    let (priority, priority_level) = match v.get("priority").and_then(Value::as_str) {
        Some(p) => {
            let (e, level) = priority(p);
            (Some(e), level)
        }
        None => (None, None),
    };
    let status = text(v, "status");
    let status_label = |s: &str| {
        STATUSES
            .iter()
            .find(|(v, ..)| *v == s)
            .map(|(_, label, _)| (*label).to_owned())
    };
    let updated_at = time(v, "updated_at");
    Ok(Ticket {
        body_text: text(v, "description"),
        queue: id_of(v, "group_id").map(|g| entity(g, groups.name(g).map(str::to_owned))),
        priority,
        priority_level,
        status: status.as_deref().map(|s| entity(s, status_label(s))),
        status_category: status.as_deref().map(status_category),
        ticket_type: text(v, "type").map(|t| EntityRef {
            id: Some(t.clone()),
            name: Some(t),
        }),
        tags: v
            .get("tags")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        custom_fields: v
            .get("custom_fields")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|f| {
                        Some(CustomField {
                            name: f.get("id")?.as_u64()?.to_string(),
                            value: f.get("value").unwrap_or(&Value::Null).to_string(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        assignee: id_of(v, "assignee_id").map(|id| entity(id, None)),
        requester: id_of(v, "requester_id").map(|id| entity(id, None)),
        created_at: time(v, "created_at"),
        version: updated_at.clone(),
        updated_at,
        raw: Some(v.to_string()),
        ..ticket(id.to_string(), text(v, "subject").unwrap_or_default())
    })
}

/// The contract's name for a `RecordInvalid` attribute: `group` is the queue, an entry under
/// `base` with a `field_key` is that custom field.
fn field_name(attribute: &str, entry: &Value) -> String {
    match (attribute, entry.get("field_key").and_then(Value::as_u64)) {
        (_, Some(key)) => format!("custom_fields.{key}"),
        ("group" | "group_id", None) => "queue".into(),
        (a, None) => a.to_owned(),
    }
}

/// A 422 body `{"error":"RecordInvalid","details":{attr:[{description,error}]}}` as field
/// errors; `None` for any other body.
pub fn validation_errors(body: &[u8]) -> Option<Vec<FieldError>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let details = v.get("details")?.as_object()?;
    let mut fields = Vec::new();
    for (attribute, entries) in details {
        for e in entries.as_array().into_iter().flatten() {
            fields.push(FieldError {
                field: field_name(attribute, e),
                code: text(e, "error").unwrap_or_else(|| "invalid".into()),
                message: text(e, "description").unwrap_or_default(),
            });
        }
    }
    (!fields.is_empty()).then_some(fields)
}

/// A custom field's JSON text as a value; text that is not JSON is taken as a string.
pub fn custom_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The comment object of an internal note. `public: false` always: Zendesk makes a comment
/// without it public, and e-mails it to the requester.
pub fn note_comment(subject: Option<&str>, body: &str, html: bool) -> Value {
    let subject = subject.map(str::trim).filter(|s| !s.is_empty());
    if html {
        let body = match subject {
            Some(s) => format!("<p><strong>{}</strong></p>{body}", escape(s)),
            None => body.to_owned(),
        };
        serde_json::json!({"html_body": body, "public": false})
    } else {
        let body = match subject {
            Some(s) => format!("{s}\n\n{body}"),
            None => body.to_owned(),
        };
        serde_json::json!({"body": body, "public": false})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn groups() -> Groups {
        Groups(
            [(7, "Billing and Payments".to_owned())]
                .into_iter()
                .collect(),
        )
    }

    #[test]
    fn maps_a_ticket() {
        let v = json!({"id": 35436, "subject": "Help, my printer is on fire!",
            "description": "The fire is very colorful.", "priority": "normal", "status": "hold",
            "type": "incident", "group_id": 7, "assignee_id": null, "requester_id": 20978392,
            "tags": ["enterprise", "other_tag"],
            "custom_fields": [{"id": 27642, "value": "745"}, {"id": 27648, "value": true}],
            "created_at": "2009-07-20T22:55:29Z", "updated_at": "2011-05-05T10:38:52Z"});
        let t = ticket_from(&v, &groups()).unwrap();
        assert_eq!(t.id, "35436");
        assert_eq!(t.body_text.as_deref(), Some("The fire is very colorful."));
        let q = t.queue.unwrap();
        assert_eq!(
            (q.id.as_deref(), q.name.as_deref()),
            (Some("7"), Some("Billing and Payments"))
        );
        let p = t.priority.unwrap();
        assert_eq!(
            (p.id.as_deref(), p.name.as_deref()),
            (Some("normal"), Some("Normal"))
        );
        assert_eq!(t.priority_level, Some(PriorityLevel::Medium));
        assert_eq!(t.status_category, Some(StatusCategory::Pending));
        assert_eq!(t.tags, ["enterprise", "other_tag"]);
        let cf: Vec<_> = t
            .custom_fields
            .iter()
            .map(|c| (c.name.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(cf, [("27642", "\"745\""), ("27648", "true")]);
        assert!(t.assignee.is_none());
        assert_eq!(t.version.as_deref(), Some("2011-05-05T10:38:52Z"));
    }

    #[test]
    fn priorities_by_value_label_or_level() {
        let named = |n: &str| EntityRef {
            id: None,
            name: Some(n.into()),
        };
        assert_eq!(priority_value(&named("Urgent")), Some("urgent"));
        assert_eq!(priority_value(&named("medium")), Some("normal"));
        assert_eq!(priority_value(&entity("high", None)), Some("high"));
        assert_eq!(priority_value(&named("critical")), None);
        assert_eq!(priority_value(&entity(2, None)), None);
    }

    #[test]
    fn statuses() {
        assert!(status_matches("new", &[]));
        assert!(!status_matches("deleted", &[]));
        assert!(status_matches("hold", &[StatusCategory::Pending]));
        assert!(!status_matches("solved", &[StatusCategory::Open]));
        assert_eq!(status_category("custom"), StatusCategory::Other);
    }

    #[test]
    fn record_invalid_details_become_field_errors() {
        let body = br#"{"error":"RecordInvalid","description":"Record validation errors","details":{
            "base":[{"description":"Language: xx is not valid","error":"InvalidValue","field_key":360}],
            "group":[{"description":"Group: 1 is invalid","error":"InvalidValue"}],
            "priority":[{"description":"Priority: x is not valid","error":"InvalidValue"}]}}"#;
        let e = validation_errors(body).unwrap();
        let fields: Vec<_> = e.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["custom_fields.360", "queue", "priority"]);
        assert_eq!(e[0].code, "InvalidValue");
        assert!(e[0].message.contains("xx"));
        assert!(validation_errors(br#"{"error":"invalid","description":"x"}"#).is_none());
    }

    #[test]
    fn notes_are_never_public() {
        assert_eq!(
            note_comment(Some("Triage"), "a < b", false),
            json!({"body": "Triage\n\na < b", "public": false})
        );
        assert_eq!(
            note_comment(Some("T"), "<b>x</b>", true),
            json!({"html_body": "<p><strong>T</strong></p><b>x</b>", "public": false})
        );
    }
}
