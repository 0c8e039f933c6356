//! Tickets from a JSON file, for a demo on one's own data.
//!
//! Two forms are accepted:
//! - a serialized [`Dataset`] (`{"tickets":[…],"contacts":[…],"truth":{…}}`), as written by
//!   `triage sim generate`, so a generated backlog can be saved, edited and served again;
//! - a plain array of loose ticket objects, the easy form to produce from an export:
//!   `[{"subject":"…","description":"…","queue":"Billing and Payments","priority":"high",…}]`.
//!   Only `subject` is required. `queue`/`true_queue` and `priority`/`true_priority` become the
//!   hidden truth; the visible group and priority start unassigned/low unless `group_id`,
//!   `group` or `visible_priority` say otherwise.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Duration, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::error::SimError;
use crate::freshdesk::{Contact, Dataset, GROUP_ID_BASE, Priority, Ticket, Truth, parse_time};

/// One loose ticket of the array form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LooseTicket {
    id: Option<u64>,
    subject: String,
    #[serde(alias = "body", alias = "text")]
    description: Option<String>,
    description_text: Option<String>,
    status: Option<u32>,
    #[serde(alias = "true_queue")]
    queue: Option<String>,
    #[serde(alias = "true_priority")]
    priority: Option<Value>,
    group_id: Option<u64>,
    group: Option<String>,
    visible_priority: Option<u32>,
    #[serde(rename = "type")]
    ticket_type: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    custom_fields: BTreeMap<String, Value>,
    created_at: Option<String>,
    updated_at: Option<String>,
    requester_name: Option<String>,
    #[serde(alias = "email")]
    requester_email: Option<String>,
}

/// Reads a ticket file; `groups` are the account's group names in id order.
pub fn from_path(path: &Path, groups: &[String]) -> Result<Dataset, SimError> {
    let text = std::fs::read_to_string(path).map_err(|source| SimError::Read {
        path: path.to_owned(),
        source,
    })?;
    from_json(&text, groups).map_err(|e| match e {
        LoadError::Json(source) => SimError::Parse {
            path: path.to_owned(),
            source,
        },
        LoadError::Data(msg) => SimError::Data(format!("{}: {msg}", path.display())),
    })
}

/// Why a ticket document was refused.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Data(String),
}

/// Parses either form.
pub fn from_json(text: &str, groups: &[String]) -> Result<Dataset, LoadError> {
    let value: Value = serde_json::from_str(text)?;
    if value.is_object() {
        return Ok(serde_json::from_value(value)?);
    }
    let loose: Vec<LooseTicket> = serde_json::from_value(value)?;
    let now = crate::freshdesk::whole_seconds(Utc::now());
    let group_id = |name: &str| {
        groups
            .iter()
            .position(|g| g == name)
            .map(|i| GROUP_ID_BASE + i as u64)
            .ok_or_else(|| LoadError::Data(format!("unknown group '{name}'")))
    };
    let mut data = Dataset::default();
    let mut emails: BTreeMap<String, u64> = BTreeMap::new();
    let mut next_id = loose.iter().filter_map(|t| t.id).max().unwrap_or(0) + 1;
    let count = loose.len() as i64;
    for (i, t) in loose.into_iter().enumerate() {
        let id = t.id.unwrap_or_else(|| {
            next_id += 1;
            next_id - 1
        });
        let time = |s: &Option<String>, field: &str| -> Result<Option<_>, LoadError> {
            s.as_deref()
                .map(|v| {
                    parse_time(v)
                        .ok_or_else(|| LoadError::Data(format!("ticket {id}: bad {field} '{v}'")))
                })
                .transpose()
        };
        let created_at = time(&t.created_at, "created_at")?
            .unwrap_or_else(|| now - Duration::minutes(count - i as i64));
        let updated_at = time(&t.updated_at, "updated_at")?.unwrap_or(created_at);
        let email = t
            .requester_email
            .clone()
            .unwrap_or_else(|| format!("requester{}@customer.example", emails.len() + 1));
        let next_contact = crate::generate::CONTACT_ID_BASE + emails.len() as u64;
        let requester_id = *emails.entry(email.clone()).or_insert_with(|| {
            data.contacts.push(Contact {
                id: next_contact,
                name: t.requester_name.clone().unwrap_or_else(|| email.clone()),
                email: email.clone(),
                company_id: None,
            });
            next_contact
        });
        if let Some(q) = &t.queue {
            let priority = match &t.priority {
                None => Some(Priority::Medium),
                Some(Value::String(s)) => Priority::parse(s),
                Some(Value::Number(n)) => n.as_u64().and_then(|n| Priority::from_code(n as u32)),
                Some(_) => None,
            }
            .ok_or_else(|| LoadError::Data(format!("ticket {id}: bad priority")))?;
            data.truth.insert(
                id,
                Truth {
                    queue: q.clone(),
                    priority,
                },
            );
        }
        let group_id = match (&t.group, t.group_id) {
            (Some(name), _) => Some(group_id(name)?),
            (None, g) => g,
        };
        let description = t.description.unwrap_or_default();
        let description_text = t
            .description_text
            .unwrap_or_else(|| strip_tags(&description));
        let description = if description.contains('<') {
            description
        } else {
            format!("<div>{}</div>", description.replace('\n', "<br>"))
        };
        data.tickets.push(Ticket {
            id,
            subject: t.subject,
            description,
            description_text,
            status: t.status.unwrap_or(2),
            priority: t.visible_priority.unwrap_or(1),
            source: 1,
            ticket_type: t.ticket_type,
            group_id,
            responder_id: None,
            requester_id,
            company_id: None,
            product_id: None,
            tags: t.tags,
            custom_fields: t.custom_fields,
            spam: false,
            deleted: false,
            is_escalated: false,
            due_by: created_at + Duration::days(3),
            fr_due_by: created_at + Duration::days(1),
            created_at,
            updated_at,
        });
    }
    Ok(data)
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::freshdesk::QUEUES;

    fn groups() -> Vec<String> {
        QUEUES.iter().map(|q| q.to_string()).collect()
    }

    #[test]
    fn loose_array() {
        let d = from_json(
            r#"[{"subject":"Refund","body":"Where is my money?","queue":"Billing and Payments","priority":"high","email":"a@x.example"},
                {"subject":"VPN","queue":"IT Support","priority":4,"group":"IT Support","email":"a@x.example"}]"#,
            &groups(),
        )
        .unwrap();
        assert_eq!(d.tickets.len(), 2);
        assert_eq!(d.contacts.len(), 1);
        assert_eq!(d.truth[&1].priority, Priority::High);
        assert_eq!(d.tickets[1].group_id, Some(GROUP_ID_BASE + 3));
        assert_eq!(d.tickets[0].description_text, "Where is my money?");
        assert!(d.tickets[0].created_at < d.tickets[1].created_at);
    }

    #[test]
    fn dataset_round_trip() {
        let d = crate::generate::generate(&crate::generate::GenerateOptions::new(20, 3));
        let text = serde_json::to_string(&d).unwrap();
        assert_eq!(from_json(&text, &groups()).unwrap(), d);
    }

    #[test]
    fn rejects_unknown_group() {
        assert!(from_json(r#"[{"subject":"x","group":"Nope"}]"#, &groups()).is_err());
    }
}
