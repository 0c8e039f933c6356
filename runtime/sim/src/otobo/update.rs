//! `TicketUpdate`: ticket attributes, dynamic fields and new articles in one call, checked in
//! Znuny's order (`TicketUpdate.pm`) and refused as a whole on the first problem, so nothing is
//! half-applied. Messages are Znuny's: they name the parameter (`Ticket->Queue`), never the
//! offending value.
//!
//! Article defaults come from the web service's config as on a fresh install:
//! `CommunicationChannel` Internal, `SenderType` agent and — the trap — `IsVisibleForCustomer`
//! **1**: an adapter must send `0` for an internal note.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::model::{Article, FieldKind, STATES};
use super::render::{self, Settings, error};
use super::request::text;
use super::session::authenticate;
use super::store::Store;

fn fail(reason: &str, message: &str) -> Value {
    error(
        &format!("TicketUpdate.{reason}"),
        &format!("TicketUpdate: {message}"),
    )
}

/// Runs the operation; `include_ticket_data` is the web service's `IncludeTicketData`.
pub fn run(
    store: &mut Store,
    s: &Settings,
    data: &Map<String, Value>,
    include_ticket_data: bool,
    now: DateTime<Utc>,
) -> (Value, bool) {
    if data.is_empty() {
        return (fail("EmptyRequest", "The request data is invalid!"), false);
    }
    if text(data, "TicketID").is_none() && text(data, "TicketNumber").is_none() {
        return (
            fail("MissingParameter", "TicketID or TicketNumber is required!"),
            false,
        );
    }
    if ["UserLogin", "CustomerUserLogin", "SessionID"]
        .iter()
        .all(|k| text(data, k).is_none())
    {
        return (
            fail(
                "MissingParameter",
                "UserLogin, CustomerUserLogin or SessionID is required!",
            ),
            false,
        );
    }
    if text(data, "SessionID").is_none() && text(data, "Password").is_none() {
        return (
            fail("MissingParameter", "Password or SessionID is required!"),
            false,
        );
    }
    if authenticate(store, s, data).is_none() {
        return (fail("AuthFail", "User could not be authenticated!"), false);
    }
    let id = match text(data, "TicketNumber") {
        Some(n) => store.tickets.values().find(|t| t.number == n).map(|t| t.id),
        None => text(data, "TicketID").and_then(|i| i.parse::<u64>().ok()),
    };
    let Some(id) = id.filter(|id| store.tickets.contains_key(id)) else {
        return (
            fail("AccessDenied", "User does not have access to the ticket!"),
            true,
        );
    };
    match check_and_apply(store, s, data, id, now) {
        Err(e) => (e, true),
        Ok(article_id) => {
            let mut reply = json!({
                "TicketID": s.id(id),
                "TicketNumber": store.tickets[&id].number,
            });
            if let Some(a) = article_id {
                reply["ArticleID"] = s.id(a);
            }
            if include_ticket_data {
                let t = &store.tickets[&id];
                reply["Ticket"] = json!([render::ticket(store, s, t, true, None, now)]);
            }
            (reply, true)
        }
    }
}

/// What the request asks to change, checked.
struct Change {
    queue: Option<u64>,
    priority: Option<u64>,
    state: Option<u64>,
    title: Option<String>,
    fields: Vec<(String, Value)>,
    articles: Vec<Article>,
}

fn check_and_apply(
    store: &mut Store,
    s: &Settings,
    data: &Map<String, Value>,
    id: u64,
    now: DateTime<Utc>,
) -> Result<Option<u64>, Value> {
    let change = check(store, s, data, id, now)?;
    let t = store.tickets.get_mut(&id).expect("checked above");
    let mut changed = false;
    for (slot, new) in [
        (&mut t.queue_id, change.queue),
        (&mut t.priority_id, change.priority),
        (&mut t.state_id, change.state),
    ] {
        if let Some(v) = new.filter(|v| *v != *slot) {
            *slot = v;
            changed = true;
        }
    }
    if let Some(title) = change.title.filter(|x| *x != t.title) {
        t.title = title;
        changed = true;
    }
    for (name, value) in change.fields {
        let empty = value.is_null()
            || value.as_str() == Some("")
            || value.as_array().is_some_and(Vec::is_empty);
        if empty {
            changed |= t.dynamic_fields.remove(&name).is_some();
        } else if t.dynamic_fields.get(&name) != Some(&value) {
            t.dynamic_fields.insert(name, value);
            changed = true;
        }
    }
    let mut article_id = None;
    for a in change.articles {
        article_id = Some(store.add_article(a));
        changed = true;
    }
    if changed {
        store.touch(id, now);
    }
    Ok(article_id)
}

fn check(
    store: &Store,
    s: &Settings,
    data: &Map<String, Value>,
    id: u64,
    now: DateTime<Utc>,
) -> Result<Change, Value> {
    let mut change = Change {
        queue: None,
        priority: None,
        state: None,
        title: None,
        fields: Vec::new(),
        articles: Vec::new(),
    };
    match data.get("Ticket") {
        None | Some(Value::Null) => {}
        Some(Value::Object(t)) if !t.is_empty() => check_ticket(store, t, &mut change)?,
        Some(_) => return Err(fail("InvalidParameter", "Ticket parameter is not valid!")),
    }
    for key in ["DynamicField", "Attachment"] {
        match data.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Object(o)) if !o.is_empty() => {}
            Some(Value::Array(a)) if !a.is_empty() => {}
            Some(_) => {
                return Err(fail(
                    "MissingParameter",
                    &format!("{key} parameter is missing or not valid!"),
                ));
            }
        }
    }
    let articles: Vec<&Map<String, Value>> = match data.get("Article") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(a)) if !a.is_empty() => vec![a],
        Some(Value::Array(list)) if !list.is_empty() => {
            list.iter().filter_map(Value::as_object).collect()
        }
        Some(_) => return Err(fail("InvalidParameter", "Article parameter is not valid!")),
    };
    for a in articles {
        change.articles.push(check_article(s, a, id, now)?);
    }
    let fields: Vec<&Value> = match data.get("DynamicField") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    for f in fields {
        change.fields.push(check_field(store, f)?);
    }
    if data.get("Attachment").is_some_and(|a| !a.is_null()) && change.articles.is_empty() {
        return Err(fail(
            "MissingParameter",
            "To create an attachment an article is needed!",
        ));
    }
    Ok(change)
}

fn check_ticket(store: &Store, t: &Map<String, Value>, change: &mut Change) -> Result<(), Value> {
    let invalid = |what: &str| {
        fail(
            "InvalidParameter",
            &format!("Ticket->{what}ID or Ticket->{what} parameter is invalid!"),
        )
    };
    let by = |id_key: &str, name_key: &str| (text(t, id_key), text(t, name_key));
    match by("QueueID", "Queue") {
        (Some(id), _) => {
            let q = id.parse().ok().and_then(|id| store.queue(id));
            change.queue = Some(q.ok_or_else(|| invalid("Queue"))?.id);
        }
        (None, Some(name)) => {
            change.queue = Some(
                store
                    .queue_by_name(&name)
                    .ok_or_else(|| invalid("Queue"))?
                    .id,
            );
        }
        (None, None) => {}
    }
    match by("StateID", "State") {
        (Some(id), _) => {
            let ok = id
                .parse::<u64>()
                .ok()
                .filter(|id| store.state(*id).is_some());
            change.state = Some(ok.ok_or_else(|| invalid("State"))?);
        }
        (None, Some(name)) => {
            let found = STATES.iter().find(|(_, n, _)| *n == name).map(|x| x.0);
            change.state = Some(found.ok_or_else(|| invalid("State"))?);
        }
        (None, None) => {}
    }
    match by("PriorityID", "Priority") {
        (Some(id), _) => {
            let p = id.parse().ok().and_then(|id| store.priority(id));
            change.priority = Some(p.ok_or_else(|| invalid("Priority"))?.id);
        }
        (None, Some(name)) => {
            let p = store.priorities.iter().find(|p| p.name == name);
            change.priority = Some(p.ok_or_else(|| invalid("Priority"))?.id);
        }
        (None, None) => {}
    }
    change.title = text(t, "Title").map(|s| s.trim().to_owned());
    Ok(())
}

fn check_article(
    s: &Settings,
    a: &Map<String, Value>,
    ticket_id: u64,
    now: DateTime<Utc>,
) -> Result<Article, Value> {
    for needed in ["Subject", "Body"] {
        if text(a, needed).is_none_or(|v| v.trim().is_empty()) {
            return Err(fail(
                "MissingParameter",
                &format!("Article->{needed} parameter is missing!"),
            ));
        }
    }
    let channel = text(a, "CommunicationChannel").unwrap_or_else(|| "Internal".into());
    if !["Email", "Phone", "Internal", "Chat"].contains(&channel.as_str()) {
        return Err(fail(
            "InvalidParameter",
            "Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!",
        ));
    }
    let sender = text(a, "SenderType").unwrap_or_else(|| "agent".into());
    if !["agent", "system", "customer"].contains(&sender.as_str()) {
        return Err(fail(
            "InvalidParameter",
            "Article->SenderTypeID or Ticket->SenderType parameter is invalid!",
        ));
    }
    let content_type = match (
        text(a, "ContentType"),
        text(a, "MimeType"),
        text(a, "Charset"),
    ) {
        (Some(ct), _, _) => {
            let ct = ct.to_lowercase();
            let mime = ct.split(';').next().unwrap_or_default().trim().to_owned();
            if !matches!(mime.as_str(), "text/plain" | "text/html") || !ct.contains("charset=") {
                return Err(fail("InvalidParameter", "Article->ContentType is invalid!"));
            }
            ct
        }
        (None, Some(mime), Some(charset)) => format!(
            "{}; charset={}",
            mime.to_lowercase(),
            charset.to_lowercase()
        ),
        (None, None, None) => {
            return Err(fail(
                "MissingParameter",
                "Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!",
            ));
        }
        (None, Some(_), None) => {
            return Err(fail("MissingParameter", "Article->Charset is required!"));
        }
        (None, None, Some(_)) => {
            return Err(fail("MissingParameter", "Article->MimeType is required!"));
        }
    };
    let visible = match a.get("IsVisibleForCustomer") {
        None | Some(Value::Null) => true,
        Some(v) => {
            !matches!(v, Value::Bool(false))
                && v.as_str().is_none_or(|s| s != "0" && !s.is_empty())
                && v.as_i64().is_none_or(|n| n != 0)
        }
    };
    Ok(Article {
        id: 0,
        ticket_id,
        from: text(a, "From").unwrap_or_else(|| {
            s.agents
                .first()
                .map_or_else(|| "agent".into(), |(l, _)| format!("{l}@otobo.example"))
        }),
        to: text(a, "To").unwrap_or_default(),
        subject: text(a, "Subject").unwrap_or_default(),
        body: text(a, "Body").unwrap_or_default(),
        content_type,
        sender_type: sender,
        channel,
        visible_for_customer: visible,
        created: now,
    })
}

fn check_field(store: &Store, f: &Value) -> Result<(String, Value), Value> {
    let Some(f) = f.as_object().filter(|o| !o.is_empty()) else {
        return Err(fail(
            "InvalidParameter",
            "Ticket->DynamicField parameter is invalid!",
        ));
    };
    let name = f
        .get("Name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    let value = f.get("Value").filter(|v| v.is_string() || v.is_array());
    let (Some(name), Some(value)) = (name, value) else {
        let missing = if name.is_none() { "Name" } else { "Value" };
        return Err(fail(
            "MissingParameter",
            &format!("DynamicField->{missing} parameter is missing!"),
        ));
    };
    let Some(field) = store.dynamic_field(name) else {
        return Err(fail(
            "InvalidParameter",
            "DynamicField->Name parameter is invalid!",
        ));
    };
    let texts: Option<Vec<&str>> = match value {
        Value::Array(a) => a.iter().map(Value::as_str).collect(),
        Value::String(s) => Some(vec![s.as_str()]),
        _ => None,
    };
    let ok = texts.as_ref().is_some_and(|values| match &field.kind {
        FieldKind::Text => !value.is_array(),
        FieldKind::Checkbox => !value.is_array() && matches!(values[0], "0" | "1" | ""),
        FieldKind::Dropdown(choices) => {
            !value.is_array() && (values[0].is_empty() || choices.iter().any(|c| c == values[0]))
        }
        FieldKind::Multiselect(choices) => values
            .iter()
            .all(|v| v.is_empty() || choices.iter().any(|c| c == v)),
    });
    if !ok {
        return Err(fail(
            "InvalidParameter",
            "DynamicField->Value parameter is invalid!",
        ));
    }
    let stored = match (&field.kind, value) {
        (FieldKind::Multiselect(_), Value::String(s)) => json!([s]),
        _ => value.clone(),
    };
    Ok((name.to_owned(), stored))
}
