//! Records → Freshdesk JSON. Field names, nulls and which keys appear follow the reference's
//! sample objects, because adapters deserialize exactly these shapes.

use serde_json::{Map, Value, json};

use super::model::{Agent, Contact, CustomFieldKind, Group, Note, Ticket};
use super::store::{Schema, Store};
use super::time::format;

/// Optional parts of a ticket (`include=`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Include {
    pub description: bool,
    pub requester: bool,
    pub stats: bool,
    pub company: bool,
    pub conversations: bool,
}

impl Include {
    /// Everything a single-ticket view always shows.
    pub fn view() -> Self {
        Self {
            description: true,
            ..Self::default()
        }
    }
}

/// A ticket object.
pub fn ticket(t: &Ticket, include: Include, store: &Store) -> Value {
    let mut m = Map::new();
    let ts = |d| Value::String(format(d));
    m.insert("id".into(), json!(t.id));
    m.insert("subject".into(), json!(t.subject));
    if include.description {
        m.insert("description".into(), json!(t.description));
        m.insert("description_text".into(), json!(t.description_text));
    }
    m.insert("status".into(), json!(t.status));
    m.insert("priority".into(), json!(t.priority));
    m.insert("source".into(), json!(t.source));
    m.insert("type".into(), json!(t.ticket_type));
    m.insert("group_id".into(), json!(t.group_id));
    m.insert("responder_id".into(), json!(t.responder_id));
    m.insert("requester_id".into(), json!(t.requester_id));
    m.insert("company_id".into(), json!(t.company_id));
    m.insert("product_id".into(), json!(t.product_id));
    m.insert("email_config_id".into(), Value::Null);
    m.insert("tags".into(), json!(t.tags));
    m.insert("custom_fields".into(), json!(t.custom_fields));
    for k in [
        "cc_emails",
        "fwd_emails",
        "reply_cc_emails",
        "ticket_cc_emails",
    ] {
        m.insert(k.into(), json!([]));
    }
    m.insert("to_emails".into(), Value::Null);
    m.insert("support_email".into(), json!("support@helpdesk.example"));
    m.insert("association_type".into(), Value::Null);
    m.insert("source_additional_info".into(), Value::Null);
    m.insert("spam".into(), json!(t.spam));
    m.insert("is_escalated".into(), json!(t.is_escalated));
    m.insert("fr_escalated".into(), json!(false));
    m.insert("due_by".into(), ts(t.due_by));
    m.insert("fr_due_by".into(), ts(t.fr_due_by));
    m.insert("created_at".into(), ts(t.created_at));
    m.insert("updated_at".into(), ts(t.updated_at));
    m.insert("attachments".into(), json!([]));
    if t.deleted {
        m.insert("deleted".into(), json!(true));
    }
    if include.stats {
        m.insert("stats".into(), stats(t));
    }
    if include.requester {
        let r = store.contacts.get(&t.requester_id);
        m.insert("requester".into(), r.map_or(Value::Null, requester));
    }
    if include.company {
        m.insert("company".into(), json!({}));
    }
    if include.conversations {
        let notes = store.notes.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
        let first: Vec<Value> = notes.iter().take(10).map(|n| note(n, store)).collect();
        m.insert("conversations".into(), Value::Array(first));
    }
    Value::Object(m)
}

fn stats(t: &Ticket) -> Value {
    let at = |cond: bool| {
        if cond {
            Value::String(format(t.updated_at))
        } else {
            Value::Null
        }
    };
    json!({
        "agent_responded_at": at(t.status != 2),
        "requester_responded_at": Value::Null,
        "first_responded_at": at(t.status != 2),
        "status_updated_at": format(t.updated_at),
        "reopened_at": Value::Null,
        "resolved_at": at(t.status == 4 || t.status == 5),
        "closed_at": at(t.status == 5),
        "pending_since": at(t.status == 3),
    })
}

fn requester(c: &Contact) -> Value {
    json!({"id": c.id, "name": c.name, "email": c.email, "mobile": null, "phone": null})
}

/// A note / conversation object.
pub fn note(n: &Note, store: &Store) -> Value {
    let from = n
        .user_id
        .and_then(|id| store.agents.iter().find(|a| a.id == id))
        .map(|a: &Agent| a.email.clone());
    json!({
        "id": n.id,
        "body": n.body,
        "body_text": n.body_text,
        "incoming": n.incoming,
        "private": n.private,
        "user_id": n.user_id,
        "support_email": null,
        "source": 2,
        "ticket_id": n.ticket_id,
        "to_emails": n.notify_emails,
        "from_email": from,
        "cc_emails": [],
        "bcc_emails": null,
        "created_at": format(n.created_at),
        "updated_at": format(n.updated_at),
        "attachments": [],
    })
}

/// A group object.
pub fn group(g: &Group) -> Value {
    json!({
        "id": g.id,
        "name": g.name,
        "description": g.description,
        "escalate_to": null,
        "unassigned_for": "30m",
        "business_hour_id": null,
        "group_type": "support_agent_group",
        "agent_ids": [],
        "auto_ticket_assign": false,
        "created_at": format(g.created_at),
        "updated_at": format(g.updated_at),
    })
}

/// The `/ticket_fields` list: the default fields, then the custom ones.
pub fn ticket_fields(schema: &Schema, store: &Store) -> Vec<Value> {
    let created = store
        .groups
        .first()
        .map_or_else(String::new, |g| format(g.created_at));
    let mut id = 43_000_900_000_u64;
    let mut field = |name: &str, label: &str, kind: &str, default: bool, choices: Value| {
        id += 1;
        let mut v = json!({
            "id": id,
            "name": name,
            "label": label,
            "label_for_customers": label,
            "description": label,
            "type": kind,
            "default": default,
            "position": id - 43_000_900_000,
            "required_for_closure": false,
            "required_for_agents": false,
            "required_for_customers": false,
            "customers_can_edit": false,
            "displayed_to_customers": true,
            "created_at": created,
            "updated_at": created,
        });
        if !choices.is_null() {
            v["choices"] = choices;
        }
        v
    };
    let statuses: Map<String, Value> = schema
        .statuses
        .iter()
        .map(|(id, agent, customer)| (id.to_string(), json!([agent, customer])))
        .collect();
    let groups: Map<String, Value> = store
        .groups
        .iter()
        .map(|g| (g.name.clone(), json!(g.id)))
        .collect();
    let agents: Map<String, Value> = store
        .agents
        .iter()
        .map(|a| (a.name.clone(), json!(a.id)))
        .collect();
    let mut out = vec![
        field(
            "requester",
            "Search a requester",
            "default_requester",
            true,
            Value::Null,
        ),
        field("subject", "Subject", "default_subject", true, Value::Null),
        field(
            "ticket_type",
            "Type",
            "default_ticket_type",
            true,
            json!(schema.ticket_types),
        ),
        field(
            "source",
            "Source",
            "default_source",
            true,
            json!({"Email": 1, "Portal": 2, "Phone": 3, "Chat": 7, "Feedback Widget": 9, "Outbound Email": 10}),
        ),
        field(
            "status",
            "Status",
            "default_status",
            true,
            Value::Object(statuses),
        ),
        field(
            "priority",
            "Priority",
            "default_priority",
            true,
            json!({"Low": 1, "Medium": 2, "High": 3, "Urgent": 4}),
        ),
        field(
            "group",
            "Group",
            "default_group",
            true,
            Value::Object(groups),
        ),
        field(
            "agent",
            "Agent",
            "default_agent",
            true,
            Value::Object(agents),
        ),
        field(
            "description",
            "Description",
            "default_description",
            true,
            Value::Null,
        ),
    ];
    for f in &schema.custom_fields {
        let (kind, choices) = match &f.kind {
            CustomFieldKind::Text => ("custom_text", Value::Null),
            CustomFieldKind::Paragraph => ("custom_paragraph", Value::Null),
            CustomFieldKind::Number => ("custom_number", Value::Null),
            CustomFieldKind::Checkbox => ("custom_checkbox", Value::Null),
            CustomFieldKind::Dropdown(c) => ("custom_dropdown", json!(c)),
        };
        out.push(field(&f.name, &f.label, kind, false, choices));
    }
    out
}
