//! `TicketUpdate` with only what the patch asks for: `Ticket{Queue|QueueID, Priority|PriorityID}`
//! and `DynamicField[{Name, Value}]` (custom fields, and the tag field). Notes are articles of the
//! same operation (`add_note`).
//!
//! A dynamic field's value is replaced whole, so adding or removing a tag reads the ticket first
//! and writes the full list back. `if-version` is compared with the ticket's `Changed` read just
//! before the write; OTOBO has no conditional update, so a change in between is not caught.

use serde_json::{json, Map, Value};
use triage_adapter_sdk::patch::tags_to_write;
use triage_adapter_sdk::time::parse_timestamp;
use triage_adapter_sdk::{AdapterError, AdapterResult, CustomField, Note, TicketPatch};

use crate::errors::Context;
use crate::map;
use crate::settings::Settings;

/// What an update sends, and what to say about it if OTOBO refuses.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub body: Map<String, Value>,
    pub context: Context,
}

/// A custom field's JSON text as a dynamic field value: OTOBO takes strings (and arrays for
/// multiselects); numbers and booleans are sent as their text, null clears the field.
pub fn field_value(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::String(s)) => Value::String(s),
        Ok(Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Value::String(s),
                    other => Value::String(other.to_string()),
                })
                .collect(),
        ),
        Ok(Value::Null) => Value::String(String::new()),
        Ok(Value::Bool(b)) => Value::String(u8::from(b).to_string()),
        Ok(other) => Value::String(other.to_string()),
        Err(_) => Value::String(text.to_owned()),
    }
}

fn same_version(current: &Value, version: &str, s: &Settings) -> bool {
    match (
        map::secs(current, "Changed", s),
        parse_timestamp(version, 0),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The update for `patch`; `current` is the ticket as `TicketGet` rendered it (needed for
/// tags and versions).
pub fn plan(
    id: &str,
    patch: &TicketPatch,
    current: Option<&Value>,
    s: &Settings,
) -> AdapterResult<Plan> {
    let mut plan = Plan {
        context: Context {
            ticket: Some(id.to_owned()),
            tag_field: s.tag_field.clone(),
            ..Context::default()
        },
        ..Plan::default()
    };
    if let (Some(v), Some(cur)) = (&patch.if_version, current) {
        if !same_version(cur, v, s) {
            return Err(AdapterError::Conflict(format!(
                "ticket {id} changed: version {v}, now {}",
                cur["Changed"]
            )));
        }
    }
    let mut ticket = Map::new();
    if let Some(q) = &patch.queue {
        match (&q.id, &q.name) {
            (Some(qid), _) => {
                ticket.insert("QueueID".into(), json!(qid));
                plan.context.queue = Some(qid.clone());
            }
            (None, Some(name)) => {
                ticket.insert("Queue".into(), json!(name));
                plan.context.queue = Some(name.clone());
            }
            (None, None) => {}
        }
    }
    if let Some(p) = &patch.priority {
        match (&p.id, &p.name) {
            (Some(pid), _) => {
                ticket.insert("PriorityID".into(), json!(pid));
                plan.context.priority = Some(pid.clone());
            }
            (None, Some(name)) => {
                let name = s.priority_name(name);
                ticket.insert("Priority".into(), json!(name));
                plan.context.priority = Some(name);
            }
            (None, None) => {}
        }
    }
    if !ticket.is_empty() {
        plan.body.insert("Ticket".into(), Value::Object(ticket));
    }
    let mut fields: Vec<Value> = patch
        .custom_fields
        .iter()
        .map(|CustomField { name, value }| json!({"Name": name, "Value": field_value(value)}))
        .collect();
    if let Some(op) = &patch.tags {
        let field = s.tag_field.as_deref().ok_or_else(|| {
            AdapterError::Unsupported(
                "OTOBO has no tags: set \"tag_field\" to a multiselect dynamic field that holds them"
                    .into(),
            )
        })?;
        let now = current
            .map(|c| map::ticket_tags(c, field))
            .unwrap_or_default();
        if let Some(after) = tags_to_write(&now, op) {
            fields.push(json!({"Name": field, "Value": after}));
        }
    }
    plan.context.fields = fields
        .iter()
        .filter_map(|f| f["Name"].as_str().map(str::to_owned))
        .collect();
    if !fields.is_empty() {
        plan.body
            .insert("DynamicField".into(), Value::Array(fields));
    }
    Ok(plan)
}

/// The article of an internal note: never visible to the customer, whatever the web service's
/// default (`IsVisibleForCustomer` defaults to 1 when not sent).
pub fn note_article(note: &Note, s: &Settings) -> Value {
    let subject = note
        .subject
        .as_deref()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .unwrap_or(&s.note_subject);
    let content_type = if note.html {
        "text/html; charset=utf8"
    } else {
        "text/plain; charset=utf8"
    };
    json!({
        "CommunicationChannel": "Internal",
        "IsVisibleForCustomer": 0,
        "SenderType": "agent",
        "Subject": subject,
        "Body": note.body,
        "ContentType": content_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use triage_adapter_sdk::EntityRef;

    fn settings() -> Settings {
        let mut s = Settings::from_lookup(|_| None).unwrap();
        s.tag_field = Some("Tags".into());
        s.offset_secs = 3600;
        s
    }

    use triage_adapter_sdk::patch::{empty as patch, needs_current};
    use triage_adapter_sdk::TagOp;

    fn current() -> Value {
        json!({"TicketID": "7", "Changed": "2026-03-01 12:00:00",
               "DynamicField": [{"Name": "Tags", "Value": ["vip", "web"]}]})
    }

    #[test]
    fn only_what_is_asked_for() {
        let p = TicketPatch {
            queue: Some(EntityRef {
                id: None,
                name: Some("Billing and Payments".into()),
            }),
            priority: Some(EntityRef {
                id: None,
                name: Some("high".into()),
            }),
            custom_fields: vec![
                CustomField {
                    name: "Language".into(),
                    value: "\"de\"".into(),
                },
                CustomField {
                    name: "TriageConfidence".into(),
                    value: "0.93".into(),
                },
            ],
            ..patch()
        };
        let planned = plan("7", &p, None, &settings()).unwrap();
        assert_eq!(
            Value::Object(planned.body),
            json!({"Ticket": {"Queue": "Billing and Payments", "Priority": "4 high"},
                   "DynamicField": [{"Name": "Language", "Value": "de"},
                                    {"Name": "TriageConfidence", "Value": "0.93"}]})
        );
        assert_eq!(
            planned.context.queue.as_deref(),
            Some("Billing and Payments")
        );
        let by_id = TicketPatch {
            queue: Some(EntityRef {
                id: Some("5".into()),
                name: Some("ignored".into()),
            }),
            priority: Some(EntityRef {
                id: Some("2".into()),
                name: None,
            }),
            ..patch()
        };
        assert_eq!(
            plan("7", &by_id, None, &settings()).unwrap().body["Ticket"],
            json!({"QueueID": "5", "PriorityID": "2"})
        );
        assert!(plan("7", &patch(), None, &settings())
            .unwrap()
            .body
            .is_empty());
    }

    #[test]
    fn tags_read_modify_write_into_the_tag_field() {
        let add = TicketPatch {
            tags: Some(TagOp::Add(vec!["triaged".into()])),
            ..patch()
        };
        let body = plan("7", &add, Some(&current()), &settings()).unwrap().body;
        assert_eq!(
            body["DynamicField"],
            json!([{"Name": "Tags", "Value": ["vip", "web", "triaged"]}])
        );
        let rm = TicketPatch {
            tags: Some(TagOp::Remove(vec!["vip".into()])),
            ..patch()
        };
        assert_eq!(
            plan("7", &rm, Some(&current()), &settings()).unwrap().body["DynamicField"][0]["Value"],
            json!(["web"])
        );
        let noop = TicketPatch {
            tags: Some(TagOp::Add(vec!["vip".into()])),
            ..patch()
        };
        assert!(plan("7", &noop, Some(&current()), &settings())
            .unwrap()
            .body
            .is_empty());
        let mut no_field = settings();
        no_field.tag_field = None;
        assert!(matches!(
            plan("7", &add, Some(&current()), &no_field),
            Err(AdapterError::Unsupported(_))
        ));
        assert!(needs_current(&add) && !needs_current(&patch()));
    }

    #[test]
    fn versions_compare_in_utc() {
        // 12:00 local at +01:00 is 11:00 UTC.
        let ok = TicketPatch {
            if_version: Some("2026-03-01T11:00:00Z".into()),
            ..patch()
        };
        assert!(plan("7", &ok, Some(&current()), &settings()).is_ok());
        let stale = TicketPatch {
            if_version: Some("2026-03-01T12:00:00Z".into()),
            ..patch()
        };
        assert!(matches!(
            plan("7", &stale, Some(&current()), &settings()),
            Err(AdapterError::Conflict(_))
        ));
    }

    #[test]
    fn notes_are_internal_articles_with_a_subject() {
        let note = Note {
            subject: None,
            body: "routed".into(),
            html: false,
        };
        let a = note_article(&note, &settings());
        assert_eq!(a["IsVisibleForCustomer"], 0);
        assert_eq!(a["CommunicationChannel"], "Internal");
        assert_eq!(a["Subject"], "triage");
        assert_eq!(a["ContentType"], "text/plain; charset=utf8");
        let html = Note {
            subject: Some("Triage".into()),
            body: "<b>x</b>".into(),
            html: true,
        };
        assert_eq!(
            note_article(&html, &settings())["ContentType"],
            "text/html; charset=utf8"
        );
        assert_eq!(field_value("null"), json!(""));
        assert_eq!(field_value("[1,\"a\"]"), json!(["1", "a"]));
        assert_eq!(field_value("true"), json!("1"));
        assert_eq!(field_value("plain"), json!("plain"));
    }
}
