//! Records → Zammad JSON, with the keys of the documented sample objects. `expand=true` adds
//! the named associations next to the ids; tags never appear on a ticket.

use serde_json::{Map, Value, json};

use super::model::{ARTICLE_TYPES, Article, Group, Priority, SENDERS, State, Ticket, User};
use super::store::Store;
use super::time::format;

fn type_id(kind: &str) -> Value {
    ARTICLE_TYPES
        .iter()
        .position(|t| *t == kind)
        .map_or(Value::Null, |i| json!(i + 1))
}

fn sender_id(sender: &str) -> Value {
    SENDERS
        .iter()
        .position(|s| *s == sender)
        .map_or(Value::Null, |i| json!(i + 1))
}

/// A ticket; `expand` adds `article_ids` and the names of group, state, priority and users.
pub fn ticket(t: &Ticket, store: &Store, expand: bool) -> Value {
    let articles = store.articles.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
    let first = articles.first();
    let last_contact = articles.last().map(|a| format(a.created_at));
    let mut m = Map::new();
    m.insert("id".into(), json!(t.id));
    m.insert("group_id".into(), json!(t.group_id));
    m.insert("priority_id".into(), json!(t.priority_id));
    m.insert("state_id".into(), json!(t.state_id));
    m.insert("organization_id".into(), json!(t.organization_id));
    m.insert("number".into(), json!(t.number));
    m.insert("title".into(), json!(t.title));
    m.insert("owner_id".into(), json!(t.owner_id));
    m.insert("customer_id".into(), json!(t.customer_id));
    m.insert("note".into(), json!(t.note));
    for k in [
        "first_response_at",
        "first_response_escalation_at",
        "first_response_in_min",
        "first_response_diff_in_min",
        "close_at",
        "close_escalation_at",
        "close_in_min",
        "close_diff_in_min",
        "update_escalation_at",
        "update_in_min",
        "update_diff_in_min",
        "last_contact_agent_at",
        "last_owner_update_at",
        "escalation_at",
        "pending_time",
        "type",
        "time_unit",
    ] {
        m.insert(k.into(), Value::Null);
    }
    m.insert("last_contact_at".into(), json!(last_contact));
    m.insert("last_contact_customer_at".into(), json!(last_contact));
    m.insert(
        "create_article_type_id".into(),
        first.map_or(Value::Null, |a| type_id(&a.kind)),
    );
    m.insert(
        "create_article_sender_id".into(),
        first.map_or(Value::Null, |a| sender_id(&a.sender)),
    );
    m.insert("article_count".into(), json!(articles.len()));
    m.insert("preferences".into(), json!({}));
    m.insert("updated_by_id".into(), json!(t.updated_by_id));
    m.insert("created_by_id".into(), json!(t.created_by_id));
    m.insert("created_at".into(), json!(format(t.created_at)));
    m.insert("updated_at".into(), json!(format(t.updated_at)));
    for a in &store.attributes {
        m.insert(
            a.name.clone(),
            t.attributes.get(&a.name).cloned().unwrap_or(Value::Null),
        );
    }
    if expand {
        let ids: Vec<u64> = articles.iter().map(|a| a.id).collect();
        m.insert("article_ids".into(), json!(ids));
        m.insert("ticket_time_accounting_ids".into(), json!([]));
        m.insert(
            "group".into(),
            json!(store.group(t.group_id).map(|g| &g.name)),
        );
        m.insert("organization".into(), Value::Null);
        m.insert("ticket_time_accounting".into(), json!([]));
        m.insert(
            "state".into(),
            json!(store.state(t.state_id).map(|s| &s.name)),
        );
        m.insert(
            "priority".into(),
            json!(store.priority(t.priority_id).map(|p| &p.name)),
        );
        m.insert("owner".into(), json!(store.login(t.owner_id)));
        m.insert("customer".into(), json!(store.login(t.customer_id)));
        m.insert("created_by".into(), json!(store.login(t.created_by_id)));
        m.insert("updated_by".into(), json!(store.login(t.updated_by_id)));
        m.insert("create_article_type".into(), json!(first.map(|a| &a.kind)));
        m.insert(
            "create_article_sender".into(),
            json!(first.map(|a| &a.sender)),
        );
    }
    Value::Object(m)
}

/// An article (always with its type and sender names, as the articles endpoints answer).
pub fn article(a: &Article, store: &Store) -> Value {
    json!({
        "id": a.id,
        "ticket_id": a.ticket_id,
        "type_id": type_id(&a.kind),
        "sender_id": sender_id(&a.sender),
        "from": a.from,
        "to": a.to,
        "cc": null,
        "subject": a.subject,
        "reply_to": null,
        "message_id": null,
        "message_id_md5": null,
        "in_reply_to": null,
        "content_type": a.content_type,
        "references": null,
        "body": a.body,
        "internal": a.internal,
        "preferences": {},
        "updated_by_id": a.created_by_id,
        "created_by_id": a.created_by_id,
        "origin_by_id": null,
        "created_at": format(a.created_at),
        "updated_at": format(a.updated_at),
        "attachments": [],
        "type": a.kind,
        "sender": a.sender,
        "created_by": store.login(a.created_by_id),
        "updated_by": store.login(a.created_by_id),
        "time_unit": null,
    })
}

/// A group (`GET /groups`).
pub fn group(g: &Group, created: &str) -> Value {
    json!({
        "id": g.id,
        "signature_id": null,
        "email_address_id": null,
        "name": g.name,
        "assignment_timeout": null,
        "follow_up_possible": "yes",
        "follow_up_assignment": true,
        "active": g.active,
        "note": null,
        "updated_by_id": 1,
        "created_by_id": 1,
        "created_at": created,
        "updated_at": created,
        "user_ids": [2, 3, 4],
    })
}

/// A priority (`GET /ticket_priorities`).
pub fn priority(p: &Priority, created: &str) -> Value {
    json!({
        "id": p.id,
        "name": p.name,
        "default_create": p.default_create,
        "ui_icon": null,
        "ui_color": null,
        "note": null,
        "active": true,
        "updated_by_id": 1,
        "created_by_id": 1,
        "created_at": created,
        "updated_at": created,
    })
}

/// A state (`GET /ticket_states`).
pub fn state(s: &State, created: &str) -> Value {
    let type_id = super::model::DEFAULT_STATES
        .iter()
        .position(|(_, kind)| *kind == s.state_type)
        .map_or(json!(null), |i| json!(i + 1));
    json!({
        "id": s.id,
        "state_type_id": type_id,
        "name": s.name,
        "next_state_id": null,
        "ignore_escalation": s.state_type == "closed" || s.state_type == "merged",
        "default_create": s.name == "new",
        "default_follow_up": s.name == "open",
        "note": null,
        "active": true,
        "updated_by_id": 1,
        "created_by_id": 1,
        "created_at": created,
        "updated_at": created,
    })
}

/// The current user (`GET /users/me`); `expand` adds group and role names.
pub fn me(u: &User, store: &Store, expand: bool, admin: bool) -> Value {
    let mut group_ids = Map::new();
    let mut groups = Map::new();
    for g in &store.groups {
        group_ids.insert(g.id.to_string(), json!(["full"]));
        groups.insert(g.name.clone(), json!(["full"]));
    }
    let roles: Vec<&str> = if admin {
        vec!["Admin", "Agent"]
    } else {
        vec!["Agent"]
    };
    let mut m = json!({
        "id": u.id,
        "organization_id": u.organization_id,
        "login": u.login,
        "firstname": u.firstname,
        "lastname": u.lastname,
        "email": u.email,
        "active": true,
        "vip": false,
        "role_ids": if admin { json!([1, 2]) } else { json!([2]) },
        "organization_ids": [],
        "group_ids": group_ids,
    });
    if expand {
        m["roles"] = json!(roles);
        m["organization"] = Value::Null;
        m["groups"] = Value::Object(groups);
    }
    m
}
