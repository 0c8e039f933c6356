//! `update-ticket`: one `PUT /projects/:id/issues/:iid` carrying only what the patch changes.
//!
//! - Queue and priority are scoped labels. The new one goes in `add_labels`; every other
//!   project label of the same prefix goes in `remove_labels`. GitLab Premium drops the old
//!   label of a scope by itself, GitLab Free does not (scoped labels are a paid feature), so
//!   the explicit removal makes both end with one queue. GitLab applies removals after
//!   additions, so the new label is never in both lists.
//! - A queue or priority must name an existing project label: GitLab creates any label an
//!   update names, so a misspelt queue would silently become a new label. The adapter checks
//!   the (refreshed on miss) label list and refuses with `validation` on `queue`/`priority`.
//! - Tags are the plain labels: `add` is `add_labels`, `remove` is `remove_labels`, both
//!   leave every other label alone, atomically on the server. `replace` reads the issue and
//!   sends the difference, again as `add_labels`/`remove_labels`; `labels` (which replaces
//!   the whole list, queue and priority included) is never sent.
//! - Custom fields are the issue attributes `due_date`, `weight` and `confidential`.
//! - `if-version` (`updated_at`) is compared with a fresh read before writing: GitLab's
//!   REST API has no conditional update, so this narrows the race but cannot close it (the
//!   adapter does not claim `optimistic-locking`).

use serde_json::{Map, Value};
use triage_adapter_sdk::errors::invalid;
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::{AdapterError, AdapterResult, EntityRef, TagOp, TicketPatch};

use crate::api;
use crate::map::{self, Prefixes};

/// The JSON object.
pub fn fetch(iid: u64) -> AdapterResult<Value> {
    api::get_json(&format!("/issues/{iid}"))
}

/// Whether `version` names the same `updated_at` as `current`.
fn same_version(current: &Value, version: &str) -> bool {
    let at = current["updated_at"].as_str().unwrap_or_default();
    match (map::millis(at), map::millis(version)) {
        (Some(a), Some(b)) => a == b,
        _ => at == version,
    }
}

/// The label an entity names (`field` for the error), checked against the project's labels.
fn scoped(
    e: &EntityRef,
    field: &str,
    prefix: &str,
    labels: &dyn Fn(bool) -> AdapterResult<Vec<String>>,
) -> AdapterResult<(String, Vec<String>)> {
    let with = |all: Vec<String>| {
        map::resolve(e, prefix, &all).map(|l| {
            let others = all
                .iter()
                .filter(|x| x.starts_with(prefix) && **x != l)
                .cloned()
                .collect();
            (l, others)
        })
    };
    match with(labels(false)?) {
        Some(found) => Ok(found),
        None => with(labels(true)?).ok_or_else(|| {
            let name = e.name.as_deref().or(e.id.as_deref()).unwrap_or_default();
            invalid(
                field,
                format!("the project has no label {prefix}{name} (GitLab would create it; create it first if it is meant)"),
            )
        }),
    }
}

fn tag_ok(p: &Prefixes, t: &str) -> AdapterResult<()> {
    if t.contains(',') || t.trim().is_empty() {
        return Err(invalid(
            "tags",
            format!("{t:?}: GitLab label names are non-empty and have no commas"),
        ));
    }
    if !p.is_tag(t) {
        return Err(invalid(
            "tags",
            format!("{t:?} is a queue or priority label; set those through queue/priority"),
        ));
    }
    Ok(())
}

/// The PUT body for `patch`. `current` is the labels, needed for a tag `replace`.
pub fn body(
    patch: &TicketPatch,
    p: &Prefixes,
    current: Option<&[String]>,
    labels: &dyn Fn(bool) -> AdapterResult<Vec<String>>,
) -> AdapterResult<Map<String, Value>> {
    let (mut add, mut remove) = (Vec::<String>::new(), Vec::<String>::new());
    if let Some(q) = &patch.queue {
        let (l, others) = scoped(q, "queue", &p.queue, labels)?;
        add.push(l);
        remove.extend(others);
    }
    if let Some(pr) = &patch.priority {
        let (l, others) = scoped(pr, "priority", &p.priority, labels)?;
        add.push(l);
        remove.extend(others);
    }
    match &patch.tags {
        Some(TagOp::Add(t)) => add.extend(t.iter().cloned()),
        Some(TagOp::Remove(t)) => remove.extend(t.iter().cloned()),
        Some(TagOp::Replace(all)) => {
            let current: Vec<&String> = current
                .unwrap_or_default()
                .iter()
                .filter(|l| p.is_tag(l))
                .collect();
            add.extend(all.iter().filter(|t| !current.contains(t)).cloned());
            remove.extend(current.into_iter().filter(|c| !all.contains(c)).cloned());
        }
        None => {}
    }
    if let Some(TagOp::Add(t) | TagOp::Remove(t) | TagOp::Replace(t)) = &patch.tags {
        t.iter().try_for_each(|t| tag_ok(p, t))?;
    }
    remove.retain(|r| !add.contains(r));
    add.dedup();
    remove.sort();
    remove.dedup();
    let mut body = Map::new();
    if !add.is_empty() {
        body.insert("add_labels".into(), add.join(",").into());
    }
    if !remove.is_empty() {
        body.insert("remove_labels".into(), remove.join(",").into());
    }
    for f in &patch.custom_fields {
        if !map::CUSTOM_FIELDS.contains(&f.name.as_str()) {
            return Err(invalid(
                &format!("custom_fields.{}", f.name),
                format!(
                    "GitLab issues have no writable attribute {:?}; the custom fields are {}",
                    f.name,
                    map::CUSTOM_FIELDS.join(", ")
                ),
            ));
        }
        body.insert(f.name.clone(), map::custom_value(&f.value));
    }
    Ok(body)
}

/// Apply `patch`; the issue as it now is.
pub fn update(iid: u64, patch: &TicketPatch) -> AdapterResult<Value> {
    let p = Prefixes::from_config();
    let needs_current = patch.if_version.is_some() || matches!(patch.tags, Some(TagOp::Replace(_)));
    let current = needs_current.then(|| fetch(iid)).transpose()?;
    if let (Some(v), Some(c)) = (&patch.if_version, &current) {
        if !same_version(c, v) {
            return Err(AdapterError::Conflict(format!(
                "issue #{iid} changed: version {v}, now {}",
                c["updated_at"]
            )));
        }
    }
    let labels = current.as_ref().map(map::labels);
    let body = body(patch, &p, labels.as_deref(), &api::labels)?;
    if body.is_empty() {
        return match current {
            Some(c) => Ok(c),
            None => fetch(iid),
        };
    }
    api::send(Method::Put, &format!("/issues/{iid}"), &Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use triage_adapter_sdk::patch::empty as patch;
    use triage_adapter_sdk::CustomField;

    fn labels(_: bool) -> AdapterResult<Vec<String>> {
        Ok([
            "queue::Billing",
            "queue::Sales",
            "queue::Ops",
            "priority::low",
            "priority::high",
            "bug",
        ]
        .map(str::to_owned)
        .to_vec())
    }

    fn named(n: &str) -> Option<EntityRef> {
        Some(EntityRef {
            id: None,
            name: Some(n.into()),
        })
    }

    #[test]
    fn scoped_labels_replace_their_scope_and_tags_keep_others() {
        let p = TicketPatch {
            queue: named("billing"),
            priority: named("high"),
            tags: Some(TagOp::Add(vec!["triaged".into()])),
            ..patch()
        };
        assert_eq!(
            Value::Object(body(&p, &Prefixes::default(), None, &labels).unwrap()),
            json!({"add_labels": "queue::Billing,priority::high,triaged",
                   "remove_labels": "priority::low,queue::Ops,queue::Sales"})
        );
        let replace = TicketPatch {
            tags: Some(TagOp::Replace(vec!["a".into(), "bug".into()])),
            ..patch()
        };
        let current = ["bug".to_owned(), "old".to_owned(), "queue::Ops".to_owned()];
        assert_eq!(
            Value::Object(body(&replace, &Prefixes::default(), Some(&current), &labels).unwrap()),
            json!({"add_labels": "a", "remove_labels": "old"})
        );
        assert!(body(&patch(), &Prefixes::default(), None, &labels)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn unknown_queues_and_fields_are_refused_before_sending() {
        let bad = TicketPatch {
            queue: named("Nowhere"),
            ..patch()
        };
        assert!(matches!(body(&bad, &Prefixes::default(), None, &labels),
            Err(AdapterError::Validation(f)) if f[0].field == "queue" && f[0].message.contains("queue::Nowhere")));
        let field = TicketPatch {
            custom_fields: vec![CustomField {
                name: "color".into(),
                value: "\"red\"".into(),
            }],
            ..patch()
        };
        assert!(matches!(body(&field, &Prefixes::default(), None, &labels),
            Err(AdapterError::Validation(f)) if f[0].field == "custom_fields.color"));
        let weight = TicketPatch {
            custom_fields: vec![CustomField {
                name: "weight".into(),
                value: "3".into(),
            }],
            tags: Some(TagOp::Add(vec!["a,b".into()])),
            ..patch()
        };
        assert!(matches!(body(&weight, &Prefixes::default(), None, &labels),
            Err(AdapterError::Validation(f)) if f[0].field == "tags"));
    }

    #[test]
    fn versions_compare_as_times() {
        let cur = json!({"updated_at": "2024-01-01T00:00:00.120Z"});
        assert!(same_version(&cur, "2024-01-01T00:00:00.12Z"));
        assert!(!same_version(&cur, "2024-01-01T00:00:00Z"));
    }
}
