//! Zammad JSON ⇄ the contract's ticket model, and Zammad's error texts → field errors. Pure
//! code (no host calls), so it is unit-tested natively.

use serde_json::Value;
use triage_adapter_sdk::{
    entity, ticket, AdapterError, CustomField, EntityRef, FieldError, PriorityLevel,
    StatusCategory, Ticket,
};

/// Keys of an expanded ticket that are Zammad's own; every other top-level key is a custom
/// object attribute (Zammad renders those next to the built-in ones).
pub const BUILTIN_KEYS: &[&str] = &[
    "id",
    "group_id",
    "priority_id",
    "state_id",
    "organization_id",
    "number",
    "title",
    "owner_id",
    "customer_id",
    "note",
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
    "last_contact_at",
    "last_contact_agent_at",
    "last_contact_customer_at",
    "last_owner_update_at",
    "create_article_type_id",
    "create_article_sender_id",
    "article_count",
    "escalation_at",
    "pending_time",
    "type",
    "time_unit",
    "preferences",
    "updated_by_id",
    "created_by_id",
    "created_at",
    "updated_at",
    "checklist_id",
    "referencing_checklist_ids",
    "article_ids",
    "ticket_time_accounting_ids",
    "ticket_time_accounting",
    "mention_ids",
    "shared_draft_ids",
    "group",
    "organization",
    "state",
    "priority",
    "owner",
    "customer",
    "created_by",
    "updated_by",
    "create_article_type",
    "create_article_sender",
    "checklist",
    "tags",
];

/// The system user: `owner_id` 1 means "unassigned".
const NOBODY: u64 = 1;

/// The canonical level of a priority name (`1 low`, `2 normal`, `3 high`, and the usual
/// words of custom ones); `None` when the name says nothing recognisable.
pub fn priority_level(name: &str) -> Option<PriorityLevel> {
    let n = name.to_ascii_lowercase();
    let has = |w: &str| n.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    if has("urgent") || has("critical") || has("emergency") || n.contains("very high") {
        Some(PriorityLevel::Urgent)
    } else if has("high") {
        Some(PriorityLevel::High)
    } else if has("normal") || has("medium") {
        Some(PriorityLevel::Medium)
    } else if has("low") {
        Some(PriorityLevel::Low)
    } else {
        None
    }
}

/// The category of a state name: Zammad has no "resolved"; merged and removed are `other`.
pub fn status_category(name: &str) -> StatusCategory {
    let n = name.to_ascii_lowercase();
    match n.as_str() {
        "new" => StatusCategory::New,
        "open" => StatusCategory::Open,
        "closed" => StatusCategory::Closed,
        _ if n.starts_with("pending") => StatusCategory::Pending,
        _ => StatusCategory::Other,
    }
}

/// The default state names of each category, for search filters.
pub fn state_names(category: StatusCategory) -> &'static [&'static str] {
    match category {
        StatusCategory::New => &["new"],
        StatusCategory::Open => &["open"],
        StatusCategory::Pending => &["pending reminder", "pending close"],
        StatusCategory::Closed => &["closed"],
        StatusCategory::Other => &["merged", "removed"],
        StatusCategory::Resolved => &[],
    }
}

/// Text from HTML: tags dropped, block ends as line breaks, common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut tag = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let t = tag.trim_start_matches('/').to_ascii_lowercase();
                let block = ["br", "p", "div", "li", "tr", "h"]
                    .iter()
                    .any(|b| t.starts_with(b));
                if block && !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ if in_tag => tag.push(c),
            _ => out.push(c),
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn id_of(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// A timestamp as RFC 3339 UTC; Zammad's `…T14:44:43.828Z` already is, milliseconds kept
/// (they make `version` exact).
fn time(v: &Value, key: &str) -> Option<String> {
    let t = v.get(key)?.as_str()?;
    Some(match triage_adapter_sdk::time::parse_timestamp(t, 0) {
        Some(_) if t.ends_with('Z') => t.to_owned(),
        Some(secs) => triage_adapter_sdk::time::format_timestamp(secs),
        None => t.to_owned(),
    })
}

/// `{"tags": [...]}` → the tags.
pub fn tags_of(v: &Value) -> Vec<String> {
    v.get("tags")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The id of a ticket's first article (the customer's message), from `article_ids`.
pub fn first_article_id(v: &Value) -> Option<u64> {
    v.get("article_ids")?
        .as_array()?
        .iter()
        .filter_map(Value::as_u64)
        .min()
}

/// An expanded ticket, its first article (if any) and its tags, as a contract ticket.
pub fn ticket_from(
    v: &Value,
    article: Option<&Value>,
    tags: Vec<String>,
) -> Result<Ticket, AdapterError> {
    let id = id_of(v, "id")
        .ok_or_else(|| AdapterError::Protocol(format!("ticket without a numeric id: {v}")))?;
    let named =
        |id_key: &str, name_key: &str| id_of(v, id_key).map(|i| entity(i, text(v, name_key)));
    let priority_name = text(v, "priority");
    let state_name = text(v, "state");
    let (body_text, body_html) = match article {
        Some(a) => {
            let body = text(a, "body").unwrap_or_default();
            let html = text(a, "content_type").is_some_and(|c| c.eq_ignore_ascii_case("text/html"));
            if html {
                (Some(html_to_text(&body)), Some(body))
            } else {
                (Some(body), None)
            }
        }
        None => (None, None),
    };
    let custom_fields = v
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !BUILTIN_KEYS.contains(&k.as_str()))
                .map(|(name, value)| CustomField {
                    name: name.clone(),
                    value: value.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let updated_at = time(v, "updated_at");
    Ok(Ticket {
        number: text(v, "number"),
        body_text,
        body_html,
        queue: named("group_id", "group"),
        priority: named("priority_id", "priority"),
        priority_level: priority_name.as_deref().and_then(priority_level),
        status: named("state_id", "state"),
        status_category: state_name.as_deref().map(status_category),
        ticket_type: text(v, "type").map(|t| EntityRef {
            id: None,
            name: Some(t),
        }),
        tags,
        custom_fields,
        assignee: named("owner_id", "owner").filter(|_| id_of(v, "owner_id") != Some(NOBODY)),
        requester: named("customer_id", "customer"),
        created_at: time(v, "created_at"),
        version: updated_at.clone(),
        updated_at,
        raw: Some(v.to_string()),
        ..ticket(id.to_string(), text(v, "title").unwrap_or_default())
    })
}

/// `String#humanize`, as Zammad's validation messages name attributes.
pub fn humanize(name: &str) -> String {
    let s = name.strip_suffix("_id").unwrap_or(name).replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The contract's name for a field Zammad names (`group` is the queue).
fn contract_field(wire: &str) -> String {
    match wire.strip_suffix("_id").unwrap_or(wire) {
        "group" => "queue".into(),
        "state" => "status".into(),
        "owner" => "assignee".into(),
        "customer" => "requester".into(),
        other => other.to_owned(),
    }
}

fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.split_once(prefix)?.1;
    rest.split('\'').next()
}

/// A 422 body `{"error","error_human"}` as field errors. `sent` are the keys the request
/// carried: a message that names none of them is laid on the only one, if there was one
/// (Zammad hides some texts from non-admins behind `Error ID …`).
pub fn validation_errors(body: &[u8], sent: &[String]) -> Vec<FieldError> {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let message = text(&v, "error_human")
        .or_else(|| text(&v, "error"))
        .unwrap_or_else(|| String::from_utf8_lossy(body).trim().to_owned());
    let error = |field: String, code: &str| FieldError {
        field,
        code: code.into(),
        message: message.clone(),
    };
    if let Some(f) = quoted_after(&message, "No lookup value found for '") {
        return vec![error(contract_field(f), "not_found")];
    }
    if let Some(f) = quoted_after(&message, "Invalid value for param '") {
        return vec![error(contract_field(f), "invalid_value")];
    }
    let named = sent
        .iter()
        .filter(|k| {
            let h = humanize(k);
            message.starts_with(&format!("{h} ")) || message.starts_with(&format!("{h}:"))
        })
        .max_by_key(|k| k.len());
    match (named, sent) {
        (Some(k), _) => vec![error(contract_field(k), "invalid_value")],
        (None, [only]) => vec![error(contract_field(only), "invalid")],
        _ => vec![error(String::new(), "invalid")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expanded() -> Value {
        json!({"id": 42, "number": "31042", "title": "Rechnung doppelt", "group_id": 6,
            "group": "Billing and Payments", "priority_id": 3, "priority": "3 high",
            "state_id": 3, "state": "pending reminder", "owner_id": 1, "owner": "-",
            "customer_id": 101, "customer": "kunde@example.de", "type": null,
            "triage_confidence": 87, "language": "de", "article_ids": [9, 7],
            "created_at": "2021-02-24T14:44:43.828Z", "updated_at": "2021-07-26T14:44:43.906Z"})
    }

    #[test]
    fn maps_an_expanded_ticket() {
        let article = json!({"body": "<div>Hallo&nbsp;<b>Team</b></div><div>a &amp; b</div>", "content_type": "text/html"});
        let t = ticket_from(&expanded(), Some(&article), vec!["vip".into()]).unwrap();
        assert_eq!((t.id.as_str(), t.number.as_deref()), ("42", Some("31042")));
        assert_eq!(t.subject, "Rechnung doppelt");
        assert_eq!(t.body_text.as_deref(), Some("Hallo Team\na & b"));
        assert!(t.body_html.unwrap().starts_with("<div>"));
        let q = t.queue.unwrap();
        assert_eq!(
            (q.id.as_deref(), q.name.as_deref()),
            (Some("6"), Some("Billing and Payments"))
        );
        assert_eq!(t.priority.unwrap().name.as_deref(), Some("3 high"));
        assert_eq!(t.priority_level, Some(PriorityLevel::High));
        assert_eq!(t.status_category, Some(StatusCategory::Pending));
        assert!(t.assignee.is_none(), "owner 1 is nobody");
        assert_eq!(
            t.requester.unwrap().name.as_deref(),
            Some("kunde@example.de")
        );
        assert_eq!(t.tags, ["vip"]);
        let cf: Vec<(&str, &str)> = t
            .custom_fields
            .iter()
            .map(|c| (c.name.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(cf, [("language", "\"de\""), ("triage_confidence", "87")]);
        assert_eq!(t.version.as_deref(), Some("2021-07-26T14:44:43.906Z"));
        assert_eq!(first_article_id(&expanded()), Some(7));
        let plain = json!({"body": "a < b", "content_type": "text/plain"});
        let t = ticket_from(&expanded(), Some(&plain), vec![]).unwrap();
        assert_eq!((t.body_text.as_deref(), t.body_html), (Some("a < b"), None));
    }

    #[test]
    fn levels_and_categories() {
        assert_eq!(priority_level("1 low"), Some(PriorityLevel::Low));
        assert_eq!(priority_level("2 normal"), Some(PriorityLevel::Medium));
        assert_eq!(priority_level("4 very high"), Some(PriorityLevel::Urgent));
        assert_eq!(priority_level("P1"), None);
        assert_eq!(status_category("pending close"), StatusCategory::Pending);
        assert_eq!(status_category("merged"), StatusCategory::Other);
        assert!(state_names(StatusCategory::Resolved).is_empty());
    }

    #[test]
    fn errors_name_the_field() {
        let sent = |k: &[&str]| k.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let e = validation_errors(
            br#"{"error":"No lookup value found for 'group': \"Nope\"","error_human":"No lookup value found for 'group': \"Nope\""}"#,
            &sent(&["group"]),
        );
        assert_eq!(
            (e[0].field.as_str(), e[0].code.as_str()),
            ("queue", "not_found")
        );
        assert!(e[0].message.contains("Nope"));
        let e = validation_errors(
            br#"{"error":"Triage confidence is larger than the allowed maximum value of 100","error_human":"Triage confidence is larger than the allowed maximum value of 100"}"#,
            &sent(&["priority", "triage_confidence"]),
        );
        assert_eq!(e[0].field, "triage_confidence");
        let e = validation_errors(
            br#"{"error":"Error ID abc: Please contact your administrator."}"#,
            &sent(&["group_id"]),
        );
        assert_eq!(e[0].field, "queue");
        let e = validation_errors(br#"{"error":"Error ID abc"}"#, &sent(&["a", "b"]));
        assert_eq!(e[0].field, "");
        assert_eq!(humanize("order_number"), "Order number");
    }
}
