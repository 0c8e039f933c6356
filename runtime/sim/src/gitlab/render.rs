//! Records as GitLab's JSON. Timestamps are ISO-8601 UTC with milliseconds
//! (`2024-01-01T09:30:00.123Z`), as GitLab sends them.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::model::{Issue, Label, Note, User};
use super::store::Store;

/// GitLab's timestamp form.
pub(crate) fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn user(base_url: &str, u: &User) -> Value {
    json!({
        "id": u.id,
        "username": u.username,
        "name": u.name,
        "state": "active",
        "avatar_url": null,
        "web_url": format!("{base_url}/{}", u.username),
    })
}

pub(crate) fn issue(store: &Store, base_url: &str, i: &Issue) -> Value {
    let author = store.users.get(&i.author_id).map(|u| user(base_url, u));
    json!({
        "id": i.id,
        "iid": i.iid,
        "project_id": store.project_id,
        "title": i.title,
        "description": i.description,
        "state": i.state,
        "created_at": time(i.created_at),
        "updated_at": time(i.updated_at),
        "closed_at": i.closed_at.map(time),
        "closed_by": null,
        "labels": i.labels,
        "milestone": null,
        "assignees": [],
        "assignee": null,
        "author": author,
        "type": "ISSUE",
        "issue_type": "issue",
        "user_notes_count": store.notes.get(&i.iid).map_or(0, Vec::len),
        "upvotes": 0,
        "downvotes": 0,
        "due_date": i.due_date,
        "confidential": i.confidential,
        "discussion_locked": null,
        "weight": i.weight,
        "web_url": format!("{base_url}/{}/-/issues/{}", store.project_path, i.iid),
        "references": {
            "short": format!("#{}", i.iid),
            "relative": format!("#{}", i.iid),
            "full": format!("{}#{}", store.project_path, i.iid),
        },
        "service_desk_reply_to": i.service_desk_reply_to,
    })
}

pub(crate) fn note(store: &Store, base_url: &str, n: &Note) -> Value {
    let author = store.users.get(&n.author_id).map(|u| user(base_url, u));
    json!({
        "id": n.id,
        "type": null,
        "body": n.body,
        "author": author,
        "created_at": time(n.created_at),
        "updated_at": time(n.created_at),
        "system": false,
        "noteable_id": super::store::ISSUE_ID_BASE + n.issue_iid,
        "noteable_type": "Issue",
        "noteable_iid": n.issue_iid,
        "resolvable": false,
        // `confidential` is the older name of `internal`; GitLab sends both.
        "confidential": n.internal,
        "internal": n.internal,
    })
}

pub(crate) fn label(l: &Label) -> Value {
    json!({
        "id": l.id,
        "name": l.name,
        "color": l.color,
        "text_color": "#FFFFFF",
        "description": l.description,
        "subscribed": false,
        "priority": null,
        "is_project_label": true,
    })
}

pub(crate) fn project(store: &Store, base_url: &str) -> Value {
    let name = store.project_path.rsplit('/').next().unwrap_or_default();
    json!({
        "id": store.project_id,
        "name": name,
        "path": name,
        "path_with_namespace": store.project_path,
        "web_url": format!("{base_url}/{}", store.project_path),
        "issues_enabled": true,
        "service_desk_enabled": true,
    })
}
