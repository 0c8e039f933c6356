//! Records → Redmine's JSON (the 5.1 shape: `status` carries `is_closed`; empty custom field
//! values are `""`; absent associations are left out, not `null`).

use serde_json::{Map, Value, json};

use super::model::{Issue, Journal, Project};
use super::store::Store;
use crate::freshdesk::format_time;

fn named(id: u64, name: &str) -> Value {
    json!({"id": id, "name": name})
}

/// One issue; `journals` adds its history (`?include=journals`).
pub(crate) fn issue(store: &Store, i: &Issue, journals: bool) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), i.id.into());
    let project = store.project_by_id(i.project_id);
    o.insert(
        "project".into(),
        named(i.project_id, project.map_or("", |p| p.name.as_str())),
    );
    let tracker = store.tracker(i.tracker_id).map_or("", |t| t.name.as_str());
    o.insert("tracker".into(), named(i.tracker_id, tracker));
    let status = store.status(i.status_id);
    o.insert(
        "status".into(),
        json!({"id": i.status_id, "name": status.map_or("", |s| s.name.as_str()),
            "is_closed": status.is_some_and(|s| s.is_closed)}),
    );
    let priority = store
        .priority(i.priority_id)
        .map_or("", |p| p.name.as_str());
    o.insert("priority".into(), named(i.priority_id, priority));
    o.insert("author".into(), user(store, i.author_id));
    if let Some(a) = i.assigned_to_id {
        o.insert("assigned_to".into(), user(store, a));
    }
    if let Some(c) = i.category_id.and_then(|c| store.category(c)) {
        o.insert("category".into(), named(c.id, &c.name));
    }
    o.insert("subject".into(), i.subject.clone().into());
    o.insert("description".into(), i.description.clone().into());
    o.insert(
        "start_date".into(),
        i.created_on.format("%Y-%m-%d").to_string().into(),
    );
    o.insert("due_date".into(), Value::Null);
    o.insert("done_ratio".into(), 0.into());
    o.insert("is_private".into(), false.into());
    o.insert("estimated_hours".into(), Value::Null);
    o.insert("total_estimated_hours".into(), Value::Null);
    o.insert("spent_hours".into(), json!(0.0));
    o.insert("total_spent_hours".into(), json!(0.0));
    let fields: Vec<Value> = store
        .custom_fields
        .iter()
        .map(|f| {
            let value = i.custom_fields.get(&f.id).cloned().unwrap_or_default();
            json!({"id": f.id, "name": f.name, "value": value})
        })
        .collect();
    o.insert("custom_fields".into(), fields.into());
    o.insert("created_on".into(), format_time(i.created_on).into());
    o.insert("updated_on".into(), format_time(i.updated_on).into());
    o.insert(
        "closed_on".into(),
        i.closed_on
            .map(format_time)
            .map_or(Value::Null, Value::from),
    );
    if journals {
        let list: Vec<Value> = i.journals.iter().map(|j| journal(store, j)).collect();
        o.insert("journals".into(), list.into());
    }
    Value::Object(o)
}

fn user(store: &Store, id: u64) -> Value {
    let name = store.users.get(&id).map_or("", |u| u.name.as_str());
    named(id, name)
}

fn journal(store: &Store, j: &Journal) -> Value {
    let details: Vec<Value> = j
        .details
        .iter()
        .map(|(property, name, old, new)| {
            json!({"property": property, "name": name, "old_value": old, "new_value": new})
        })
        .collect();
    json!({
        "id": j.id,
        "user": user(store, j.user_id),
        "notes": j.notes,
        "created_on": format_time(j.created_on),
        "private_notes": j.private_notes,
        "details": details,
    })
}

pub(crate) fn project(p: &Project) -> Value {
    json!({
        "id": p.id,
        "name": p.name,
        "identifier": p.identifier,
        "description": "",
        "status": 1,
        "is_public": true,
        "inherit_members": false,
        "created_on": format_time(p.created_on),
        "updated_on": format_time(p.created_on),
    })
}
