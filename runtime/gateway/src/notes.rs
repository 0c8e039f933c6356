//! Internal notes stay internal: a write that would put customer-visible text on a ticket is
//! refused, on every call (triage never means to write to the customer). Pure functions.
//!
//! What is recognised, by the shape of the request (the gateway does not know which system a
//! connection speaks, so every rule applies to every connection; a system where one of these
//! shapes means something harmless would see that write refused, which is the safe side):
//!
//! | system | refused |
//! |---|---|
//! | Freshdesk | `private: false` anywhere in the body; `POST …/tickets/{id}/reply` |
//! | Zammad | `internal: false` anywhere; a `POST …/ticket_articles` body, or an `article` object, without `internal: true` (Zammad's default is public) |
//! | Redmine | `private_notes: false` anywhere; an `issue` with `notes` but without `private_notes: true` |
//! | OTOBO / Znuny | an `Article` with `IsVisibleForCustomer` set, or with `ArticleSend` (sends e-mail) |
//! | RT | `…/correspond` (REST2 correspondence reaches the requestors; a note is a comment) |
//!
//! Not recognised: a route of some system that posts public text in another shape (a
//! reply, e-mail or chat endpoint not listed here), or text that is public because of the
//! system's own configuration (an OTOBO channel or a Zammad trigger that mails internal
//! notes). Those are documented in README ("What is and is not protected").

use serde_json::Value;
use url::Url;

use crate::Method;

/// Why this request would be visible to the customer, if it would be.
pub fn customer_visible(method: Method, url: &Url, body: Option<&[u8]>) -> Option<String> {
    if matches!(method, Method::Get | Method::Head) {
        return None;
    }
    let segments: Vec<&str> = url
        .path_segments()
        .map(Iterator::collect)
        .unwrap_or_default();
    let last = segments.iter().rev().find(|s| !s.is_empty()).copied();
    if last == Some("correspond") {
        return Some(
            "RT correspondence reaches the requestors (an internal note is a comment)".into(),
        );
    }
    if last == Some("reply") && segments.contains(&"tickets") {
        return Some(
            "a Freshdesk reply reaches the requester (an internal note is a private note)".into(),
        );
    }
    let body: Value = serde_json::from_slice(body?).ok()?;
    if last == Some("ticket_articles") && !is_true(body.get("internal")) {
        return Some(
            "a Zammad article without \"internal\": true is visible to the customer".into(),
        );
    }
    find_public(&body)
}

fn find_public(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let marked_public = match key.as_str() {
                    "private" | "private_notes" | "internal" => is_false(v),
                    _ => false,
                };
                if marked_public {
                    return Some(format!(
                        "the body sets {key:?} to false: visible to the customer"
                    ));
                }
                if key == "article" && v.is_object() && !is_true(v.get("internal")) {
                    return Some(
                        "a Zammad article without \"internal\": true is visible to the customer"
                            .into(),
                    );
                }
                if key == "issue"
                    && v.get("notes")
                        .is_some_and(|n| n.as_str().is_some_and(|t| !t.is_empty()))
                    && !is_true(v.get("private_notes"))
                {
                    return Some("Redmine notes without \"private_notes\": true are public".into());
                }
                if key == "Article" {
                    for article in articles(v) {
                        if is_truthy(article.get("IsVisibleForCustomer")) {
                            return Some(
                                "an OTOBO article with IsVisibleForCustomer is visible to the customer"
                                    .into(),
                            );
                        }
                        if is_truthy(article.get("ArticleSend")) {
                            return Some("an OTOBO article with ArticleSend is e-mailed".into());
                        }
                    }
                }
                if let Some(why) = find_public(v) {
                    return Some(why);
                }
            }
            None
        }
        Value::Array(items) => items.iter().find_map(find_public),
        _ => None,
    }
}

fn articles(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

fn is_true(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
        || v.and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("true"))
}

fn is_false(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => matches!(s.to_ascii_lowercase().as_str(), "false" | "0" | "no"),
        _ => false,
    }
}

fn is_truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(v) => !is_false(v) && v.as_str() != Some(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visible(method: Method, u: &str, body: &str) -> Option<String> {
        customer_visible(
            method,
            &Url::parse(u).unwrap(),
            (!body.is_empty()).then_some(body.as_bytes()),
        )
    }

    #[test]
    fn public_forms_of_each_system_are_refused() {
        let cases = [
            (
                Method::Post,
                "https://fd/api/v2/tickets/1/notes",
                r#"{"body":"x","private":false}"#,
            ),
            (
                Method::Post,
                "https://fd/api/v2/tickets/1/reply",
                r#"{"body":"x"}"#,
            ),
            (
                Method::Post,
                "https://z/api/v1/ticket_articles",
                r#"{"ticket_id":1,"body":"x"}"#,
            ),
            (
                Method::Post,
                "https://z/api/v1/ticket_articles",
                r#"{"ticket_id":1,"internal":false}"#,
            ),
            (
                Method::Put,
                "https://z/api/v1/tickets/1",
                r#"{"article":{"body":"x"}}"#,
            ),
            (
                Method::Put,
                "https://r/issues/1.json",
                r#"{"issue":{"notes":"x"}}"#,
            ),
            (
                Method::Put,
                "https://r/issues/1.json",
                r#"{"issue":{"notes":"x","private_notes":false}}"#,
            ),
            (
                Method::Patch,
                "https://o/W/Ticket/1",
                r#"{"Article":{"Body":"x","IsVisibleForCustomer":1}}"#,
            ),
            (
                Method::Put,
                "https://o/W/ticket-update",
                r#"{"Article":[{"Body":"x","ArticleSend":"1"}]}"#,
            ),
            (
                Method::Post,
                "https://rt/REST/2.0/ticket/1/correspond",
                r#"{"Content":"x"}"#,
            ),
        ];
        for (method, u, body) in cases {
            assert!(visible(method, u, body).is_some(), "{u} {body}");
        }
    }

    #[test]
    fn internal_forms_pass() {
        let cases = [
            (
                Method::Post,
                "https://fd/api/v2/tickets/1/notes",
                r#"{"body":"x","private":true}"#,
            ),
            (
                Method::Post,
                "https://z/api/v1/ticket_articles",
                r#"{"ticket_id":1,"internal":true}"#,
            ),
            (
                Method::Put,
                "https://z/api/v1/tickets/1",
                r#"{"priority_id":2}"#,
            ),
            (
                Method::Put,
                "https://r/issues/1.json",
                r#"{"issue":{"notes":"x","private_notes":true}}"#,
            ),
            (
                Method::Put,
                "https://r/issues/1.json",
                r#"{"issue":{"priority_id":3}}"#,
            ),
            (
                Method::Patch,
                "https://o/W/Ticket/1",
                r#"{"Article":{"Body":"x","IsVisibleForCustomer":0,"CommunicationChannel":"Internal"}}"#,
            ),
            (
                Method::Post,
                "https://rt/REST/2.0/ticket/1/comment",
                r#"{"Content":"x"}"#,
            ),
            (Method::Get, "https://rt/REST/2.0/ticket/1/correspond", ""),
        ];
        for (method, u, body) in cases {
            assert_eq!(visible(method, u, body), None, "{u} {body}");
        }
    }
}
