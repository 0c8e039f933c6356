//! Request-body validation for `PUT /tickets/{id}` and `POST /tickets/{id}/notes`.
//!
//! Freshdesk checks every key and reports all problems at once: unknown keys (`invalid_field`),
//! wrong JSON types (`datatype_mismatch`, "Value set is of type X.It should be …"), values
//! outside an enum or pointing at nothing (`invalid_value`). Adapters map these entries to field
//! errors, so the entries (field, code, message) are the contract here.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::api_error::FieldError;
use super::model::{CustomFieldKind, SOURCES, Ticket};
use super::store::{Schema, Store};
use super::time;

/// One accepted change to a ticket.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Subject(String),
    Description(String),
    Status(u32),
    Priority(u32),
    Source(u32),
    Type(Option<String>),
    Group(Option<u64>),
    Responder(Option<u64>),
    Requester(u64),
    Company(Option<u64>),
    Product(Option<u64>),
    Tags(Vec<String>),
    Custom(String, Value),
    DueBy(DateTime<Utc>),
    FrDueBy(DateTime<Utc>),
}

/// The JSON type name Freshdesk puts into "Value set is of type …".
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "Integer",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "key/value pair",
    }
}

fn mismatch(field: &str, v: &Value, expected: &str) -> FieldError {
    FieldError::mismatch(
        field,
        format!(
            "Value set is of type {}.It should be {expected}",
            type_name(v)
        ),
    )
}

fn one_of<T: ToString>(values: &[T]) -> String {
    let list: Vec<String> = values.iter().map(ToString::to_string).collect();
    format!("one of these values: '{}'", list.join(","))
}

fn positive_int(v: &Value) -> Option<u64> {
    v.as_u64().filter(|n| *n > 0)
}

/// Strips tags and decodes the common entities: the `*_text` twin of an HTML body.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let t = tag.trim_start_matches('/').to_ascii_lowercase();
                if (t.starts_with("br") || t.starts_with("p") || t.starts_with("div"))
                    && !out.ends_with('\n')
                    && !out.is_empty()
                {
                    out.push('\n');
                }
            }
            _ if in_tag => tag.push(c),
            _ => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

/// Validates a `PUT /tickets/{id}` body against the account; all errors or all changes.
pub fn ticket_update(
    body: &Map<String, Value>,
    ticket: &Ticket,
    schema: &Schema,
    store: &Store,
) -> Result<Vec<Change>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut changes = Vec::new();
    let statuses = schema.status_ids();
    for (key, v) in body {
        let k = key.as_str();
        match k {
            "subject" | "description" => match v.as_str() {
                Some(_) if ticket.source == 10 => errors.push(FieldError::new(
                    k,
                    "It cannot be updated for an outbound ticket",
                    "incompatible_field",
                )),
                Some(s) if k == "subject" => changes.push(Change::Subject(s.to_owned())),
                Some(s) => changes.push(Change::Description(s.to_owned())),
                None => errors.push(mismatch(k, v, "a/an String")),
            },
            "name" | "email" | "phone" | "facebook_id" | "twitter_id" | "unique_external_id" => {
                if !v.is_string() {
                    errors.push(mismatch(k, v, "a/an String"));
                }
            }
            "type" => match v {
                Value::Null => changes.push(Change::Type(None)),
                Value::String(s) if schema.ticket_types.contains(s) => {
                    changes.push(Change::Type(Some(s.clone())));
                }
                Value::String(_) => errors.push(FieldError::invalid(
                    k,
                    format!("It should be {}", one_of(&schema.ticket_types)),
                )),
                _ => errors.push(mismatch(k, v, &one_of(&schema.ticket_types))),
            },
            "status" | "priority" | "source" => {
                let allowed: Vec<u32> = match k {
                    "status" => statuses.clone(),
                    "priority" => vec![1, 2, 3, 4],
                    _ => SOURCES.to_vec(),
                };
                match v.as_u64() {
                    Some(n) if allowed.iter().any(|a| u64::from(*a) == n) => {
                        let n = n as u32;
                        changes.push(match k {
                            "status" => Change::Status(n),
                            "priority" => Change::Priority(n),
                            _ => Change::Source(n),
                        });
                    }
                    Some(_) => errors.push(FieldError::invalid(
                        k,
                        format!("It should be {}", one_of(&allowed)),
                    )),
                    None => errors.push(mismatch(k, v, &one_of(&allowed))),
                }
            }
            "group_id" | "responder_id" | "company_id" | "product_id" | "email_config_id"
            | "internal_agent_id" | "internal_group_id" => {
                if v.is_null() {
                    match k {
                        "group_id" => changes.push(Change::Group(None)),
                        "responder_id" => changes.push(Change::Responder(None)),
                        "company_id" => changes.push(Change::Company(None)),
                        "product_id" => changes.push(Change::Product(None)),
                        _ => {}
                    }
                    continue;
                }
                let Some(id) = positive_int(v) else {
                    errors.push(mismatch(k, v, "a/an Positive Integer"));
                    continue;
                };
                match k {
                    "group_id" if store.group(id).is_none() => errors.push(FieldError::invalid(
                        k,
                        "There is no group matching the given group_id",
                    )),
                    "group_id" => changes.push(Change::Group(Some(id))),
                    "responder_id" if !store.agents.iter().any(|a| a.id == id) => errors.push(
                        FieldError::invalid(k, "There is no agent matching the given responder_id"),
                    ),
                    "responder_id" => changes.push(Change::Responder(Some(id))),
                    "company_id" => changes.push(Change::Company(Some(id))),
                    "product_id" => changes.push(Change::Product(Some(id))),
                    _ => {}
                }
            }
            "requester_id" => match positive_int(v) {
                Some(id) if store.contacts.contains_key(&id) => changes.push(Change::Requester(id)),
                Some(_) => errors.push(FieldError::invalid(
                    k,
                    "There is no contact matching the given requester_id",
                )),
                None => errors.push(mismatch(k, v, "a/an Positive Integer")),
            },
            "tags" => match v.as_array() {
                Some(items) if items.iter().all(Value::is_string) => {
                    let tags = items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    changes.push(Change::Tags(tags));
                }
                Some(_) => errors.push(FieldError::mismatch(
                    k,
                    "It should contain elements of type String only",
                )),
                None => errors.push(mismatch(k, v, "a/an Array")),
            },
            "attachments" => {
                if !v.is_array() {
                    errors.push(mismatch(k, v, "a/an Array"));
                }
            }
            "due_by" | "fr_due_by" => match v.as_str().map(|s| (s, time::parse(s))) {
                Some((_, Some(t))) => changes.push(if k == "due_by" {
                    Change::DueBy(t)
                } else {
                    Change::FrDueBy(t)
                }),
                Some((_, None)) => errors.push(FieldError::invalid(
                    k,
                    "It should be in the 'valid date time' format",
                )),
                None => errors.push(mismatch(k, v, "a/an date time")),
            },
            "custom_fields" => match v.as_object() {
                Some(fields) => custom_fields(fields, schema, &mut changes, &mut errors),
                None => errors.push(mismatch(k, v, "a/an key/value pair")),
            },
            _ => errors.push(FieldError::unexpected(k)),
        }
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

fn custom_fields(
    fields: &Map<String, Value>,
    schema: &Schema,
    changes: &mut Vec<Change>,
    errors: &mut Vec<FieldError>,
) {
    for (name, v) in fields {
        let field_name = format!("custom_fields.{name}");
        let Some(def) = schema.custom_field(name) else {
            errors.push(FieldError::unexpected(field_name));
            continue;
        };
        if v.is_null() {
            changes.push(Change::Custom(name.clone(), Value::Null));
            continue;
        }
        let problem = match &def.kind {
            CustomFieldKind::Text | CustomFieldKind::Paragraph => {
                (!v.is_string()).then(|| mismatch(&field_name, v, "a/an String"))
            }
            CustomFieldKind::Number => {
                (!(v.is_i64() || v.is_u64())).then(|| mismatch(&field_name, v, "a/an Integer"))
            }
            CustomFieldKind::Checkbox => {
                (!v.is_boolean()).then(|| mismatch(&field_name, v, "a/an Boolean"))
            }
            CustomFieldKind::Dropdown(choices) => match v.as_str() {
                Some(s) if choices.iter().any(|c| c == s) => None,
                Some(_) => Some(FieldError::invalid(
                    &field_name,
                    format!("It should be {}", one_of(choices)),
                )),
                None => Some(mismatch(&field_name, v, &one_of(choices))),
            },
        };
        match problem {
            Some(e) => errors.push(e),
            None => changes.push(Change::Custom(name.clone(), v.clone())),
        }
    }
}

/// Applies validated changes; true when anything actually changed.
pub fn apply(ticket: &mut Ticket, changes: Vec<Change>) -> bool {
    let before = ticket.clone();
    for c in changes {
        match c {
            Change::Subject(s) => ticket.subject = s,
            Change::Description(d) => {
                ticket.description_text = html_to_text(&d);
                ticket.description = d;
            }
            Change::Status(s) => ticket.status = s,
            Change::Priority(p) => ticket.priority = p,
            Change::Source(s) => ticket.source = s,
            Change::Type(t) => ticket.ticket_type = t,
            Change::Group(g) => ticket.group_id = g,
            Change::Responder(r) => ticket.responder_id = r,
            Change::Requester(r) => ticket.requester_id = r,
            Change::Company(c) => ticket.company_id = c,
            Change::Product(p) => ticket.product_id = p,
            Change::Tags(t) => ticket.tags = t,
            Change::Custom(k, v) => {
                ticket.custom_fields.insert(k, v);
            }
            Change::DueBy(t) => ticket.due_by = t,
            Change::FrDueBy(t) => ticket.fr_due_by = t,
        }
    }
    *ticket != before
}

/// A validated note request.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNote {
    pub body: String,
    pub private: bool,
    pub incoming: bool,
    pub user_id: Option<u64>,
    pub notify_emails: Vec<String>,
}

/// Validates a `POST /tickets/{id}/notes` body; `private` defaults to true.
pub fn note(body: &Map<String, Value>, store: &Store) -> Result<NewNote, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut note = NewNote {
        body: String::new(),
        private: true,
        incoming: false,
        user_id: None,
        notify_emails: Vec::new(),
    };
    match body.get("body") {
        None => errors.push(FieldError::missing("body", "It should be a/an String")),
        Some(Value::String(s)) if !s.trim().is_empty() => note.body = s.clone(),
        Some(Value::String(_)) => {
            errors.push(FieldError::invalid("body", "It should not be blank"))
        }
        Some(v) => errors.push(mismatch("body", v, "a/an String")),
    }
    for (key, v) in body {
        let k = key.as_str();
        match k {
            "body" => {}
            "private" | "incoming" => match v.as_bool() {
                Some(b) if k == "private" => note.private = b,
                Some(b) => note.incoming = b,
                None => errors.push(mismatch(k, v, "a/an Boolean")),
            },
            "user_id" => match positive_int(v) {
                Some(id) if store.agents.iter().any(|a| a.id == id) => note.user_id = Some(id),
                Some(_) => errors.push(FieldError::invalid(
                    k,
                    "There is no agent matching the given user_id",
                )),
                None => errors.push(mismatch(k, v, "a/an Positive Integer")),
            },
            "notify_emails" => match v.as_array() {
                Some(items)
                    if items
                        .iter()
                        .all(|e| e.as_str().is_some_and(|s| s.contains('@'))) =>
                {
                    note.notify_emails = items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                }
                Some(_) => errors.push(FieldError::invalid(
                    k,
                    "It should contain valid email addresses",
                )),
                None => errors.push(mismatch(k, v, "a/an Array")),
            },
            "attachments" => {
                if !v.is_array() {
                    errors.push(mismatch(k, v, "a/an Array"));
                }
            }
            _ => errors.push(FieldError::unexpected(k)),
        }
    }
    if errors.is_empty() {
        Ok(note)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_html() {
        assert_eq!(
            html_to_text("<div>Hello&nbsp;<b>you</b></div><div>a &amp; b</div>"),
            "Hello you\na & b"
        );
    }
}
