//! `PUT /api/v2/tickets/{id}.json` and the Tags API (`PUT` adds, `POST` sets, `DELETE`
//! removes on `/api/v2/tickets/{id}/tags.json`): validation first, then the change, all or
//! nothing.
//!
//! What the reference says: the body is `{"ticket":{…}}`; `priority` is one of low, normal,
//! high, urgent (or null); `group_id` names a group; `tags` replaces the list while
//! `additional_tags`/`remove_tags` and the Tags API keep the others; `custom_fields` is
//! `[{"id","value"}]`; `comment: {body|html_body, public}` adds a comment that is **public
//! unless `public: false`**; `safe_update: true` with `updated_stamp` refuses (409) when the
//! ticket changed since that `updated_at`; a closed ticket cannot be updated (422 naming
//! `status`). Choices where it is unsure (`[U]`), made to be the harder case:
//! - unknown attributes and unknown custom field ids are ignored silently;
//! - a bad drop-down value is a `RecordInvalid` entry under `base` with the field's id as
//!   `field_key`; a bad priority or group an entry under `priority` / `group`;
//! - tags are lower-cased; a write that changes nothing does not bump `updated_at`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::api_error::{ApiError, FieldError};
use super::model::{Comment, FieldKind, PRIORITIES, STATUSES, Ticket};
use super::render;
use super::store::{AGENT_ID, Store};
use crate::freshdesk::{format_time, parse_time};

/// How a Tags API call changes the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagVerb {
    Add,
    Set,
    Remove,
}

fn tag_list(v: &Value, key: &str) -> Result<Vec<String>, ApiError> {
    let bad = || ApiError::invalid(key, "InvalidValue", format!("{key} must be a list of tags"));
    let list = match v {
        Value::Array(a) => a.clone(),
        // Zendesk also takes a space-separated string.
        Value::String(s) => s.split_whitespace().map(|t| json!(t)).collect(),
        _ => return Err(bad()),
    };
    list.iter()
        .map(|t| t.as_str().map(|s| s.trim().to_lowercase()).ok_or_else(bad))
        .filter(|t| t.as_ref().map_or(true, |s| !s.is_empty()))
        .collect()
}

fn apply_tags(tags: &mut Vec<String>, verb: TagVerb, list: &[String]) {
    match verb {
        TagVerb::Set => {
            tags.clear();
            for t in list {
                if !tags.contains(t) {
                    tags.push(t.clone());
                }
            }
        }
        TagVerb::Add => {
            for t in list {
                if !tags.contains(t) {
                    tags.push(t.clone());
                }
            }
        }
        TagVerb::Remove => tags.retain(|t| !list.contains(t)),
    }
}

fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::BadRequest(
            "the body must be a JSON object".into(),
        )),
        Err(e) => Err(ApiError::BadRequest(format!("the body is not JSON: {e}"))),
    }
}

/// The `safe_update` check, against the ticket as stored.
fn safe_update(t: &Ticket, attrs: &Map<String, Value>) -> Result<(), ApiError> {
    if attrs.get("safe_update").and_then(Value::as_bool) != Some(true) {
        return Ok(());
    }
    let stamp = attrs
        .get("updated_stamp")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::BadRequest("safe_update needs updated_stamp".into()))?;
    match parse_time(stamp) {
        Some(at) if at == t.updated_at => Ok(()),
        _ => Err(ApiError::Conflict),
    }
}

fn closed(t: &Ticket) -> Result<(), ApiError> {
    if t.status == "closed" {
        return Err(ApiError::invalid(
            "status",
            "ClosedTicket",
            "Status: closed prevents ticket update".into(),
        ));
    }
    Ok(())
}

fn custom_value(kind: &FieldKind, title: &str, v: &Value) -> Result<Value, String> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    match kind {
        FieldKind::Text => Ok(match v {
            Value::String(_) => v.clone(),
            other => Value::String(other.to_string()),
        }),
        FieldKind::Decimal => match v {
            Value::Number(_) => Ok(v.clone()),
            Value::String(s) if s.trim().parse::<f64>().is_ok() => Ok(v.clone()),
            _ => Err(format!("{title}: {v} is not a number")),
        },
        FieldKind::Checkbox => match v {
            Value::Bool(_) => Ok(v.clone()),
            _ => Err(format!("{title}: {v} is not true or false")),
        },
        FieldKind::Tagger(options) => match v.as_str() {
            Some(s) if options.iter().any(|o| o == s) => Ok(v.clone()),
            _ => Err(format!("{title}: {v} is not one of {}", options.join(", "))),
        },
    }
}

/// Applies a ticket PUT; the reply body (`{"ticket", "audit"}`).
pub(crate) fn update_ticket(
    store: &mut Store,
    id: u64,
    body: &[u8],
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<Value, ApiError> {
    let body = object(body)?;
    let attrs = match body.get("ticket") {
        Some(Value::Object(m)) => m.clone(),
        _ => {
            return Err(ApiError::BadRequest(
                "the body must be {\"ticket\": {…}}".into(),
            ));
        }
    };
    let current = store.live(id).ok_or(ApiError::NotFound)?.clone();
    safe_update(&current, &attrs)?;
    closed(&current)?;
    let mut t = current.clone();
    let mut details: BTreeMap<String, Vec<FieldError>> = BTreeMap::new();
    let mut fail = |key: &str, error: &str, description: String, field_key: Option<u64>| {
        details.entry(key.to_owned()).or_default().push(FieldError {
            description,
            error: error.to_owned(),
            field_key,
        });
    };
    if let Some(p) = attrs.get("priority") {
        match p {
            Value::Null => t.priority = None,
            Value::String(s) if PRIORITIES.contains(&s.as_str()) => t.priority = Some(s.clone()),
            other => fail(
                "priority",
                "InvalidValue",
                format!("Priority: {other} is not valid"),
                None,
            ),
        }
    }
    if let Some(s) = attrs.get("status") {
        match s.as_str() {
            Some(s) if STATUSES.contains(&s) && s != "new" => t.status = s.to_owned(),
            _ => fail(
                "status",
                "InvalidValue",
                format!("Status: {s} is not valid"),
                None,
            ),
        }
    }
    if let Some(g) = attrs.get("group_id") {
        match g {
            Value::Null => t.group_id = None,
            v => match v.as_u64().filter(|id| store.group(*id).is_some()) {
                Some(gid) => t.group_id = Some(gid),
                None => fail(
                    "group",
                    "InvalidValue",
                    format!("Group: {v} is invalid"),
                    None,
                ),
            },
        }
    }
    if let Some(s) = attrs.get("subject").and_then(Value::as_str) {
        t.subject = s.to_owned();
    }
    for (key, verb) in [
        ("tags", TagVerb::Set),
        ("additional_tags", TagVerb::Add),
        ("remove_tags", TagVerb::Remove),
    ] {
        if let Some(v) = attrs.get(key) {
            match tag_list(v, key) {
                Ok(list) => apply_tags(&mut t.tags, verb, &list),
                Err(_) => fail(
                    key,
                    "InvalidValue",
                    format!("{key} must be a list of tags"),
                    None,
                ),
            }
        }
    }
    if let Some(cf) = attrs.get("custom_fields") {
        let Some(entries) = cf.as_array() else {
            return Err(ApiError::BadRequest(
                "custom_fields must be a list of {\"id\", \"value\"}".into(),
            ));
        };
        for e in entries {
            let Some(fid) = e.get("id").and_then(Value::as_u64) else {
                return Err(ApiError::BadRequest(format!(
                    "custom field entry without a numeric id: {e}"
                )));
            };
            let Some(field) = store.field(fid) else {
                continue;
            };
            let value = e.get("value").cloned().unwrap_or(Value::Null);
            match custom_value(&field.kind, &field.title, &value) {
                Ok(v) => {
                    t.custom_fields.insert(fid, v);
                }
                Err(message) => fail("base", "InvalidValue", message, Some(fid)),
            }
        }
    }
    let comment = match attrs.get("comment") {
        None | Some(Value::Null) => None,
        Some(Value::Object(c)) => {
            let text = c.get("body").and_then(Value::as_str);
            let html = c.get("html_body").and_then(Value::as_str);
            match (text, html) {
                (None, None) => {
                    fail(
                        "comment",
                        "BlankValue",
                        "Comment: cannot be blank".into(),
                        None,
                    );
                    None
                }
                (text, html) => Some((
                    text.map_or_else(|| strip_tags(html.unwrap_or_default()), str::to_owned),
                    html.map_or_else(
                        || format!("<p>{}</p>", render::escape(text.unwrap_or_default())),
                        str::to_owned,
                    ),
                    c.get("public").and_then(Value::as_bool).unwrap_or(true),
                )),
            }
        }
        Some(other) => {
            fail(
                "comment",
                "InvalidValue",
                format!("Comment: {other} is not valid"),
                None,
            );
            None
        }
    };
    if !details.is_empty() {
        return Err(ApiError::Invalid(details));
    }
    let mut events = Vec::new();
    if let Some((body, html_body, public)) = comment {
        let c = Comment {
            id: store.next_id(),
            ticket_id: id,
            body,
            html_body,
            public,
            author_id: AGENT_ID,
            created_at: crate::freshdesk::whole_seconds(now),
        };
        events.push(render::comment(&c));
        store.comments.entry(id).or_default().push(c);
    }
    let changed = t != current || !events.is_empty();
    store.tickets.insert(id, t);
    if changed {
        store.touch(id, now);
    }
    let audit_id = store.next_id();
    let t = &store.tickets[&id];
    Ok(json!({
        "ticket": render::ticket(base_url, t, false),
        "audit": {
            "id": audit_id,
            "ticket_id": id,
            "author_id": AGENT_ID,
            "created_at": format_time(t.updated_at),
            "events": events,
        },
    }))
}

/// Applies a Tags API call; the reply body (`{"tags": [...]}`).
pub(crate) fn tags(
    store: &mut Store,
    id: u64,
    verb: TagVerb,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Value, ApiError> {
    let attrs = object(body)?;
    let current = store.live(id).ok_or(ApiError::NotFound)?.clone();
    safe_update(&current, &attrs)?;
    closed(&current)?;
    let list = tag_list(attrs.get("tags").unwrap_or(&Value::Null), "tags")?;
    let mut t = current.clone();
    apply_tags(&mut t.tags, verb, &list);
    let changed = t != current;
    store.tickets.insert(id, t);
    if changed {
        store.touch(id, now);
    }
    Ok(json!({"tags": store.tickets[&id].tags}))
}

fn strip_tags(html: &str) -> String {
    let (mut out, mut in_tag) = (String::new(), false);
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zendesk::config::SimConfig;
    use crate::zendesk::store::{FIELD_ID_BASE, GROUP_ID_BASE};

    fn store() -> (Store, u64) {
        let data = crate::generate::generate(&crate::generate::GenerateOptions::new(5, 1));
        let mut s = Store::new(&SimConfig::default().with_data(data), Utc::now()).unwrap();
        let id = *s.tickets.keys().next().unwrap();
        s.tickets.get_mut(&id).unwrap().status = "open".into();
        s.tickets.get_mut(&id).unwrap().tags = vec!["keep".into()];
        (s, id)
    }

    fn put(s: &mut Store, id: u64, v: Value) -> Result<Value, ApiError> {
        update_ticket(s, id, v.to_string().as_bytes(), Utc::now(), "http://h")
    }

    #[test]
    fn fields_tags_and_a_private_comment() {
        let (mut s, id) = store();
        let r = put(
            &mut s,
            id,
            json!({"ticket": {"priority": "urgent", "group_id": GROUP_ID_BASE + 4,
                "additional_tags": ["triaged"], "comment": {"body": "n", "public": false},
                "custom_fields": [{"id": FIELD_ID_BASE + 1, "value": "de"}], "nonsense": 1}}),
        )
        .unwrap();
        assert_eq!(r["ticket"]["priority"], "urgent");
        assert_eq!(r["ticket"]["tags"], json!(["keep", "triaged"]));
        assert_eq!(r["audit"]["events"][0]["public"], false);
        let comments = &s.comments[&id];
        assert!(!comments.last().unwrap().public);
        // A comment without `public` is public: the trap for internal notes.
        put(
            &mut s,
            id,
            json!({"ticket": {"comment": {"body": "hello"}}}),
        )
        .unwrap();
        assert!(s.comments[&id].last().unwrap().public);
    }

    #[test]
    fn refusals_write_nothing() {
        let (mut s, id) = store();
        let before = s.tickets[&id].clone();
        let e = put(
            &mut s,
            id,
            json!({"ticket": {"priority": "medium", "group_id": 1,
                "custom_fields": [{"id": FIELD_ID_BASE + 1, "value": "xx"}]}}),
        )
        .unwrap_err();
        let ApiError::Invalid(d) = e else {
            panic!("{e:?}")
        };
        assert_eq!(d.keys().collect::<Vec<_>>(), ["base", "group", "priority"]);
        assert_eq!(d["base"][0].field_key, Some(FIELD_ID_BASE + 1));
        assert_eq!(s.tickets[&id], before);
        let stale = json!({"ticket": {"priority": "high", "safe_update": true,
            "updated_stamp": "2001-01-01T00:00:00Z"}});
        assert_eq!(put(&mut s, id, stale).unwrap_err(), ApiError::Conflict);
        let fresh = json!({"ticket": {"priority": "high", "safe_update": true,
            "updated_stamp": format_time(before.updated_at)}});
        assert!(put(&mut s, id, fresh).is_ok());
        s.tickets.get_mut(&id).unwrap().status = "closed".into();
        assert!(matches!(
            put(&mut s, id, json!({"ticket": {"priority": "low"}})),
            Err(ApiError::Invalid(d)) if d.contains_key("status")
        ));
    }

    #[test]
    fn the_tags_api_keeps_others() {
        let (mut s, id) = store();
        let add = tags(
            &mut s,
            id,
            TagVerb::Add,
            br#"{"tags":["A","b"]}"#,
            Utc::now(),
        )
        .unwrap();
        assert_eq!(add["tags"], json!(["keep", "a", "b"]));
        let rm = tags(
            &mut s,
            id,
            TagVerb::Remove,
            br#"{"tags":["a"]}"#,
            Utc::now(),
        )
        .unwrap();
        assert_eq!(rm["tags"], json!(["keep", "b"]));
        let set = tags(&mut s, id, TagVerb::Set, br#"{"tags":["x"]}"#, Utc::now()).unwrap();
        assert_eq!(set["tags"], json!(["x"]));
        assert_eq!(
            tags(&mut s, 999_999, TagVerb::Add, br#"{"tags":[]}"#, Utc::now()).unwrap_err(),
            ApiError::NotFound
        );
    }
}
