//! The three operations over the host's HTTP door, in either route style. The credentials
//! (`UserLogin`/`Password` or `SessionID`) are added by the host — into the JSON body, or the
//! query of a GET — so nothing here sees or sends them.
//!
//! | operation | `generic` | `otai` |
//! |---|---|---|
//! | TicketSearch | `GET /Ticket?…` (arrays as repeated parameters) | `POST /ticket-search` |
//! | TicketGet | `GET /Ticket/1,2,3?…` | `POST /ticket-get {"TicketID":[…]}` |
//! | TicketUpdate | `PATCH /Ticket/1` | `PUT /ticket-update {"TicketID":…}` |

use serde_json::{json, Map, Value};
use triage_adapter_sdk::http::{self, Method, Request};
use triage_adapter_sdk::{AdapterError, AdapterResult};

use crate::errors::{self, Context};
use crate::settings::{Settings, Style};

/// A call that failed: at the transport, or with OTOBO's `Error` object (mapped by the caller,
/// who knows what the call was about).
#[derive(Debug)]
pub enum Failure {
    Adapter(AdapterError),
    Otobo { code: String, message: String },
}

impl Failure {
    /// The contract's error, given what the call was about.
    pub fn into_error(self, ctx: &Context) -> AdapterError {
        match self {
            Self::Adapter(e) => e,
            Self::Otobo { code, message } => errors::from_otobo(&code, &message, ctx),
        }
    }

    /// Whether OTOBO says the ticket(s) cannot be read (gone, or never visible).
    pub fn is_unreadable_ticket(&self) -> bool {
        matches!(self, Self::Otobo { code, .. }
            if ["AccessDenied", "NotValidTicketID", "NotTicketData"]
                .iter()
                .any(|r| code.ends_with(r)))
    }
}

impl From<AdapterError> for Failure {
    fn from(e: AdapterError) -> Self {
        Self::Adapter(e)
    }
}

/// Parameters as a query string: arrays repeat the key (OTOBO reads them back as arrays).
pub fn query_string(params: &Map<String, Value>) -> AdapterResult<String> {
    let mut pairs = Vec::new();
    let mut push = |k: &str, v: &Value| -> AdapterResult<()> {
        let text = match v {
            Value::Null => return Ok(()),
            Value::String(s) => s.clone(),
            Value::Bool(b) => u8::from(*b).to_string(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(AdapterError::Unsupported(format!(
                    "search parameter {k:?} is nested; the generic route style sends searches as \
                     query parameters, which cannot nest: use route_style \"otai\""
                )));
            }
        };
        pairs.push(format!("{}={}", http::encode(k), http::encode(&text)));
        Ok(())
    };
    for (k, v) in params {
        match v {
            Value::Array(items) => {
                for item in items {
                    push(k, item)?;
                }
            }
            other => push(k, other)?,
        }
    }
    Ok(pairs.join("&"))
}

fn call(
    s: &Settings,
    method: Method,
    route: &str,
    params: Map<String, Value>,
) -> Result<Value, Failure> {
    let label = format!("{method:?} {route}").to_uppercase();
    let request = if method == Method::Get {
        let query = query_string(&params)?;
        let sep = if query.is_empty() { "" } else { "?" };
        Request::new(method, format!("{}{sep}{query}", s.url(route)))
    } else {
        Request::new(method, s.url(route)).json(&Value::Object(params))
    };
    let reply = request.send()?;
    if reply.status != 200 {
        return Err(errors::from_status(&reply, &label).into());
    }
    let body: Value = reply.json()?;
    if let Some((code, message)) = errors::error_object(&body) {
        return Err(Failure::Otobo { code, message });
    }
    if !body.is_object() {
        return Err(
            AdapterError::Protocol(format!("{label} answered {body}, not an object")).into(),
        );
    }
    Ok(body)
}

/// A JSON id (string or number) as text.
pub fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `TicketSearch`: matching ids in OTOBO's order (`{}` when none match).
pub fn search(s: &Settings, params: Map<String, Value>) -> Result<Vec<String>, Failure> {
    let body = match s.style {
        Style::Generic => call(s, Method::Get, "/Ticket", params)?,
        Style::Otai => call(s, Method::Post, "/ticket-search", params)?,
    };
    match body.get("TicketID") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(ids)) => ids
            .iter()
            .map(|v| {
                id_text(v).ok_or_else(|| {
                    AdapterError::Protocol(format!("TicketSearch returned the id {v}")).into()
                })
            })
            .collect(),
        // One id may come as a scalar.
        Some(v) => Ok(id_text(v).into_iter().collect()),
    }
}

/// `TicketGet` for several ids, with dynamic fields and the first article.
pub fn get(s: &Settings, ids: &[String]) -> Result<Vec<Value>, Failure> {
    let mut params = Map::new();
    params.insert("DynamicFields".into(), json!(1));
    params.insert("AllArticles".into(), json!(1));
    params.insert("ArticleLimit".into(), json!(1));
    let body = match s.style {
        Style::Generic => {
            let route = format!(
                "/Ticket/{}",
                http::encode(&ids.join(",")).replace("%2C", ",")
            );
            call(s, Method::Get, &route, params)?
        }
        Style::Otai => {
            params.insert("TicketID".into(), json!(ids));
            call(s, Method::Post, "/ticket-get", params)?
        }
    };
    match body.get("Ticket") {
        Some(Value::Array(tickets)) => Ok(tickets.clone()),
        Some(one @ Value::Object(_)) => Ok(vec![one.clone()]),
        _ => Err(
            AdapterError::Protocol(format!("TicketGet answered without tickets: {body}")).into(),
        ),
    }
}

/// `TicketUpdate` of one ticket; the reply (`TicketID`, `ArticleID`, …).
pub fn update(s: &Settings, id: &str, mut body: Map<String, Value>) -> Result<Value, Failure> {
    body.insert("TicketID".into(), Value::String(id.to_owned()));
    match s.style {
        Style::Generic => call(s, Method::Patch, &format!("/Ticket/{id}"), body),
        Style::Otai => call(s, Method::Put, "/ticket-update", body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_repeat_arrays_and_refuse_nesting() {
        let params = json!({"Queues": ["Raw", "Billing and Payments"], "Limit": 500,
            "TicketCreateTimeNewerDate": "2026-03-01 12:00:00", "Flag": true, "Skip": null});
        let q = query_string(params.as_object().unwrap()).unwrap();
        assert_eq!(
            q,
            "Flag=1&Limit=500&Queues=Raw&Queues=Billing%20and%20Payments&TicketCreateTimeNewerDate=2026-03-01%2012%3A00%3A00"
        );
        let nested = json!({"DynamicField_Language": {"Equals": "de"}});
        assert!(matches!(
            query_string(nested.as_object().unwrap()),
            Err(AdapterError::Unsupported(m)) if m.contains("otai")
        ));
    }

    #[test]
    fn ids_as_strings_or_numbers() {
        assert_eq!(id_text(&json!("42")).as_deref(), Some("42"));
        assert_eq!(id_text(&json!(42)).as_deref(), Some("42"));
        assert_eq!(id_text(&json!(null)), None);
    }
}
