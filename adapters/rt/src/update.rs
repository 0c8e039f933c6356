//! `PUT /ticket/:id` with only the fields asked for, checked before and after.
//!
//! RT's `PUT` answers 200 with a list of messages whatever happened: an unknown queue,
//! a custom field value that fails its pattern or an unknown custom field are messages
//! (or nothing), not errors. So the adapter
//! 1. reads the ticket (`404` → not-found; its ETag; its custom fields);
//! 2. refuses what it can tell is wrong before writing anything: tags (RT has none),
//!    a stale `if-version`, an unknown or disabled queue, a priority that is neither a
//!    number nor a level name, a custom field the ticket does not have, a value outside
//!    a select field's list;
//! 3. sends the `PUT`, with `If-Match` when `if-version` is set (412 → conflict: the
//!    ticket changed between 1 and 3);
//! 4. reads the ticket again and compares every field it wrote; a field RT did not take
//!    is a validation error carrying RT's message about it. The other fields of that
//!    `PUT` stay written: RT applies a `PUT` field by field, without a transaction.

use serde_json::{Map, Value};
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::{AdapterError, AdapterResult, FieldError, TagOp, TicketPatch};

use crate::map::{self, cf_values, text};
use crate::settings::Priorities;
use crate::{api, queue};

/// A ticket as read on its own: its JSON and its ETag.
pub struct Read {
    pub json: Value,
    pub etag: Option<String>,
}

/// `GET /ticket/:id` with the queue's name.
pub fn read(id: u64) -> AdapterResult<Read> {
    let reply = api::get(&format!("/ticket/{id}?fields%5BQueue%5D=Name"))?;
    Ok(Read {
        etag: api::etag(&reply),
        json: reply.json()?,
    })
}

fn field_error(field: &str, code: &str, message: String) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message,
    }
}

/// RT has no tags: a change that would do something is unsupported.
pub fn refuse_tags(op: Option<&TagOp>) -> AdapterResult<()> {
    let changes = match op {
        None | Some(TagOp::Remove(_)) => false,
        Some(TagOp::Add(tags) | TagOp::Replace(tags)) => !tags.is_empty(),
    };
    if changes {
        return Err(AdapterError::Unsupported(
            "RT has no tags (capability `tags` is false); map the label to a custom field instead"
                .into(),
        ));
    }
    Ok(())
}

/// The priority number a patch asks for.
pub fn priority_number(
    p: &triage_adapter_sdk::EntityRef,
    priorities: &Priorities,
) -> AdapterResult<i64> {
    p.id.as_deref()
        .and_then(|id| id.trim().parse::<i64>().ok())
        .or_else(|| p.name.as_deref().and_then(|n| priorities.number_for(n)))
        .ok_or_else(|| {
            AdapterError::Validation(vec![field_error(
                "priority",
                "invalid_value",
                format!(
                    "{p:?} is neither an RT priority number nor one of {}",
                    priorities
                        .levels
                        .iter()
                        .map(|l| l.1)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )])
        })
}

/// A custom field of the ticket: `(canonical name, id)`, exact name first, then any case.
fn ticket_cf(current: &Value, name: &str) -> Option<(String, String)> {
    let cfs = current["CustomFields"].as_array()?;
    let pick = |eq: &dyn Fn(&str) -> bool| {
        cfs.iter().find_map(|cf| {
            let n = cf["name"].as_str()?;
            eq(n).then(|| (n.to_owned(), text(&cf["id"]).unwrap_or_default()))
        })
    };
    pick(&|n| n == name).or_else(|| pick(&|n| n.eq_ignore_ascii_case(name)))
}

/// Refuse a value RT would refuse, where the field's definition says so (select lists,
/// single-value fields).
pub fn check_cf_value(name: &str, definition: &Value, value: &Value) -> Option<FieldError> {
    let values = cf_values(value);
    let field = format!("custom_fields.{name}");
    if text(&definition["MaxValues"]).as_deref() == Some("1") && values.len() > 1 {
        return Some(field_error(
            &field,
            "invalid_value",
            format!(
                "custom field {name:?} takes one value, got {}",
                values.len()
            ),
        ));
    }
    if definition["Type"].as_str() == Some("Select") {
        let allowed: Vec<String> = definition["Values"]
            .as_array()
            .map(|a| a.iter().filter_map(text).collect())
            .unwrap_or_default();
        if !allowed.is_empty() {
            if let Some(bad) = values.iter().find(|v| !allowed.contains(v)) {
                return Some(field_error(
                    &field,
                    "invalid_value",
                    format!(
                        "{bad:?} is not one of custom field {name:?}'s values: {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }
    None
}

/// What the `PUT` asked for, to compare with the ticket afterwards.
#[derive(Debug, Default)]
pub struct Wanted {
    pub queue: Option<(u64, String)>,
    pub priority: Option<i64>,
    /// `(canonical name, value)`.
    pub custom_fields: Vec<(String, Value)>,
}

impl Wanted {
    /// The `PUT` body.
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        if let Some((id, _)) = &self.queue {
            body.insert("Queue".into(), (*id).into());
        }
        if let Some(p) = self.priority {
            body.insert("Priority".into(), p.into());
        }
        if !self.custom_fields.is_empty() {
            body.insert("CustomFields".into(), map::cf_body(&self.custom_fields));
        }
        Value::Object(body)
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_none() && self.priority.is_none() && self.custom_fields.is_empty()
    }

    /// The fields RT did not take, each with RT's messages about it.
    pub fn missed(&self, after: &Value, messages: &[String]) -> Vec<FieldError> {
        let about = |needle: &str, fallback: String| {
            let hits: Vec<&str> = messages
                .iter()
                .filter(|m| m.to_lowercase().contains(&needle.to_lowercase()))
                .map(String::as_str)
                .collect();
            if hits.is_empty() {
                fallback
            } else {
                hits.join("; ")
            }
        };
        let mut errors = Vec::new();
        if let Some((id, name)) = &self.queue {
            if text(&after["Queue"]["id"]) != Some(id.to_string()) {
                errors.push(field_error(
                    "queue",
                    "refused",
                    about(
                        "queue",
                        format!("RT did not move the ticket to queue {name:?}"),
                    ),
                ));
            }
        }
        if let Some(p) = self.priority {
            if text(&after["Priority"]).and_then(|s| s.parse::<i64>().ok()) != Some(p) {
                errors.push(field_error(
                    "priority",
                    "refused",
                    about("priority", format!("RT did not set priority {p}")),
                ));
            }
        }
        let stored = map::custom_fields(after);
        for (name, value) in &self.custom_fields {
            let now = stored
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| cf_values(v));
            if now != Some(cf_values(value)) {
                errors.push(field_error(
                    &format!("custom_fields.{name}"),
                    "refused",
                    about(
                        name,
                        format!("RT did not store {value} in custom field {name:?}"),
                    ),
                ));
            }
        }
        errors
    }
}

/// Apply `patch` to ticket `id`; the ticket as read afterwards.
pub fn update(id: u64, patch: &TicketPatch, priorities: &Priorities) -> AdapterResult<Read> {
    let current = read(id)?;
    refuse_tags(patch.tags.as_ref())?;
    if let Some(v) = &patch.if_version {
        if current.etag.as_deref() != Some(v.trim().trim_matches('"')) {
            return Err(AdapterError::Conflict(format!(
                "ticket {id} changed: version {v}, now {}",
                current.etag.as_deref().unwrap_or("unknown")
            )));
        }
    }
    let mut wanted = Wanted::default();
    if let Some(q) = &patch.queue {
        wanted.queue = Some(queue::resolve(q)?);
    }
    if let Some(p) = &patch.priority {
        wanted.priority = Some(priority_number(p, priorities)?);
    }
    let mut errors = Vec::new();
    for cf in &patch.custom_fields {
        let value: Value =
            serde_json::from_str(&cf.value).unwrap_or(Value::String(cf.value.clone()));
        match ticket_cf(&current.json, &cf.name) {
            None => errors.push(field_error(
                &format!("custom_fields.{}", cf.name),
                "invalid_field",
                format!(
                    "ticket {id} has no custom field {:?} (in its queue)",
                    cf.name
                ),
            )),
            Some((name, cf_id)) => {
                let definition: Value = api::get(&format!("/customfield/{cf_id}"))?.json()?;
                match check_cf_value(&name, &definition, &value) {
                    Some(e) => errors.push(e),
                    None => wanted.custom_fields.push((name, value)),
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(AdapterError::Validation(errors));
    }
    if wanted.is_empty() {
        return Ok(current);
    }
    let if_match = patch.if_version.as_deref().map(api::if_match);
    let headers: Vec<(&str, &str)> = if_match.iter().map(|v| ("if-match", v.as_str())).collect();
    let reply = api::send(
        Method::Put,
        &format!("/ticket/{id}"),
        &wanted.body(),
        &headers,
    )?;
    let messages: Vec<String> = reply
        .json::<Value>()
        .ok()
        .and_then(|v| v.as_array().cloned())
        .map(|a| a.iter().filter_map(text).collect())
        .unwrap_or_default();
    let after = read(id)?;
    let missed = wanted.missed(&after.json, &messages);
    if !missed.is_empty() {
        return Err(AdapterError::Validation(missed));
    }
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tags_are_refused_only_when_they_would_change_something() {
        assert!(refuse_tags(None).is_ok());
        assert!(refuse_tags(Some(&TagOp::Remove(vec!["x".into()]))).is_ok());
        assert!(refuse_tags(Some(&TagOp::Replace(vec![]))).is_ok());
        assert!(matches!(
            refuse_tags(Some(&TagOp::Add(vec!["x".into()]))),
            Err(AdapterError::Unsupported(_))
        ));
    }

    #[test]
    fn priorities_by_number_or_level_name() {
        let p = Priorities::from_settings(|_| None).unwrap();
        let by = |id: Option<&str>, name: Option<&str>| {
            priority_number(
                &triage_adapter_sdk::EntityRef {
                    id: id.map(str::to_owned),
                    name: name.map(str::to_owned),
                },
                &p,
            )
        };
        assert_eq!(by(Some("37"), None).unwrap(), 37);
        assert_eq!(by(None, Some("High")).unwrap(), 100);
        assert!(
            matches!(by(None, Some("On Fire")), Err(AdapterError::Validation(f)) if f[0].field == "priority")
        );
    }

    #[test]
    fn select_and_single_value_fields_are_checked() {
        let select = json!({"Type": "Select", "MaxValues": "1", "Values": ["en", "de"]});
        assert!(check_cf_value("Language", &select, &json!("de")).is_none());
        assert!(check_cf_value("Language", &select, &Value::Null).is_none());
        let e = check_cf_value("Language", &select, &json!("xx")).unwrap();
        assert_eq!(e.field, "custom_fields.Language");
        assert!(e.message.contains("en, de"));
        let free = json!({"Type": "Freeform", "MaxValues": "1"});
        assert!(check_cf_value("Note", &free, &json!(["a", "b"])).is_some());
        assert!(check_cf_value("Note", &free, &json!("anything")).is_none());
    }

    #[test]
    fn what_rt_did_not_take_is_named_with_its_message() {
        let wanted = Wanted {
            queue: Some((7, "Billing".into())),
            priority: Some(50),
            custom_fields: vec![
                ("Order Number".into(), json!("abc")),
                ("Language".into(), json!("en")),
            ],
        };
        assert_eq!(
            wanted.body(),
            json!({"Queue": 7, "Priority": 50, "CustomFields": {"Order Number": "abc", "Language": "en"}})
        );
        let after = json!({
            "Queue": {"id": "7"}, "Priority": "50",
            "CustomFields": [{"name": "Order Number", "values": []}, {"name": "Language", "values": ["en"]}]
        });
        let messages = vec![
            "Ticket 1: Priority changed from 'Low' to 'Medium'".to_owned(),
            "Could not add a new value to custom field 'Order Number': Input must match [six digits]".to_owned(),
        ];
        let missed = wanted.missed(&after, &messages);
        assert_eq!(missed.len(), 1, "{missed:?}");
        assert_eq!(missed[0].field, "custom_fields.Order Number");
        assert!(missed[0].message.contains("Input must match"));
        let moved_nowhere = json!({"Queue": {"id": "1"}, "Priority": "50", "CustomFields": []});
        let missed = wanted.missed(&moved_nowhere, &[]);
        assert_eq!(missed[0].field, "queue");
    }
}
