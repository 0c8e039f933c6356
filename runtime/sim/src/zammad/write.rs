//! The write paths of `PUT /tickets/{id}` and `POST /ticket_articles`, following Zammad's
//! order: association names become ids (`"group":"Sales"` → `group_id`; an unknown name is a
//! shown 422 "No lookup value found for 'group': \"Sales\""), ids are checked (an unknown id is
//! an `ArgumentError`, hidden from non-admins), unknown keys are dropped silently
//! (`param_cleanup`), values are cast like ActiveRecord casts them, then the model validates
//! (422 "Validation failed: …", of which the client sees the first part only).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::api_error::ApiError;
use super::model::{ARTICLE_TYPES, Article, AttributeKind, ME, NOBODY, SENDERS, Ticket};
use super::store::Store;

/// Associations that may be given by name.
const NAMED: [&str; 6] = [
    "group",
    "priority",
    "state",
    "owner",
    "customer",
    "organization",
];

/// Ruby's `inspect` of a parameter, as lookup errors print it.
fn inspect(v: &Value) -> String {
    match v {
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Null => "nil".into(),
        other => other.to_string(),
    }
}

fn blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// `String#humanize` of an attribute name: `triage_confidence` → `Triage confidence`.
pub fn humanize(name: &str) -> String {
    let s = name.strip_suffix("_id").unwrap_or(name).replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn lookup(store: &Store, assoc: &str, value: &Value) -> Option<u64> {
    let name = match value {
        Value::String(s) => s.as_str(),
        _ => return None,
    };
    match assoc {
        "group" => store.group_by_name(name).map(|g| g.id),
        "priority" => store
            .priorities
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.id),
        "state" => store.state_by_name(name).map(|s| s.id),
        "owner" | "customer" => store.user_by_name(name).map(|u| u.id),
        _ => None,
    }
}

fn exists(store: &Store, key: &str, id: u64) -> bool {
    match key {
        "group_id" => store.group(id).is_some(),
        "priority_id" => store.priority(id).is_some(),
        "state_id" => store.state(id).is_some(),
        "owner_id" | "customer_id" => store.users.contains_key(&id),
        _ => false,
    }
}

/// ActiveRecord's integer cast: numbers, numeric strings; anything else is nil.
fn cast_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) if s.trim().parse::<f64>().is_ok() => Some(super::params::to_i(s.trim())),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// ActiveRecord's boolean cast.
fn cast_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(!matches!(
            s.as_str(),
            "0" | "f" | "F" | "false" | "FALSE" | "off" | "OFF"
        )),
        Value::Number(n) => Some(n.as_f64() != Some(0.0)),
        _ => Some(true),
    }
}

fn cast_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The ticket after a `PUT`, or the error Zammad answers.
pub fn ticket_update(
    params: &Map<String, Value>,
    ticket: &Ticket,
    store: &Store,
    admin: bool,
) -> Result<Ticket, ApiError> {
    let mut data = params.clone();
    for assoc in NAMED {
        let Some(value) = data.remove(assoc) else {
            continue;
        };
        if blank(&value) {
            continue;
        }
        let id = lookup(store, assoc, &value).ok_or_else(|| {
            ApiError::Unprocessable(format!(
                "No lookup value found for '{assoc}': {}",
                inspect(&value)
            ))
        })?;
        data.insert(format!("{assoc}_id"), Value::from(id));
    }
    for key in [
        "group_id",
        "priority_id",
        "state_id",
        "owner_id",
        "customer_id",
        "organization_id",
    ] {
        let Some(v) = data.get(key).filter(|v| !blank(v)) else {
            continue;
        };
        let known = cast_int(v)
            .and_then(|n| u64::try_from(n).ok())
            .is_some_and(|id| exists(store, key, id));
        if !known {
            return Err(ApiError::Internal422 {
                message: format!("Invalid value for param '{key}': {}", inspect(v)),
                admin,
            });
        }
    }
    let mut t = ticket.clone();
    let mut problems = Vec::new();
    for (key, v) in &data {
        match key.as_str() {
            "title" => match cast_text(v).filter(|s| !s.trim().is_empty()) {
                Some(s) => t.title = s,
                None => problems.push("Title can't be blank".to_owned()),
            },
            "note" => t.note = cast_text(v),
            "group_id" | "priority_id" | "state_id" | "customer_id" => {
                match cast_int(v).and_then(|n| u64::try_from(n).ok()) {
                    Some(id) => match key.as_str() {
                        "group_id" => t.group_id = id,
                        "priority_id" => t.priority_id = id,
                        "state_id" => t.state_id = id,
                        _ => t.customer_id = id,
                    },
                    None => problems.push(format!("{} can't be blank", humanize(key))),
                }
            }
            "owner_id" => {
                t.owner_id = cast_int(v)
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or(NOBODY);
            }
            "organization_id" => t.organization_id = None,
            name => {
                let Some(attr) = store.attribute(name) else {
                    continue; // param_cleanup drops what the model does not know
                };
                let label = humanize(name);
                let value = match &attr.kind {
                    AttributeKind::Input { maxlength } => match cast_text(v) {
                        Some(s) if s.chars().count() > *maxlength => {
                            problems.push(format!(
                                "{label} is too long (maximum is {maxlength} characters)"
                            ));
                            continue;
                        }
                        s => s.map(Value::String),
                    },
                    AttributeKind::Select { .. } => cast_text(v).map(Value::String),
                    AttributeKind::Integer { min, max } => match cast_int(v) {
                        Some(n) if n < *min => {
                            problems.push(format!(
                                "{label} is smaller than the allowed minimum value of {min}"
                            ));
                            continue;
                        }
                        Some(n) if n > *max => {
                            problems.push(format!(
                                "{label} is larger than the allowed maximum value of {max}"
                            ));
                            continue;
                        }
                        n => n.map(Value::from),
                    },
                    AttributeKind::Boolean => cast_bool(v).map(Value::Bool),
                };
                t.attributes
                    .insert(name.to_owned(), value.unwrap_or(Value::Null));
            }
        }
    }
    if problems.is_empty() {
        Ok(t)
    } else {
        Err(ApiError::Invalid(problems))
    }
}

/// A new article from `params` for ticket `ticket_id`.
pub fn new_article(
    params: &Map<String, Value>,
    ticket_id: u64,
    store: &mut Store,
    now: DateTime<Utc>,
) -> Result<Article, ApiError> {
    let named = |key: &str, allowed: &[&str], default: &str| -> Result<String, ApiError> {
        match params.get(key).filter(|v| !blank(v)) {
            None => Ok(default.to_owned()),
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(s.clone()),
            Some(v) => Err(ApiError::Unprocessable(format!(
                "No lookup value found for '{key}': {}",
                inspect(v)
            ))),
        }
    };
    let kind = named("type", &ARTICLE_TYPES, "note")?;
    let sender = named("sender", &SENDERS, "Agent")?;
    let text = |key: &str| params.get(key).and_then(cast_text);
    let me = store.users.get(&ME).map(|u| u.fullname());
    Ok(Article {
        id: store.next_article_id(),
        ticket_id,
        kind,
        sender,
        from: text("from").or(me),
        to: text("to"),
        subject: text("subject"),
        body: text("body").unwrap_or_default(),
        content_type: text("content_type").unwrap_or_else(|| "text/plain".to_owned()),
        internal: params.get("internal").and_then(cast_bool).unwrap_or(false),
        created_by_id: ME,
        created_at: now,
        updated_at: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store() -> Store {
        Store::new(&super::super::config::SimConfig::default()).unwrap()
    }

    fn ticket() -> Ticket {
        Ticket {
            id: 1,
            number: "30001".into(),
            title: "x".into(),
            group_id: 1,
            priority_id: 2,
            state_id: 1,
            owner_id: NOBODY,
            customer_id: ME,
            organization_id: None,
            note: None,
            tags: vec![],
            attributes: Default::default(),
            created_by_id: ME,
            updated_by_id: ME,
            created_at: super::super::time::now(),
            updated_at: super::super::time::now(),
        }
    }

    fn put(body: Value, admin: bool) -> Result<Ticket, ApiError> {
        ticket_update(body.as_object().unwrap(), &ticket(), &store(), admin)
    }

    #[test]
    fn names_ids_and_unknown_keys() {
        let t = put(json!({"group": "Billing and Payments", "priority": "3 high", "bogus": 1, "number": "9"}), false).unwrap();
        assert_eq!(
            (t.group_id, t.priority_id, t.number.as_str()),
            (6, 3, "30001")
        );
        let e = put(json!({"group": "Nope"}), false).unwrap_err();
        assert_eq!(
            e,
            ApiError::Unprocessable("No lookup value found for 'group': \"Nope\"".into())
        );
        let e = put(json!({"group_id": 99}), false).unwrap_err();
        assert!(
            matches!(e, ApiError::Internal422 { ref message, .. } if message == "Invalid value for param 'group_id': 99")
        );
    }

    #[test]
    fn attributes_cast_and_validate() {
        let t = put(
            json!({"triage_confidence": "87", "vip": "false", "language": "xx"}),
            false,
        )
        .unwrap();
        assert_eq!(t.attributes["triage_confidence"], json!(87));
        assert_eq!(t.attributes["vip"], json!(false));
        assert_eq!(t.attributes["language"], json!("xx"));
        let e = put(json!({"triage_confidence": 150, "title": ""}), false).unwrap_err();
        assert_eq!(
            e,
            ApiError::Invalid(vec![
                "Title can't be blank".into(),
                "Triage confidence is larger than the allowed maximum value of 100".into()
            ])
        );
        assert_eq!(humanize("group_id"), "Group");
    }
}
