//! GitLab issue JSON ⇄ the contract's ticket model. Pure code (no host calls), so it is
//! unit-tested natively.

use serde_json::Value;
use triage_adapter_sdk::time::{format_timestamp, parse_timestamp};
use triage_adapter_sdk::{
    config, entity, ticket, AdapterError, CustomField, EntityRef, FieldError, PriorityLevel,
    StatusCategory, Ticket,
};

/// Issue attributes the adapter reports and writes as custom fields, by their API name.
pub const CUSTOM_FIELDS: [&str; 3] = ["due_date", "weight", "confidential"];

/// Which labels are queues and priorities: `queue::` and `priority::` unless the settings
/// `queue_prefix` / `priority_prefix` say otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefixes {
    pub queue: String,
    pub priority: String,
}

impl Default for Prefixes {
    fn default() -> Self {
        Self {
            queue: "queue::".into(),
            priority: "priority::".into(),
        }
    }
}

impl Prefixes {
    /// From the connection's settings.
    pub fn from_config() -> Self {
        let d = Self::default();
        let get = |k: &str, d: String| config::get(k).filter(|v| !v.trim().is_empty()).unwrap_or(d);
        Self {
            queue: get("queue_prefix", d.queue),
            priority: get("priority_prefix", d.priority),
        }
    }

    /// A plain label (a tag): neither a queue nor a priority.
    pub fn is_tag(&self, label: &str) -> bool {
        !label.starts_with(&self.queue) && !label.starts_with(&self.priority)
    }
}

/// A scoped label as an entity: the whole label is the id, the value after the prefix the name.
pub fn label_entity(label: &str, prefix: &str) -> Option<EntityRef> {
    label
        .strip_prefix(prefix)
        .map(|name| entity(label, Some(name.to_owned())))
}

/// The label an entity names among `labels` with `prefix`: by id (the whole label, or just
/// its value), else by name, exactly first and then ignoring case.
pub fn resolve(e: &EntityRef, prefix: &str, labels: &[String]) -> Option<String> {
    let values: Vec<(&str, &String)> = labels
        .iter()
        .filter_map(|l| l.strip_prefix(prefix).map(|v| (v, l)))
        .collect();
    let find = |s: &str| {
        let s = s.trim();
        let s = s.strip_prefix(prefix).unwrap_or(s);
        values
            .iter()
            .find(|(v, _)| *v == s)
            .or_else(|| values.iter().find(|(v, _)| v.eq_ignore_ascii_case(s)))
            .map(|(_, l)| (*l).clone())
    };
    e.id.as_deref()
        .and_then(find)
        .or_else(|| e.name.as_deref().and_then(find))
}

/// The contract's level for a priority value, by its usual names.
pub fn priority_level(value: &str) -> Option<PriorityLevel> {
    match value.trim().to_ascii_lowercase().as_str() {
        "low" | "minor" | "p4" => Some(PriorityLevel::Low),
        "medium" | "normal" | "p3" => Some(PriorityLevel::Medium),
        "high" | "major" | "p2" => Some(PriorityLevel::High),
        "urgent" | "critical" | "p1" => Some(PriorityLevel::Urgent),
        _ => None,
    }
}

/// The category of an issue `state`: `opened` is open, `closed` closed.
pub fn status_category(state: &str) -> StatusCategory {
    match state {
        "opened" => StatusCategory::Open,
        "closed" => StatusCategory::Closed,
        _ => StatusCategory::Other,
    }
}

/// `updated_at` in milliseconds since the epoch (GitLab sends milliseconds).
pub fn millis(text: &str) -> Option<i64> {
    let secs = parse_timestamp(text, 0)?;
    let frac = text
        .get(19..)
        .and_then(|r| r.strip_prefix('.'))
        .unwrap_or("");
    let digits: String = frac
        .chars()
        .take_while(char::is_ascii_digit)
        .take(3)
        .collect();
    let ms = format!("{digits:0<3}").parse::<i64>().unwrap_or(0);
    Some(secs * 1000 + ms)
}

/// Milliseconds as the ISO 8601 text `updated_after` takes.
pub fn format_millis(ms: i64) -> String {
    let base = format_timestamp(ms.div_euclid(1000));
    format!("{}.{:03}Z", base.trim_end_matches('Z'), ms.rem_euclid(1000))
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The issue's labels.
pub fn labels(v: &Value) -> Vec<String> {
    v.get("labels")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// One GitLab issue as a contract ticket. The ticket id is the `iid` (the number people
/// see and the API's paths take); `number` is `#iid`.
pub fn ticket_from(v: &Value, p: &Prefixes) -> Result<Ticket, AdapterError> {
    let iid = v
        .get("iid")
        .and_then(Value::as_u64)
        .ok_or_else(|| AdapterError::Protocol(format!("issue without a numeric iid: {v}")))?;
    let labels = labels(v);
    let queue = labels.iter().find_map(|l| label_entity(l, &p.queue));
    let priority = labels.iter().find_map(|l| label_entity(l, &p.priority));
    let priority_level = priority
        .as_ref()
        .and_then(|e| e.name.as_deref())
        .and_then(priority_level);
    let state = text(v, "state");
    let updated_at = text(v, "updated_at");
    let requester = text(v, "service_desk_reply_to")
        .or_else(|| v["author"]["username"].as_str().map(str::to_owned))
        .map(|r| entity(r, None));
    let assignee = v["assignees"]
        .as_array()
        .and_then(|a| a.first())
        .or_else(|| v.get("assignee").filter(|a| !a.is_null()))
        .and_then(|a| Some(entity(a.get("id")?.as_u64()?, text(a, "username"))));
    Ok(Ticket {
        number: Some(format!("#{iid}")),
        body_text: text(v, "description"),
        queue,
        priority,
        priority_level,
        status: state.as_deref().map(|s| {
            let label = if s == "opened" { "Open" } else { "Closed" };
            entity(s, Some(label.to_owned()))
        }),
        status_category: state.as_deref().map(status_category),
        ticket_type: text(v, "issue_type").map(|t| entity(&t, Some(t.clone()))),
        tags: labels.iter().filter(|l| p.is_tag(l)).cloned().collect(),
        custom_fields: CUSTOM_FIELDS
            .iter()
            .map(|k| CustomField {
                name: (*k).to_owned(),
                value: v.get(*k).unwrap_or(&Value::Null).to_string(),
            })
            .collect(),
        assignee,
        requester,
        created_at: text(v, "created_at"),
        version: updated_at.clone(),
        updated_at,
        raw: Some(v.to_string()),
        ..ticket(iid.to_string(), text(v, "title").unwrap_or_default())
    })
}

/// The contract's name for a GitLab attribute.
fn field_name(attribute: &str) -> String {
    match attribute {
        "labels" | "add_labels" | "remove_labels" => "tags".into(),
        "title" => "subject".into(),
        a if CUSTOM_FIELDS.contains(&a) => format!("custom_fields.{a}"),
        a => a.to_owned(),
    }
}

/// A 400 body as field errors: `{"message":{attr:["msg"]}}` (model validation) or
/// `{"error":"attr is invalid"}` (a parameter of the wrong type); `None` for any other body.
pub fn validation_errors(body: &[u8]) -> Option<Vec<FieldError>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let mut fields = Vec::new();
    if let Some(map) = v.get("message").and_then(Value::as_object) {
        for (attribute, messages) in map {
            let list: Vec<String> = match messages {
                Value::Array(a) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                Value::String(s) => vec![s.clone()],
                _ => Vec::new(),
            };
            for m in list {
                fields.push(FieldError {
                    field: field_name(attribute),
                    code: "invalid".into(),
                    message: format!("{attribute} {m}"),
                });
            }
        }
    } else if let Some(error) = v.get("error").and_then(Value::as_str) {
        let attribute = error.split_whitespace().next().unwrap_or_default();
        fields.push(FieldError {
            field: field_name(attribute.split(',').next().unwrap_or(attribute)),
            code: "invalid".into(),
            message: error.to_owned(),
        });
    }
    (!fields.is_empty()).then_some(fields)
}

/// A custom field's JSON text as a value; text that is not JSON is taken as a string.
pub fn custom_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// The body of an internal note: GitLab renders Markdown (and a safe subset of HTML), so
/// HTML goes as it is and a subject becomes a bold first line.
pub fn note_body(subject: Option<&str>, body: &str) -> String {
    match subject.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("**{s}**\n\n{body}"),
        None => body.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_an_issue() {
        let v = json!({"id": 120000007, "iid": 7, "title": "Refund please",
            "description": "I was **charged twice**.", "state": "opened",
            "labels": ["priority::high", "queue::Billing and Payments", "vip"],
            "created_at": "2024-01-01T09:00:00.000Z", "updated_at": "2024-01-02T10:00:00.250Z",
            "author": {"id": 2, "username": "support-bot"}, "assignees": [],
            "service_desk_reply_to": "ann@example.com", "issue_type": "issue",
            "due_date": null, "weight": 3, "confidential": true});
        let t = ticket_from(&v, &Prefixes::default()).unwrap();
        assert_eq!((t.id.as_str(), t.number.as_deref()), ("7", Some("#7")));
        let q = t.queue.unwrap();
        assert_eq!(
            (q.id.as_deref(), q.name.as_deref()),
            (
                Some("queue::Billing and Payments"),
                Some("Billing and Payments")
            )
        );
        assert_eq!(t.priority.unwrap().id.as_deref(), Some("priority::high"));
        assert_eq!(t.priority_level, Some(PriorityLevel::High));
        assert_eq!(t.tags, ["vip"]);
        assert_eq!(t.status_category, Some(StatusCategory::Open));
        assert_eq!(t.requester.unwrap().id.as_deref(), Some("ann@example.com"));
        let cf: Vec<_> = t
            .custom_fields
            .iter()
            .map(|c| (c.name.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(
            cf,
            [
                ("due_date", "null"),
                ("weight", "3"),
                ("confidential", "true")
            ]
        );
        assert_eq!(t.version.as_deref(), Some("2024-01-02T10:00:00.250Z"));
        let custom = Prefixes {
            queue: "team/".into(),
            priority: "P".into(),
        };
        let t = ticket_from(
            &json!({"iid": 1, "labels": ["team/ops", "Pp1", "x"]}),
            &custom,
        )
        .unwrap();
        assert_eq!(t.queue.unwrap().name.as_deref(), Some("ops"));
        assert_eq!(t.priority_level, Some(PriorityLevel::Urgent));
    }

    #[test]
    fn entities_resolve_by_label_value_or_name() {
        let labels: Vec<String> = ["queue::Billing", "queue::Sales", "priority::low", "bug"]
            .map(str::to_owned)
            .to_vec();
        let named = |n: &str| EntityRef {
            id: None,
            name: Some(n.into()),
        };
        assert_eq!(
            resolve(&named("billing"), "queue::", &labels).as_deref(),
            Some("queue::Billing")
        );
        assert_eq!(
            resolve(&entity("queue::Sales", None), "queue::", &labels).as_deref(),
            Some("queue::Sales")
        );
        assert_eq!(resolve(&named("bug"), "queue::", &labels), None);
        assert_eq!(
            resolve(&named("Low"), "priority::", &labels).as_deref(),
            Some("priority::low")
        );
    }

    #[test]
    fn times_keep_milliseconds() {
        assert_eq!(millis("2024-01-02T10:00:00.25Z"), Some(1_704_189_600_250));
        assert_eq!(millis("2024-01-02T10:00:00Z"), Some(1_704_189_600_000));
        assert_eq!(format_millis(1_704_189_600_250), "2024-01-02T10:00:00.250Z");
    }

    #[test]
    fn both_error_shapes_become_field_errors() {
        let e = validation_errors(br#"{"message":{"weight":["must be greater than or equal to 0"],"title":["can't be blank"]}}"#).unwrap();
        let fields: Vec<_> = e.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["subject", "custom_fields.weight"]);
        assert!(e[1].message.contains("greater than"));
        let e = validation_errors(br#"{"error":"due_date is invalid"}"#).unwrap();
        assert_eq!(e[0].field, "custom_fields.due_date");
        assert!(validation_errors(br#"{"message":"404 Issue Not Found"}"#).is_none());
    }

    #[test]
    fn note_subjects_are_bold() {
        assert_eq!(note_body(Some("triage"), "a < b"), "**triage**\n\na < b");
        assert_eq!(note_body(None, "x"), "x");
    }
}
