//! Freshdesk JSON ⇄ the contract's ticket model. Pure code (no host calls), so it is
//! unit-tested natively.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use triage_adapter_sdk::time::to_rfc3339;
use triage_adapter_sdk::{
    entity, ticket, AdapterError, CustomField, EntityRef, FieldError, PriorityLevel,
    StatusCategory, Ticket,
};

/// Freshdesk's priorities: code, label (as `GET /ticket_fields` names them), level.
pub const PRIORITIES: [(u32, &str, PriorityLevel); 4] = [
    (1, "Low", PriorityLevel::Low),
    (2, "Medium", PriorityLevel::Medium),
    (3, "High", PriorityLevel::High),
    (4, "Urgent", PriorityLevel::Urgent),
];

/// Built-in statuses; ids 6 and up are the account's custom statuses.
pub const STATUSES: [(u32, &str, StatusCategory); 4] = [
    (2, "Open", StatusCategory::Open),
    (3, "Pending", StatusCategory::Pending),
    (4, "Resolved", StatusCategory::Resolved),
    (5, "Closed", StatusCategory::Closed),
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

/// The priority entity for a Freshdesk code.
pub fn priority(code: u32) -> (EntityRef, Option<PriorityLevel>) {
    match PRIORITIES.iter().find(|(c, ..)| *c == code) {
        Some((c, name, level)) => (entity(c, Some((*name).to_owned())), Some(*level)),
        None => (entity(code, None), None),
    }
}

/// The Freshdesk code for a priority given by id (`"1"`–`"4"`) or name (any case).
pub fn priority_code(e: &EntityRef) -> Option<u32> {
    let by_id = e.id.as_deref().and_then(|id| id.trim().parse::<u32>().ok());
    let by_name = e.name.as_deref().and_then(|n| {
        let n = n.trim();
        PRIORITIES
            .iter()
            .find(|(c, name, _)| name.eq_ignore_ascii_case(n) || c.to_string() == n)
            .map(|(c, ..)| *c)
    });
    by_id.or(by_name).filter(|c| (1..=4).contains(c))
}

/// The status category of a Freshdesk status code.
pub fn status_category(code: u32) -> StatusCategory {
    STATUSES
        .iter()
        .find(|(c, ..)| *c == code)
        .map_or(StatusCategory::Other, |(.., cat)| *cat)
}

/// Whether a status code matches a query's categories. Freshdesk has no "new" status:
/// new tickets are Open (2), so `new` matches Open.
pub fn status_matches(code: u32, wanted: &[StatusCategory]) -> bool {
    let cat = status_category(code);
    wanted.is_empty()
        || wanted
            .iter()
            .any(|w| *w == cat || (*w == StatusCategory::New && cat == StatusCategory::Open))
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

/// One Freshdesk ticket object as a contract ticket.
pub fn ticket_from(v: &Value, groups: &Groups) -> Result<Ticket, AdapterError> {
    let id = id_of(v, "id")
        .ok_or_else(|| AdapterError::Protocol(format!("ticket without a numeric id: {v}")))?;
    let (priority, priority_level) = match id_of(v, "priority") {
        Some(code) => {
            let (e, level) = priority(code as u32);
            (Some(e), level)
        }
        None => (None, None),
    };
    let status = id_of(v, "status").map(|code| code as u32);
    let status_name = |code: u32| {
        STATUSES
            .iter()
            .find(|(c, ..)| *c == code)
            .map(|(_, n, _)| (*n).to_owned())
    };
    let requester = id_of(v, "requester_id").map(|id| {
        let name = v.get("requester").and_then(|r| text(r, "name"));
        entity(id, name)
    });
    let updated_at = time(v, "updated_at");
    Ok(Ticket {
        body_text: text(v, "description_text"),
        body_html: text(v, "description"),
        queue: id_of(v, "group_id").map(|g| entity(g, groups.name(g).map(str::to_owned))),
        priority,
        priority_level,
        status: status.map(|c| entity(c, status_name(c))),
        status_category: status.map(status_category),
        ticket_type: text(v, "type").map(|t| EntityRef {
            id: None,
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
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(name, value)| CustomField {
                        name: name.clone(),
                        value: value.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        assignee: id_of(v, "responder_id").map(|id| entity(id, None)),
        requester,
        created_at: time(v, "created_at"),
        version: updated_at.clone(),
        updated_at,
        raw: Some(v.to_string()),
        ..ticket(id.to_string(), text(v, "subject").unwrap_or_default())
    })
}

/// A 400 body `{description, errors:[{field,message,code}]}` as field errors.
pub fn validation_errors(body: &[u8]) -> Option<Vec<FieldError>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let errors = v.get("errors")?.as_array()?;
    let fields: Vec<FieldError> = errors
        .iter()
        .map(|e| FieldError {
            field: text(e, "field").unwrap_or_default(),
            code: text(e, "code").unwrap_or_else(|| "invalid".into()),
            message: text(e, "message").unwrap_or_default(),
        })
        .collect();
    (!fields.is_empty()).then_some(fields)
}

/// A custom field's JSON text as a value; text that is not JSON is taken as a string.
pub fn custom_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// `{"cf_x": value, ...}` for a PUT body.
pub fn custom_fields(fields: &[CustomField]) -> Map<String, Value> {
    fields
        .iter()
        .map(|f| (f.name.clone(), custom_value(&f.value)))
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A note's HTML body: plain text is escaped with line breaks kept; a subject
/// (Freshdesk notes have none) becomes a bold first line.
pub fn note_html(subject: Option<&str>, body: &str, html: bool) -> String {
    let body = if html {
        body.to_owned()
    } else {
        escape(body).replace("\r\n", "\n").replace('\n', "<br>")
    };
    match subject.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("<p><strong>{}</strong></p>{body}", escape(s)),
        None => body,
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
        let v = json!({"id": 42, "subject": "Invoice twice", "description": "<div>Hi</div>",
            "description_text": "Hi", "status": 6, "priority": 3, "type": "Question",
            "group_id": 7, "responder_id": null, "requester_id": 9, "tags": ["a", "b"],
            "custom_fields": {"cf_plan": "pro", "cf_score": 0.5, "cf_x": null},
            "created_at": "2016-05-18T04:36:04Z", "updated_at": "2016-05-18T23:42:50Z"});
        let t = ticket_from(&v, &groups()).unwrap();
        assert_eq!(t.id, "42");
        assert_eq!(t.subject, "Invoice twice");
        assert_eq!(t.body_text.as_deref(), Some("Hi"));
        assert_eq!(t.body_html.as_deref(), Some("<div>Hi</div>"));
        let q = t.queue.unwrap();
        assert_eq!(
            (q.id.as_deref(), q.name.as_deref()),
            (Some("7"), Some("Billing and Payments"))
        );
        assert_eq!(t.priority.unwrap().name.as_deref(), Some("High"));
        assert_eq!(t.priority_level, Some(PriorityLevel::High));
        assert_eq!(t.status.unwrap().id.as_deref(), Some("6"));
        assert_eq!(t.status_category, Some(StatusCategory::Other));
        assert_eq!(t.ticket_type.unwrap().name.as_deref(), Some("Question"));
        assert_eq!(t.tags, ["a", "b"]);
        let cf: Vec<_> = t
            .custom_fields
            .iter()
            .map(|c| (c.name.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(
            cf,
            [
                ("cf_plan", "\"pro\""),
                ("cf_score", "0.5"),
                ("cf_x", "null")
            ]
        );
        assert!(t.assignee.is_none());
        assert_eq!(t.requester.unwrap().id.as_deref(), Some("9"));
        assert_eq!(t.version.as_deref(), Some("2016-05-18T23:42:50Z"));
        assert_eq!(t.updated_at, t.version);
        assert_eq!(serde_json::from_str::<Value>(&t.raw.unwrap()).unwrap(), v);
    }

    #[test]
    fn unknown_group_keeps_the_id() {
        let t = ticket_from(&json!({"id": 1, "subject": "x", "group_id": 8}), &groups()).unwrap();
        let q = t.queue.unwrap();
        assert_eq!((q.id.as_deref(), q.name), (Some("8"), None));
        assert!(groups().misses([json!(8)].iter()));
        assert!(!groups().misses([json!(7), Value::Null].iter()));
    }

    #[test]
    fn priorities_by_id_or_name() {
        let named = |n: &str| EntityRef {
            id: None,
            name: Some(n.into()),
        };
        assert_eq!(priority_code(&named("urgent")), Some(4));
        assert_eq!(priority_code(&named("Low")), Some(1));
        assert_eq!(priority_code(&named("2")), Some(2));
        assert_eq!(priority_code(&entity(3, None)), Some(3));
        assert_eq!(priority_code(&entity(9, None)), None);
        assert_eq!(priority_code(&named("critical")), None);
    }

    #[test]
    fn statuses_and_new() {
        assert_eq!(status_category(2), StatusCategory::Open);
        assert_eq!(status_category(5), StatusCategory::Closed);
        assert_eq!(status_category(7), StatusCategory::Other);
        assert!(status_matches(2, &[StatusCategory::New]));
        assert!(status_matches(9, &[]));
        assert!(!status_matches(
            4,
            &[StatusCategory::Open, StatusCategory::Closed]
        ));
    }

    #[test]
    fn group_names_match_exactly_then_ignoring_case() {
        assert_eq!(groups().id("billing and payments"), Some(7));
        assert_eq!(groups().id("Nope"), None);
    }

    #[test]
    fn validation_bodies() {
        let body = br#"{"description":"Validation failed","errors":[{"field":"custom_fields.cf_plan","message":"It should be one of these values: 'a,b'","code":"invalid_value"}]}"#;
        let e = validation_errors(body).unwrap();
        assert_eq!(e[0].field, "custom_fields.cf_plan");
        assert_eq!(e[0].code, "invalid_value");
        assert!(validation_errors(b"{}").is_none());
        assert!(validation_errors(b"").is_none());
    }

    #[test]
    fn notes_are_html() {
        assert_eq!(note_html(None, "a < b\nc", false), "a &lt; b<br>c");
        assert_eq!(
            note_html(Some("Triage"), "<b>x</b>", true),
            "<p><strong>Triage</strong></p><b>x</b>"
        );
        assert_eq!(custom_value("\"x\""), Value::String("x".into()));
        assert_eq!(custom_value("plain"), Value::String("plain".into()));
        assert_eq!(custom_value("3"), serde_json::json!(3));
    }
}
