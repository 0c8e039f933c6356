//! OTOBO's errors as the contract's. Operation errors arrive as HTTP **200** with
//! `{"Error":{"ErrorCode":"<Operation>.<Reason>","ErrorMessage":"…"}}`; the transport's own
//! failures as 500 with text. Pure code, unit-tested natively.
//!
//! Decisions:
//! - `<Op>.AccessDenied` on a call about one ticket is `not-found`: OTOBO answers it for a
//!   ticket that does not exist as well as for one the agent may not see, and tells them apart
//!   nowhere. Elsewhere it is `forbidden`.
//! - Znuny's messages name the parameter (`Ticket->Queue`), never the value; the field error
//!   names the contract's field (`queue`, `priority`, `custom_fields.<Name>`, `tags`, `note`)
//!   and the message adds the value the adapter sent.
//! - A 500 saying the transport could not "determine Operation" means the web service has no
//!   such route (usually the other `route_style`): `unsupported`, not worth retrying. A 404 means
//!   the URL is not a web service at all.

use serde_json::Value;
use triage_adapter_sdk::http::Reply;
use triage_adapter_sdk::{errors, AdapterError, FieldError};

/// What the adapter sent, to make OTOBO's terse messages useful.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The ticket the call is about.
    pub ticket: Option<String>,
    /// The queue name or id the update set.
    pub queue: Option<String>,
    /// The priority the update set.
    pub priority: Option<String>,
    /// The dynamic fields the update set.
    pub fields: Vec<String>,
    /// The dynamic field that holds the tags.
    pub tag_field: Option<String>,
}

/// An `Error` object of a 200 reply, if there is one.
pub fn error_object(body: &Value) -> Option<(String, String)> {
    let e = body.get("Error")?;
    if e.is_null() {
        return None;
    }
    let text = |k: &str| {
        e.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Some((text("ErrorCode"), text("ErrorMessage")))
}

fn field_of(message: &str, ctx: &Context) -> (String, String) {
    let quoted = |what: &str, v: &Option<String>| {
        v.as_ref()
            .map(|v| format!(" ({what} {v:?})"))
            .unwrap_or_default()
    };
    if message.contains("Ticket->Queue") {
        return ("queue".into(), quoted("queue", &ctx.queue));
    }
    if message.contains("Ticket->Priority") {
        return ("priority".into(), quoted("priority", &ctx.priority));
    }
    if message.contains("Ticket->State") {
        return ("status".into(), String::new());
    }
    if message.contains("DynamicField") {
        return match ctx.fields.as_slice() {
            [one] if ctx.tag_field.as_ref() == Some(one) => (
                "tags".into(),
                format!(" (tags are kept in dynamic field {one:?})"),
            ),
            [one] => (
                format!("custom_fields.{one}"),
                format!(" (dynamic field {one:?})"),
            ),
            _ => ("custom_fields".into(), String::new()),
        };
    }
    if message.contains("Article") {
        return ("note".into(), String::new());
    }
    if message.contains("TicketID") {
        return ("id".into(), String::new());
    }
    (String::new(), String::new())
}

/// An OTOBO `ErrorCode` + `ErrorMessage` as a typed error.
pub fn from_otobo(code: &str, message: &str, ctx: &Context) -> AdapterError {
    let reason = code.rsplit('.').next().unwrap_or(code);
    let full = format!("{code}: {message}");
    match reason {
        "AuthFail" => AdapterError::Auth(full),
        "AccessDenied" => match &ctx.ticket {
            Some(id) => AdapterError::NotFound(format!(
                "ticket {id} does not exist or this agent may not see it ({full})"
            )),
            None => AdapterError::Forbidden(full),
        },
        "NotValidTicketID" | "NotTicketData" => AdapterError::NotFound(match &ctx.ticket {
            Some(id) => format!("ticket {id}: {full}"),
            None => full,
        }),
        "MissingParameter" | "InvalidParameter" | "WrongStructure" | "EmptyRequest" => {
            let (field, detail) = field_of(message, ctx);
            AdapterError::Validation(vec![FieldError {
                field,
                code: reason.to_owned(),
                message: format!("{message}{detail}"),
            }])
        }
        _ if code.starts_with("Webservice.") => {
            AdapterError::Unsupported(format!("the web service is misconfigured: {full}"))
        }
        _ => AdapterError::Protocol(full),
    }
}

/// A reply that is not HTTP 200 (`route` names the request, for the hints).
pub fn from_status(reply: &Reply, route: &str) -> AdapterError {
    let body = errors::snippet(&reply.body);
    match reply.status {
        404 => AdapterError::Unsupported(format!(
            "HTTP 404 for {route}: the base URL must be the web service's, \
             …/nph-genericinterface.pl/Webservice/<Name>"
        )),
        500 if body.contains("determine Operation") => AdapterError::Unsupported(format!(
            "the web service has no route for {route} (OTOBO: {body}); \
             check the setting \"route_style\" (generic or otai)"
        )),
        500 if body.contains("web service") || body.contains("Webservice") => {
            AdapterError::Unsupported(format!("{route}: {body}"))
        }
        _ => errors::from_status(reply),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> Context {
        Context {
            ticket: Some("7".into()),
            queue: Some("No Such Queue".into()),
            fields: vec!["Language".into()],
            tag_field: Some("Tags".into()),
            ..Context::default()
        }
    }

    #[test]
    fn errors_in_200_replies() {
        let body = json!({"Error":{"ErrorCode":"TicketSearch.AuthFail","ErrorMessage":"TicketSearch: Authorization failing!"}});
        let (code, message) = error_object(&body).unwrap();
        assert!(
            matches!(from_otobo(&code, &message, &Context::default()), AdapterError::Auth(m) if m.contains("AuthFail"))
        );
        assert!(error_object(&json!({"TicketID": ["1"]})).is_none());
        assert!(error_object(&json!({})).is_none());
    }

    #[test]
    fn access_denied_about_a_ticket_is_not_found() {
        let m = "TicketGet: User does not have access to the ticket!";
        assert!(
            matches!(from_otobo("TicketGet.AccessDenied", m, &ctx()), AdapterError::NotFound(x) if x.contains("ticket 7"))
        );
        assert!(matches!(
            from_otobo("TicketSearch.AccessDenied", m, &Context::default()),
            AdapterError::Forbidden(_)
        ));
        assert!(matches!(
            from_otobo("TicketGet.NotValidTicketID", "x", &ctx()),
            AdapterError::NotFound(_)
        ));
    }

    #[test]
    fn parameter_errors_name_the_contract_field() {
        let field = |message: &str, ctx: &Context| match from_otobo(
            "TicketUpdate.InvalidParameter",
            message,
            ctx,
        ) {
            AdapterError::Validation(f) => (f[0].field.clone(), f[0].message.clone()),
            other => panic!("{other:?}"),
        };
        let (f, m) = field(
            "TicketUpdate: Ticket->QueueID or Ticket->Queue parameter is invalid!",
            &ctx(),
        );
        assert_eq!(f, "queue");
        assert!(m.contains("No Such Queue"), "{m}");
        let (f, _) = field(
            "TicketUpdate: DynamicField->Value parameter is invalid!",
            &ctx(),
        );
        assert_eq!(f, "custom_fields.Language");
        let tags = Context {
            fields: vec!["Tags".into()],
            ..ctx()
        };
        assert_eq!(
            field(
                "TicketUpdate: DynamicField->Value parameter is invalid!",
                &tags
            )
            .0,
            "tags"
        );
        assert_eq!(
            field("TicketUpdate: Article->Body parameter is missing!", &ctx()).0,
            "note"
        );
        assert_eq!(
            field(
                "TicketUpdate: Ticket->PriorityID or Ticket->Priority parameter is invalid!",
                &ctx()
            )
            .0,
            "priority"
        );
        assert!(matches!(
            from_otobo("Webservice.InvalidConfiguration", "x", &ctx()),
            AdapterError::Unsupported(_)
        ));
        assert!(matches!(
            from_otobo("TicketGet.Weird", "x", &ctx()),
            AdapterError::Protocol(_)
        ));
    }

    #[test]
    fn transport_statuses() {
        let reply = |status: u16, body: &str| Reply {
            status,
            headers: vec![("retry-after".into(), "7".into())],
            body: body.as_bytes().to_vec(),
        };
        let route = "POST /ticket-search";
        assert!(matches!(
            from_status(&reply(500, "HTTP::REST Error while determine Operation for request URI '/x'."), route),
            AdapterError::Unsupported(m) if m.contains("route_style")
        ));
        assert!(matches!(
            from_status(&reply(500, "Internal Server Error"), route),
            AdapterError::Transient(_)
        ));
        assert!(matches!(
            from_status(&reply(503, "<html>"), route),
            AdapterError::Transient(_)
        ));
        assert!(matches!(
            from_status(&reply(429, ""), route),
            AdapterError::RateLimited(Some(7000))
        ));
        assert!(matches!(
            from_status(&reply(404, ""), route),
            AdapterError::Unsupported(_)
        ));
    }
}
