//! `PUT /issues/{id}.json`: what Redmine accepts, refuses (422 with full-sentence messages)
//! and silently ignores.
//!
//! Kept from Redmine because adapters must cope with them:
//! - unknown attributes, unknown custom field ids and a `project_id` the user may not move the
//!   issue to are **ignored** without an error (Redmine's safe-attributes filter);
//! - an unknown `priority_id` is "Priority cannot be blank" (the association ends up empty);
//! - messages name the attribute's label (`Language is not included in the list`), not a key;
//! - notes become a journal; `private_notes` hides them from customers;
//! - nothing is saved when anything is refused; a change (or a note) bumps `updated_on`.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::model::{API_USER, FieldFormat, Journal};
use super::store::Store;

/// Why an update is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UpdateError {
    NotFound,
    Forbidden,
    /// 422 `{"errors": [...]}`.
    Invalid(Vec<String>),
}

/// A JSON value as Redmine reads a scalar parameter (`3`, `"3"`, `true`).
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_owned()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn id(v: &Value) -> Option<u64> {
    text(v).and_then(|s| s.trim().parse().ok())
}

fn truthy(v: &Value) -> bool {
    matches!(text(v).as_deref(), Some("1" | "true"))
}

/// Applies `attrs` (the `issue` object) to issue `issue_id`. `Ok(true)` when something changed.
pub(crate) fn apply(
    store: &mut Store,
    issue_id: u64,
    attrs: &Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<bool, UpdateError> {
    let Some(current) = store.issues.get(&issue_id) else {
        return Err(UpdateError::NotFound);
    };
    if !store.visible(current) {
        return Err(UpdateError::Forbidden);
    }
    let mut issue = current.clone();
    let mut errors = Vec::new();
    if let Some(v) = attrs.get("subject") {
        issue.subject = text(v).unwrap_or_default().trim().to_owned();
        if issue.subject.is_empty() {
            errors.push("Subject cannot be blank".to_owned());
        }
    }
    if let Some(v) = attrs.get("description") {
        issue.description = super::model::crlf(&text(v).unwrap_or_default());
    }
    if let Some(p) = attrs.get("project_id").and_then(text) {
        // Silently ignored when unknown or not visible, as Redmine does.
        if let Some(project) = store
            .project(&p)
            .filter(|p| !store.restricted.contains(&p.id))
        {
            issue.project_id = project.id;
        }
    }
    if let Some(v) = attrs.get("priority_id") {
        match id(v).and_then(|p| store.priority(p)) {
            Some(p) => issue.priority_id = p.id,
            None => errors.push("Priority cannot be blank".to_owned()),
        }
    }
    if let Some(v) = attrs.get("tracker_id") {
        match id(v).and_then(|t| store.tracker(t)) {
            Some(t) => issue.tracker_id = t.id,
            None => errors.push("Tracker is not included in the list".to_owned()),
        }
    }
    if let Some(v) = attrs.get("status_id") {
        match id(v).and_then(|s| store.status(s)) {
            Some(s) => {
                issue.status_id = s.id;
                issue.closed_on = s.is_closed.then_some(now);
            }
            None => errors.push("Status is not included in the list".to_owned()),
        }
    }
    if let Some(v) = attrs.get("assigned_to_id") {
        match text(v).as_deref().map(str::trim) {
            Some("") => issue.assigned_to_id = None,
            _ => match id(v).filter(|u| store.users.contains_key(u)) {
                Some(u) => issue.assigned_to_id = Some(u),
                None => errors.push("Assignee is invalid".to_owned()),
            },
        }
    }
    if let Some(v) = attrs.get("category_id") {
        issue.category_id = match text(v).as_deref().map(str::trim) {
            Some("") => None,
            _ => id(v).and_then(|c| store.category(c)).map(|c| c.id),
        };
        if issue.category_id.is_none() && !matches!(text(v).as_deref().map(str::trim), Some("")) {
            errors.push("Category is not included in the list".to_owned());
        }
    }
    // A category belongs to one project: moving the issue drops a category that does not.
    if let Some(c) = issue.category_id.and_then(|c| store.category(c))
        && c.project_id != issue.project_id
    {
        if attrs.contains_key("category_id") {
            errors.push("Category is not included in the list".to_owned());
        } else {
            issue.category_id = None;
        }
    }
    if let Some(fields) = attrs.get("custom_fields") {
        for f in fields.as_array().into_iter().flatten() {
            let Some(def) = f.get("id").and_then(id).and_then(|i| store.custom_field(i)) else {
                continue;
            };
            let value = f.get("value").unwrap_or(&Value::Null);
            let accepted = text(value).filter(|v| def.accepts(v.trim()));
            match accepted {
                Some(v) => {
                    issue.custom_fields.insert(def.id, v.trim().to_owned());
                }
                None => errors.push(match def.format {
                    FieldFormat::List(_) | FieldFormat::Bool => {
                        format!("{} is not included in the list", def.name)
                    }
                    _ => format!("{} is invalid", def.name),
                }),
            }
        }
    }
    if !errors.is_empty() {
        return Err(UpdateError::Invalid(errors));
    }
    let notes = attrs
        .get("notes")
        .and_then(text)
        .unwrap_or_default()
        .trim()
        .to_owned();
    let private_notes = attrs.get("private_notes").is_some_and(truthy);
    let details = changes(current, &issue);
    if details.is_empty() && notes.is_empty() {
        return Ok(false);
    }
    let now = super::model::stored_time(now);
    issue.updated_on = now;
    let journal = Journal {
        id: store.journal_id(),
        user_id: API_USER.0,
        notes,
        private_notes,
        created_on: now,
        details,
    };
    issue.journals.push(journal);
    store.issues.insert(issue_id, issue);
    Ok(true)
}

/// The journal details of a change: `("attr", name, old, new)` or `("cf", id, old, new)`.
fn changes(
    before: &super::model::Issue,
    after: &super::model::Issue,
) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let attrs: [(&str, String, String); 8] = [
        ("subject", before.subject.clone(), after.subject.clone()),
        (
            "description",
            before.description.clone(),
            after.description.clone(),
        ),
        (
            "project_id",
            before.project_id.to_string(),
            after.project_id.to_string(),
        ),
        (
            "priority_id",
            before.priority_id.to_string(),
            after.priority_id.to_string(),
        ),
        (
            "tracker_id",
            before.tracker_id.to_string(),
            after.tracker_id.to_string(),
        ),
        (
            "status_id",
            before.status_id.to_string(),
            after.status_id.to_string(),
        ),
        (
            "assigned_to_id",
            opt(before.assigned_to_id),
            opt(after.assigned_to_id),
        ),
        (
            "category_id",
            opt(before.category_id),
            opt(after.category_id),
        ),
    ];
    for (name, old, new) in attrs {
        if old != new {
            out.push(("attr".into(), name.into(), old, new));
        }
    }
    for (id, new) in &after.custom_fields {
        let old = before.custom_fields.get(id).cloned().unwrap_or_default();
        if old != *new {
            out.push(("cf".into(), id.to_string(), old, new.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{GenerateOptions, generate};
    use crate::redmine::config::SimConfig;
    use serde_json::json;

    fn store() -> Store {
        let config = SimConfig::default().with_data(generate(&GenerateOptions::new(5, 1)));
        Store::new(&config, Utc::now()).unwrap()
    }

    fn attrs(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn changes_and_a_private_note_make_one_journal() {
        let mut s = store();
        let before = s.issues[&1].clone();
        let changed = apply(
            &mut s,
            1,
            &attrs(
                json!({"priority_id": 4, "project_id": "billing-and-payments",
                "custom_fields": [{"id": 2, "value": "de"}],
                "notes": "routed", "private_notes": true, "unknown": 1}),
            ),
            Utc::now(),
        )
        .unwrap();
        assert!(changed);
        let after = &s.issues[&1];
        assert_eq!(after.priority_id, 4);
        assert_eq!(
            s.project_by_id(after.project_id).unwrap().name,
            "Billing and Payments"
        );
        assert_eq!(after.custom_fields[&2], "de");
        assert!(after.updated_on >= before.updated_on);
        let j = after.journals.last().unwrap();
        assert!(j.private_notes && j.notes == "routed");
        assert!(j.details.iter().any(|d| d.1 == "priority_id"));
    }

    #[test]
    fn refusals_name_the_label_and_save_nothing() {
        let mut s = store();
        let before = s.issues[&1].clone();
        let err = apply(
            &mut s,
            1,
            &attrs(json!({"priority_id": 99, "custom_fields": [{"id": 2, "value": "xx"}, {"id": 4, "value": "abc"}]})),
            Utc::now(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            UpdateError::Invalid(vec![
                "Priority cannot be blank".into(),
                "Language is not included in the list".into(),
                "Triage confidence is invalid".into(),
            ])
        );
        assert_eq!(s.issues[&1], before);
    }

    #[test]
    fn ignored_and_missing() {
        let mut s = store();
        let before = s.issues[&1].clone();
        assert_eq!(
            apply(
                &mut s,
                1,
                &attrs(json!({"project_id": 999, "custom_fields": [{"id": 77, "value": "x"}]})),
                Utc::now()
            ),
            Ok(false)
        );
        assert_eq!(s.issues[&1], before);
        assert_eq!(
            apply(&mut s, 999, &Map::new(), Utc::now()),
            Err(UpdateError::NotFound)
        );
        s.restricted.insert(before.project_id);
        assert_eq!(
            apply(&mut s, 1, &Map::new(), Utc::now()),
            Err(UpdateError::Forbidden)
        );
    }

    #[test]
    fn categories_belong_to_the_inbox() {
        let mut s = store();
        assert!(apply(&mut s, 1, &attrs(json!({"category_id": 3})), Utc::now()).unwrap());
        assert_eq!(s.issues[&1].category_id, Some(3));
        // Moving to another project drops the inbox's category.
        assert!(apply(&mut s, 1, &attrs(json!({"project_id": 2})), Utc::now()).unwrap());
        assert_eq!(s.issues[&1].category_id, None);
        assert!(matches!(
            apply(&mut s, 1, &attrs(json!({"category_id": 3})), Utc::now()),
            Err(UpdateError::Invalid(_))
        ));
    }
}
