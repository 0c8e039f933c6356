//! `TicketSearch`: ticket ids matching filters, sorted, cut at `Limit`. There is no offset and
//! no total (Znuny `TicketSearch.pm`). Quirks kept on purpose:
//! - nothing matched: `{}`, not an empty list;
//! - `Limit` defaults to 500; `SortBy` to `Age` (creation time) and `OrderBy` to `Down`;
//!   `Up` is ascending. Ties come in descending id order (the database promises no order);
//! - dates are the server's local time `YYYY-MM-DD HH:MM:SS`; `…NewerDate` is inclusive
//!   (`>=`), `…OlderDate` too (`<=`). A date in another format, or an unknown queue, state or
//!   priority name, makes the search return nothing rather than an error (the core logs it and
//!   gives up);
//! - unknown parameters are ignored.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::model::{OPEN_STATE_TYPES, STATES, Ticket};
use super::render::{Settings, error, id_list};
use super::request::{list, text};
use super::session::authenticate;
use super::store::Store;
use super::time::parse_local;

pub fn run(store: &Store, s: &Settings, data: &Map<String, Value>) -> (Value, bool) {
    if authenticate(store, s, data).is_none() {
        return (
            error(
                "TicketSearch.AuthFail",
                "TicketSearch: Authorization failing!",
            ),
            false,
        );
    }
    let ids = match Filter::parse(store, s, data) {
        Some(filter) => search(store, data, s.default_search_limit, &filter),
        None => Vec::new(),
    };
    (id_list(s, &ids), true)
}

/// A time bound on one of the ticket's times.
struct Bound {
    created: bool,
    newer: bool,
    at: DateTime<Utc>,
}

#[derive(Default)]
struct Filter {
    ids: Option<Vec<u64>>,
    queues: Option<Vec<u64>>,
    states: Option<Vec<u64>>,
    priorities: Option<Vec<u64>>,
    types: Option<Vec<u64>>,
    owners: Option<Vec<u64>>,
    titles: Vec<String>,
    numbers: Vec<String>,
    customer_ids: Vec<String>,
    customer_users: Vec<String>,
    bounds: Vec<Bound>,
    /// `(field, operator, values)` from `DynamicField_<Name>: {Equals|Like|Empty: …}`.
    fields: Vec<(String, String, Value)>,
}

/// `Some(ids)` from names or ids; `None` (nothing can match) for an unknown name.
fn resolve(
    data: &Map<String, Value>,
    names_key: &str,
    ids_key: &str,
    lookup: impl Fn(&str) -> Option<u64>,
) -> Result<Option<Vec<u64>>, ()> {
    let names = list(data, names_key);
    let ids = list(data, ids_key);
    if names.is_empty() && ids.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for n in names {
        out.push(lookup(&n).ok_or(())?);
    }
    for i in ids {
        out.push(i.parse().map_err(|_| ())?);
    }
    Ok(Some(out))
}

impl Filter {
    /// The filter; `None` when the search cannot match anything (see the module docs).
    fn parse(store: &Store, s: &Settings, data: &Map<String, Value>) -> Option<Self> {
        let state_id = |n: &str| STATES.iter().find(|(_, name, _)| *name == n).map(|x| x.0);
        let mut f = Self {
            queues: resolve(data, "Queues", "QueueIDs", |n| {
                store.queue_by_name(n).map(|q| q.id)
            })
            .ok()?,
            states: resolve(data, "States", "StateIDs", state_id).ok()?,
            priorities: resolve(data, "Priorities", "PriorityIDs", |n| {
                store.priorities.iter().find(|p| p.name == n).map(|p| p.id)
            })
            .ok()?,
            types: resolve(data, "Types", "TypeIDs", |n| {
                super::model::TICKET_TYPES
                    .iter()
                    .find(|(_, name)| *name == n)
                    .map(|x| x.0)
            })
            .ok()?,
            owners: resolve(data, "Owners", "OwnerIDs", |n| {
                store.users.iter().find(|u| u.name == n).map(|u| u.id)
            })
            .ok()?,
            titles: list(data, "Title"),
            numbers: list(data, "TicketNumber"),
            customer_ids: list(data, "CustomerID"),
            customer_users: list(data, "CustomerUserLogin"),
            ..Self::default()
        };
        let ids = list(data, "TicketID");
        if !ids.is_empty() {
            f.ids = Some(ids.iter().filter_map(|i| i.parse().ok()).collect());
        }
        let types = list(data, "StateType");
        if !types.is_empty() {
            let wanted: Vec<&str> = types
                .iter()
                .flat_map(|t| match t.as_str() {
                    "Open" => OPEN_STATE_TYPES.to_vec(),
                    "Closed" => vec!["closed"],
                    other => vec![other],
                })
                .collect();
            let by_type: Vec<u64> = STATES
                .iter()
                .filter(|(_, _, kind)| wanted.contains(kind))
                .map(|x| x.0)
                .collect();
            f.states = Some(match f.states {
                Some(states) => states.into_iter().filter(|s| by_type.contains(s)).collect(),
                None => by_type,
            });
        }
        for (key, created) in [
            ("TicketCreateTime", true),
            ("TicketChangeTime", false),
            ("TicketLastChangeTime", false),
        ] {
            for (suffix, newer) in [("NewerDate", true), ("OlderDate", false)] {
                if let Some(text) = text(data, &format!("{key}{suffix}")) {
                    let at = parse_local(&text, s.utc_offset)?;
                    f.bounds.push(Bound { created, newer, at });
                }
            }
        }
        for (key, value) in data {
            let Some(name) = key.strip_prefix("DynamicField_") else {
                continue;
            };
            let Value::Object(ops) = value else { continue };
            for (op, operand) in ops {
                f.fields
                    .push((name.to_owned(), op.clone(), operand.clone()));
            }
        }
        Some(f)
    }

    fn keeps(&self, t: &Ticket) -> bool {
        let within = |set: &Option<Vec<u64>>, v: u64| set.as_ref().is_none_or(|s| s.contains(&v));
        within(&self.ids, t.id)
            && within(&self.queues, t.queue_id)
            && within(&self.states, t.state_id)
            && within(&self.priorities, t.priority_id)
            && within(&self.types, t.type_id)
            && within(&self.owners, t.owner_id)
            && (self.titles.is_empty() || self.titles.iter().any(|p| like(p, &t.title)))
            && (self.numbers.is_empty() || self.numbers.iter().any(|p| like(p, &t.number)))
            && (self.customer_ids.is_empty()
                || t.customer_id
                    .as_ref()
                    .is_some_and(|c| self.customer_ids.contains(c)))
            && (self.customer_users.is_empty() || self.customer_users.contains(&t.customer_user))
            && self.bounds.iter().all(|b| {
                let at = if b.created { t.created } else { t.changed };
                if b.newer { at >= b.at } else { at <= b.at }
            })
            && self
                .fields
                .iter()
                .all(|(name, op, operand)| field_matches(t.dynamic_fields.get(name), op, operand))
    }
}

/// SQL `LIKE` with `%` (and `*`) wildcards, ignoring case.
fn like(pattern: &str, text: &str) -> bool {
    let pattern = pattern.to_lowercase().replace('*', "%");
    let text = text.to_lowercase();
    let parts: Vec<&str> = pattern.split('%').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text.as_str();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

fn field_matches(value: Option<&Value>, op: &str, operand: &Value) -> bool {
    let values: Vec<String> = match value {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    };
    let operands: Vec<String> = match operand {
        Value::Array(a) => a
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect(),
        Value::String(s) => vec![s.clone()],
        other => vec![other.to_string()],
    };
    match op {
        "Empty" => values.is_empty() == (operands.first().map(String::as_str) != Some("0")),
        "Equals" => values.iter().any(|v| operands.contains(v)),
        "Like" => values.iter().any(|v| operands.iter().any(|p| like(p, v))),
        _ => true,
    }
}

fn search(store: &Store, data: &Map<String, Value>, default_limit: usize, f: &Filter) -> Vec<u64> {
    let mut hits: Vec<&Ticket> = store.tickets.values().filter(|t| f.keeps(t)).collect();
    let sort_by = {
        let l = list(data, "SortBy");
        if l.is_empty() {
            vec!["Age".to_owned()]
        } else {
            l
        }
    };
    let order_by = list(data, "OrderBy");
    // Ties: descending id, then the sort keys from last to first (a stable sort per key).
    hits.sort_by_key(|t| std::cmp::Reverse(t.id));
    for (i, key) in sort_by.iter().enumerate().rev() {
        let up = order_by
            .get(i)
            .or(order_by.first())
            .is_some_and(|o| o == "Up");
        hits.sort_by(|a, b| {
            let ord = match key.as_str() {
                "Changed" => a.changed.cmp(&b.changed),
                "TicketNumber" => a.number.cmp(&b.number),
                "Priority" => a.priority_id.cmp(&b.priority_id),
                "Queue" => store
                    .queue(a.queue_id)
                    .map(|q| &q.name)
                    .cmp(&store.queue(b.queue_id).map(|q| &q.name)),
                "Title" => a.title.cmp(&b.title),
                "State" => a.state_id.cmp(&b.state_id),
                _ => a.created.cmp(&b.created),
            };
            if up { ord } else { ord.reverse() }
        });
    }
    let limit = text(data, "Limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .unwrap_or(default_limit);
    hits.into_iter().take(limit).map(|t| t.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards() {
        assert!(like("%invoice%", "Second INVOICE please"));
        assert!(like("inv%", "Invoice"));
        assert!(!like("inv%", "An invoice"));
        assert!(like("%ice", "invoice"));
        assert!(like("exact", "Exact"));
        assert!(!like("a%b%c", "a-c-b"));
    }

    #[test]
    fn dynamic_field_operators() {
        let de = Value::String("de".into());
        assert!(field_matches(
            Some(&de),
            "Equals",
            &Value::String("de".into())
        ));
        assert!(!field_matches(
            Some(&de),
            "Equals",
            &Value::String("en".into())
        ));
        assert!(field_matches(None, "Empty", &Value::from(1)));
        assert!(!field_matches(Some(&de), "Empty", &Value::from(1)));
        let tags = serde_json::json!(["vip", "web"]);
        assert!(field_matches(
            Some(&tags),
            "Equals",
            &serde_json::json!(["web"])
        ));
    }
}
