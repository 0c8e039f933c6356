//! `PUT /projects/:id/issues/:iid` and `POST /projects/:id/issues/:iid/notes`: validation
//! first, then the change, all or nothing.
//!
//! Labels, as GitLab's `IssuableBaseService#process_label_ids` applies them: start from
//! `labels` (replaces) or the current list, add `add_labels`, then take away `remove_labels`
//! (so a label in both ends up removed). Values are comma-separated strings (or JSON arrays).
//! A label name the project lacks is created. Scoped labels (`scope::value`) are exclusive:
//! adding one drops any other of the same scope (GitLab Premium behaviour; on Free both
//! would stay, which the adapter guards against by removing the old one itself).
//!
//! Other attributes: `title` (1–255 characters), `description`, `state_event`
//! (`close`/`reopen`), `confidential` (boolean), `weight` (≥ 0), `due_date` (`YYYY-MM-DD`).
//! Model refusals are `{"message":{attr:[…]}}`; a value of the wrong type is Grape's
//! `{"error":"attr is invalid"}`. Unknown attributes are ignored. A write that changes
//! nothing does not bump `updated_at`; a note does (GitLab touches the issue).
//!
//! A note is public unless `internal: true` (or the older `confidential: true`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::api_error::ApiError;
use super::model::{Note, scope};
use super::store::{BOT_ID, Store};

/// `YYYY-MM-DD`, the only form `due_date` takes.
fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A JSON object body, or a form body read as one (all values strings).
pub(crate) fn attributes(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::BadParam("the body must be a JSON object".into())),
        Err(_) => Ok(url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect()),
    }
}

/// A label list: `"a,b"` or `["a","b"]`.
fn label_list(v: &Value, key: &str) -> Result<Vec<String>, ApiError> {
    let items: Vec<String> = match v {
        Value::String(s) => s.split(',').map(str::to_owned).collect(),
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| ApiError::BadParam(format!("{key} is invalid")))?,
        Value::Null => Vec::new(),
        _ => return Err(ApiError::BadParam(format!("{key} is invalid"))),
    };
    Ok(items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect())
}

fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// The labels after a write: replace or keep, add, remove, then one label per scope (the
/// one added last wins).
pub(crate) fn apply_labels(
    current: &[String],
    replace: Option<Vec<String>>,
    add: &[String],
    remove: &[String],
) -> Vec<String> {
    let mut labels: Vec<String> = replace.clone().unwrap_or_else(|| current.to_vec());
    for l in add {
        if let Some(sc) = scope(l) {
            labels.retain(|x| x == l || scope(x) != Some(sc));
        }
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    labels.retain(|l| !remove.contains(l));
    labels.sort();
    labels.dedup();
    labels
}

/// Applies an issue PUT; the issue's iid.
pub(crate) fn update_issue(
    store: &mut Store,
    iid: u64,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let attrs = attributes(body)?;
    let current = store
        .issues
        .get(&iid)
        .ok_or(ApiError::NotFound("Issue"))?
        .clone();
    let mut issue = current.clone();
    let mut invalid: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let list = |key: &str| attrs.get(key).map(|v| label_list(v, key)).transpose();
    let replace = list("labels")?;
    let add = list("add_labels")?.unwrap_or_default();
    let remove = list("remove_labels")?.unwrap_or_default();
    issue.labels = apply_labels(&current.labels, replace, &add, &remove);
    if let Some(v) = attrs.get("title") {
        let t = v.as_str().unwrap_or_default().trim();
        if t.is_empty() {
            invalid
                .entry("title".into())
                .or_default()
                .push("can't be blank".into());
        } else if t.chars().count() > 255 {
            invalid
                .entry("title".into())
                .or_default()
                .push("is too long (maximum is 255 characters)".into());
        }
        issue.title = t.to_owned();
    }
    if let Some(v) = attrs.get("description") {
        issue.description = v.as_str().unwrap_or_default().to_owned();
    }
    if let Some(v) = attrs.get("state_event") {
        match v.as_str() {
            Some("close") => {
                issue.state = "closed".into();
                issue.closed_at.get_or_insert(now);
            }
            Some("reopen") => {
                issue.state = "opened".into();
                issue.closed_at = None;
            }
            _ => {
                return Err(ApiError::BadParam(
                    "state_event does not have a valid value".into(),
                ));
            }
        }
    }
    if let Some(v) = attrs.get("confidential") {
        issue.confidential =
            boolean(v).ok_or_else(|| ApiError::BadParam("confidential is invalid".into()))?;
    }
    if let Some(v) = attrs.get("weight") {
        let n = match v {
            Value::Null => None,
            Value::Number(n) => Some(
                n.as_i64()
                    .ok_or_else(|| ApiError::BadParam("weight is invalid".into()))?,
            ),
            Value::String(s) => Some(
                s.trim()
                    .parse::<i64>()
                    .map_err(|_| ApiError::BadParam("weight is invalid".into()))?,
            ),
            _ => return Err(ApiError::BadParam("weight is invalid".into())),
        };
        match n {
            Some(n) if n < 0 => invalid
                .entry("weight".into())
                .or_default()
                .push("must be greater than or equal to 0".into()),
            n => issue.weight = n.map(|n| n as u64),
        }
    }
    if let Some(v) = attrs.get("due_date") {
        issue.due_date = match v {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            Value::String(s) if parse_date(s).is_some() => Some(s.clone()),
            _ => return Err(ApiError::BadParam("due_date is invalid".into())),
        };
    }
    if !invalid.is_empty() {
        return Err(ApiError::Invalid(invalid));
    }
    for l in &issue.labels {
        store.ensure_label(l);
    }
    let changed = issue != current;
    store.issues.insert(iid, issue);
    if changed {
        store.touch(iid, now);
    }
    Ok(())
}

/// Adds a note; its id.
pub(crate) fn add_note(
    store: &mut Store,
    iid: u64,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<u64, ApiError> {
    let attrs = attributes(body)?;
    if !store.issues.contains_key(&iid) {
        return Err(ApiError::NotFound("Issue"));
    }
    let text = attrs
        .get("body")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ApiError::invalid("note", "can't be blank"));
    }
    let flag = |key: &str| attrs.get(key).and_then(boolean).unwrap_or(false);
    let note = Note {
        id: store.next_note_id(),
        issue_iid: iid,
        body: text.to_owned(),
        internal: flag("internal") || flag("confidential"),
        author_id: BOT_ID,
        created_at: super::store::millis(now),
    };
    let id = note.id;
    store.notes.entry(iid).or_default().push(note);
    store.touch(iid, now);
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gitlab::config::SimConfig;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn labels_add_remove_and_scopes_are_exclusive() {
        let cur = strings(&["bug", "queue::a", "priority::low"]);
        assert_eq!(
            apply_labels(&cur, None, &strings(&["queue::b", "x"]), &strings(&["bug"])),
            strings(&["priority::low", "queue::b", "x"])
        );
        // Removal wins over addition, as in GitLab.
        assert_eq!(
            apply_labels(&cur, None, &strings(&["y"]), &strings(&["y"])),
            strings(&["bug", "priority::low", "queue::a"])
        );
        assert_eq!(
            apply_labels(&cur, Some(strings(&["z"])), &[], &[]),
            strings(&["z"])
        );
    }

    fn store() -> (Store, u64) {
        let data = crate::generate::generate(&crate::generate::GenerateOptions::new(5, 1));
        let s = Store::new(&SimConfig::default().with_data(data)).unwrap();
        let iid = *s.issues.keys().next().unwrap();
        (s, iid)
    }

    #[test]
    fn refusals_write_nothing_and_notes_are_public_unless_internal() {
        let (mut s, iid) = store();
        let before = s.issues[&iid].clone();
        let e = update_issue(
            &mut s,
            iid,
            br#"{"weight":-1,"add_labels":"x"}"#,
            Utc::now(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            ApiError::invalid("weight", "must be greater than or equal to 0")
        );
        assert_eq!(
            update_issue(&mut s, iid, br#"{"due_date":"soon"}"#, Utc::now()).unwrap_err(),
            ApiError::BadParam("due_date is invalid".into())
        );
        assert_eq!(s.issues[&iid], before);
        update_issue(&mut s, iid, b"add_labels=new-one", Utc::now()).unwrap();
        assert!(s.issues[&iid].labels.contains(&"new-one".to_owned()));
        assert!(s.label("new-one").is_some(), "a new label is created");
        add_note(&mut s, iid, br#"{"body":"hi"}"#, Utc::now()).unwrap();
        add_note(
            &mut s,
            iid,
            br#"{"body":"psst","confidential":true}"#,
            Utc::now(),
        )
        .unwrap();
        let notes = &s.notes[&iid];
        assert_eq!(
            notes.iter().map(|n| n.internal).collect::<Vec<_>>(),
            [false, true]
        );
        assert_eq!(
            add_note(&mut s, 999_999, br#"{"body":"x"}"#, Utc::now()).unwrap_err(),
            ApiError::NotFound("Issue")
        );
    }
}
