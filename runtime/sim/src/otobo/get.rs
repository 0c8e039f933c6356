//! `TicketGet`: one or more tickets by id (a comma list or an array), optionally with dynamic
//! fields and articles. Like Znuny's `TicketGet.pm`: every id is checked before any is read, and
//! one the agent cannot see — including one that does not exist — fails the whole call with
//! `TicketGet.AccessDenied`.

use chrono::Utc;
use serde_json::{Map, Value, json};

use super::render::{self, ArticleSelection, Settings, error};
use super::request::{flag, text};
use super::session::authenticate;
use super::store::Store;

pub fn run(store: &Store, s: &Settings, data: &Map<String, Value>) -> (Value, bool) {
    if authenticate(store, s, data).is_none() {
        return (
            error("TicketGet.AuthFail", "TicketGet: Authorization failing!"),
            false,
        );
    }
    (get(store, s, data), true)
}

fn get(store: &Store, s: &Settings, data: &Map<String, Value>) -> Value {
    let raw: Vec<String> = match data.get("TicketID") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(ids)) => ids.split(',').map(|i| i.trim().to_owned()).collect(),
        Some(Value::Number(n)) => vec![n.to_string()],
        Some(Value::Array(ids)) => ids
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        Some(_) => {
            return error(
                "TicketGet.WrongStructure",
                "TicketGet: Structure for TicketID is not correct!",
            );
        }
    };
    if raw.iter().all(|r| r.is_empty()) {
        return error(
            "TicketGet.MissingParameter",
            "TicketGet: TicketID parameter is missing!",
        );
    }
    let is_id =
        |r: &str| !r.is_empty() && !r.starts_with('0') && r.bytes().all(|b| b.is_ascii_digit());
    if !raw.iter().all(|r| is_id(r)) {
        return error(
            "TicketGet.WrongStructure",
            "TicketGet: Invalid ticket ID parameter(s) found!",
        );
    }
    let mut tickets = Vec::with_capacity(raw.len());
    for r in &raw {
        match r.parse::<u64>().ok().and_then(|id| store.tickets.get(&id)) {
            Some(t) => tickets.push(t),
            None => {
                return error(
                    "TicketGet.AccessDenied",
                    "TicketGet: User does not have access to the ticket!",
                );
            }
        }
    }
    let articles = flag(data, "AllArticles").then(|| ArticleSelection {
        limit: text(data, "ArticleLimit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0),
        descending: text(data, "ArticleOrder").as_deref() == Some("DESC"),
    });
    let dynamic_fields = flag(data, "DynamicFields");
    let now = Utc::now();
    let rendered: Vec<Value> = tickets
        .into_iter()
        .map(|t| render::ticket(store, s, t, dynamic_fields, articles, now))
        .collect();
    json!({ "Ticket": rendered })
}
