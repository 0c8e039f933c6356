//! Records as Zendesk's JSON. Timestamps are ISO-8601 UTC with whole seconds
//! (`2024-01-01T09:30:00Z`); resource URLs are absolute, as Zendesk sends them.

use serde_json::{Value, json};

use super::model::{Comment, FieldKind, Group, Ticket, TicketField, User};
use crate::freshdesk::format_time;

/// `<`, `>`, `&` and `"` escaped for HTML.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A ticket; `export` adds `generated_timestamp` (only incremental exports carry it) and shows
/// a deleted ticket's status as `deleted`.
pub(crate) fn ticket(base_url: &str, t: &Ticket, export: bool) -> Value {
    let mut v = json!({
        "id": t.id,
        "url": format!("{base_url}/api/v2/tickets/{}.json", t.id),
        "external_id": null,
        "type": t.ticket_type,
        "subject": t.subject,
        "raw_subject": t.subject,
        "description": t.description,
        "priority": t.priority,
        "status": if t.deleted { "deleted" } else { t.status.as_str() },
        "recipient": null,
        "requester_id": t.requester_id,
        "submitter_id": t.requester_id,
        "assignee_id": t.assignee_id,
        "organization_id": null,
        "group_id": t.group_id,
        "collaborator_ids": [],
        "follower_ids": [],
        "has_incidents": false,
        "is_public": true,
        "due_at": null,
        "tags": t.tags,
        "custom_fields": t.custom_fields.iter()
            .map(|(id, value)| json!({"id": id, "value": value}))
            .collect::<Vec<_>>(),
        "via": {"channel": "email", "source": {"from": {}, "to": {}, "rel": null}},
        "created_at": format_time(t.created_at),
        "updated_at": format_time(t.updated_at),
    });
    if export {
        v["generated_timestamp"] = json!(t.generated_timestamp);
    }
    v
}

pub(crate) fn group(base_url: &str, g: &Group) -> Value {
    json!({
        "id": g.id,
        "url": format!("{base_url}/api/v2/groups/{}.json", g.id),
        "name": g.name,
        "description": "",
        "default": false,
        "deleted": false,
        "is_public": true,
        "created_at": format_time(g.created_at),
        "updated_at": format_time(g.created_at),
    })
}

pub(crate) fn field(base_url: &str, f: &TicketField) -> Value {
    let options = match &f.kind {
        FieldKind::Tagger(values) => Some(
            values
                .iter()
                .enumerate()
                .map(|(i, v)| json!({"id": f.id * 10 + i as u64, "name": v, "value": v}))
                .collect::<Vec<_>>(),
        ),
        _ => None,
    };
    let mut v = json!({
        "id": f.id,
        "url": format!("{base_url}/api/v2/ticket_fields/{}.json", f.id),
        "type": f.kind.wire_type(),
        "title": f.title,
        "raw_title": f.title,
        "active": true,
        "required": false,
        "removable": true,
    });
    if let Some(options) = options {
        v["custom_field_options"] = json!(options);
    }
    v
}

pub(crate) fn comment(c: &Comment) -> Value {
    json!({
        "id": c.id,
        "type": "Comment",
        "author_id": c.author_id,
        "body": c.body,
        "html_body": c.html_body,
        "plain_body": c.body,
        "public": c.public,
        "attachments": [],
        "created_at": format_time(c.created_at),
    })
}

pub(crate) fn user(base_url: &str, u: &User) -> Value {
    json!({
        "id": u.id,
        "url": format!("{base_url}/api/v2/users/{}.json", u.id),
        "name": u.name,
        "email": u.email,
        "role": u.role,
        "active": true,
    })
}
