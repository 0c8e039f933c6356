//! OTOBO's `TicketGet` JSON → the contract's ticket. Pure code, unit-tested natively.
//!
//! Ids and numbers come as JSON strings or numbers (Perl renders database values as strings);
//! times are the server's local time without a zone, shifted by the `timezone` setting; the
//! body is the first article (`ArticleLimit=1`); dynamic fields become custom fields, except the
//! `tag_field`, whose values are the tags.

use serde_json::Value;
use triage_adapter_sdk::time::{parse_timestamp, to_rfc3339};
use triage_adapter_sdk::{
    ticket, AdapterError, CustomField, EntityRef, PriorityLevel, StatusCategory, Ticket,
};

use crate::api::id_text;
use crate::settings::Settings;

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(id_text)
}

fn entity(v: &Value, id_key: &str, name_key: &str) -> Option<EntityRef> {
    let (id, name) = (text(v, id_key), text(v, name_key));
    (id.is_some() || name.is_some()).then_some(EntityRef { id, name })
}

/// OTOBO's priorities are ordinal (`1 very low` … `5 very high`): the leading digit, else the
/// id, places a priority on the canonical scale.
pub fn priority_level(id: Option<&str>, name: Option<&str>) -> Option<PriorityLevel> {
    let from_name = name.and_then(|n| n.trim().chars().next()?.to_digit(10));
    let from_id = id.and_then(|i| i.parse::<u32>().ok());
    match from_name.or(from_id)? {
        1 | 2 => Some(PriorityLevel::Low),
        3 => Some(PriorityLevel::Medium),
        4 => Some(PriorityLevel::High),
        5 => Some(PriorityLevel::Urgent),
        _ => None,
    }
}

/// The category of an OTOBO state type (`new`, `open`, `pending reminder`, `closed`, …).
pub fn status_category(state_type: &str) -> StatusCategory {
    match state_type {
        "new" => StatusCategory::New,
        "open" => StatusCategory::Open,
        t if t.starts_with("pending") => StatusCategory::Pending,
        "closed" => StatusCategory::Closed,
        _ => StatusCategory::Other,
    }
}

/// The state types a category searches for (`StateType`); resolved and closed are both
/// OTOBO's `closed`.
pub fn state_types(category: StatusCategory) -> &'static [&'static str] {
    match category {
        StatusCategory::New => &["new"],
        StatusCategory::Open => &["open"],
        StatusCategory::Pending => &["pending reminder", "pending auto"],
        StatusCategory::Resolved | StatusCategory::Closed => &["closed"],
        StatusCategory::Other => &["merged", "removed"],
    }
}

/// A tag field's value as tags: a multiselect's array, or a text field's comma list.
pub fn tags_of(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(id_text).collect(),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The tags of a ticket as `TicketGet` rendered it.
pub fn ticket_tags(v: &Value, tag_field: &str) -> Vec<String> {
    dynamic_fields(v)
        .find(|(name, _)| *name == tag_field)
        .map(|(_, value)| tags_of(value))
        .unwrap_or_default()
}

fn dynamic_fields(v: &Value) -> impl Iterator<Item = (&str, &Value)> {
    v.get("DynamicField")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| Some((f.get("Name")?.as_str()?, f.get("Value")?)))
}

/// Seconds since the epoch of a local time field (`Created`, `Changed`).
pub fn secs(v: &Value, key: &str, s: &Settings) -> Option<i64> {
    parse_timestamp(v.get(key)?.as_str()?, s.offset_secs)
}

fn time(v: &Value, key: &str, s: &Settings) -> Option<String> {
    let raw = v.get(key)?.as_str()?;
    Some(to_rfc3339(raw, s.offset_secs).unwrap_or_else(|| raw.to_owned()))
}

/// One ticket of a `TicketGet` answer as a contract ticket.
pub fn ticket_from(v: &Value, s: &Settings) -> Result<Ticket, AdapterError> {
    let id = text(v, "TicketID")
        .ok_or_else(|| AdapterError::Protocol(format!("ticket without a TicketID: {v}")))?;
    let article = v.get("Article").and_then(|a| a.get(0));
    let body = article.and_then(|a| a.get("Body")?.as_str().map(str::to_owned));
    let is_html = article
        .and_then(|a| text(a, "MimeType").or_else(|| text(a, "ContentType")))
        .is_some_and(|m| m.trim().to_ascii_lowercase().starts_with("text/html"));
    let priority = entity(v, "PriorityID", "Priority");
    let priority_level = priority
        .as_ref()
        .and_then(|p| priority_level(p.id.as_deref(), p.name.as_deref()));
    let mut tags = Vec::new();
    let mut custom_fields = Vec::new();
    for (name, value) in dynamic_fields(v) {
        if s.tag_field.as_deref() == Some(name) {
            tags = tags_of(value);
        } else {
            custom_fields.push(CustomField {
                name: name.to_owned(),
                value: value.to_string(),
            });
        }
    }
    let updated_at = time(v, "Changed", s);
    Ok(Ticket {
        number: text(v, "TicketNumber"),
        body_text: body.clone().filter(|_| !is_html),
        body_html: body.filter(|_| is_html),
        queue: entity(v, "QueueID", "Queue"),
        priority,
        priority_level,
        status: entity(v, "StateID", "State"),
        status_category: text(v, "StateType").map(|t| status_category(&t)),
        ticket_type: entity(v, "TypeID", "Type"),
        tags,
        custom_fields,
        assignee: entity(v, "OwnerID", "Owner"),
        requester: text(v, "CustomerUserID").map(|c| EntityRef {
            id: Some(c.clone()),
            name: Some(c),
        }),
        created_at: time(v, "Created", s),
        version: updated_at.clone(),
        updated_at,
        raw: Some(v.to_string()),
        ..ticket(id, text(v, "Title").unwrap_or_default())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings() -> Settings {
        let mut s = Settings::from_lookup(|_| None).unwrap();
        s.offset_secs = 3600;
        s.tag_field = Some("Tags".into());
        s
    }

    fn sample() -> Value {
        json!({"TicketID": "42", "TicketNumber": "2026030110000042", "Title": "Rechnung doppelt",
            "Queue": "Raw", "QueueID": "2", "Priority": "3 normal", "PriorityID": "3",
            "State": "pending reminder", "StateID": "6", "StateType": "pending reminder",
            "Type": "Unclassified", "TypeID": "1", "Owner": "root@localhost", "OwnerID": "1",
            "CustomerUserID": "ada@example.com", "Created": "2026-03-01 12:30:00",
            "Changed": "2026-03-02 00:30:05", "Age": 3600,
            "DynamicField": [{"Name": "Tags", "Value": ["vip", "web"]},
                             {"Name": "Language", "Value": "de"}, {"Name": "OrderNumber", "Value": null}],
            "Article": [{"ArticleID": "9", "Body": "Hallo,\nbitte helfen.", "MimeType": "text/plain"}]})
    }

    #[test]
    fn maps_a_ticket() {
        let t = ticket_from(&sample(), &settings()).unwrap();
        assert_eq!(
            (t.id.as_str(), t.number.as_deref()),
            ("42", Some("2026030110000042"))
        );
        assert_eq!(t.subject, "Rechnung doppelt");
        assert_eq!(t.body_text.as_deref(), Some("Hallo,\nbitte helfen."));
        assert!(t.body_html.is_none());
        let q = t.queue.unwrap();
        assert_eq!(
            (q.id.as_deref(), q.name.as_deref()),
            (Some("2"), Some("Raw"))
        );
        assert_eq!(t.priority_level, Some(PriorityLevel::Medium));
        assert_eq!(t.status_category, Some(StatusCategory::Pending));
        assert_eq!(t.tags, ["vip", "web"]);
        let cf: Vec<(&str, &str)> = t
            .custom_fields
            .iter()
            .map(|c| (c.name.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(cf, [("Language", "\"de\""), ("OrderNumber", "null")]);
        // Local +01:00 without a zone → UTC.
        assert_eq!(t.created_at.as_deref(), Some("2026-03-01T11:30:00Z"));
        assert_eq!(t.updated_at.as_deref(), Some("2026-03-01T23:30:05Z"));
        assert_eq!(t.version, t.updated_at);
        assert_eq!(t.requester.unwrap().id.as_deref(), Some("ada@example.com"));
        assert_eq!(
            serde_json::from_str::<Value>(&t.raw.unwrap()).unwrap(),
            sample()
        );
    }

    #[test]
    fn numeric_ids_html_bodies_and_no_tag_field() {
        let v = json!({"TicketID": 7, "Title": "x", "PriorityID": 5, "Priority": "very high",
            "Article": [{"Body": "<p>x</p>", "ContentType": "text/html; charset=utf8"}],
            "DynamicField": [{"Name": "Tags", "Value": ["a"]}]});
        let mut s = settings();
        s.tag_field = None;
        let t = ticket_from(&v, &s).unwrap();
        assert_eq!(t.id, "7");
        assert_eq!(t.priority.unwrap().id.as_deref(), Some("5"));
        assert_eq!(t.priority_level, Some(PriorityLevel::Urgent));
        assert_eq!(t.body_html.as_deref(), Some("<p>x</p>"));
        assert!(t.tags.is_empty());
        assert_eq!(t.custom_fields[0].name, "Tags");
        assert!(ticket_from(&json!({"Title": "no id"}), &s).is_err());
    }

    #[test]
    fn scales_and_states() {
        assert_eq!(
            priority_level(Some("2"), Some("2 low")),
            Some(PriorityLevel::Low)
        );
        assert_eq!(
            priority_level(Some("4"), Some("high")),
            Some(PriorityLevel::High)
        );
        assert_eq!(priority_level(None, Some("urgent")), None);
        assert_eq!(status_category("closed"), StatusCategory::Closed);
        assert_eq!(status_category("merged"), StatusCategory::Other);
        assert_eq!(
            state_types(StatusCategory::Pending),
            ["pending reminder", "pending auto"]
        );
        assert_eq!(tags_of(&json!("a, b,,c")), ["a", "b", "c"]);
    }
}
