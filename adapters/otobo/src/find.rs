//! Finding tickets, one page per call. `TicketSearch` has no paging: it answers at most `Limit`
//! ids. So a scan works in windows:
//!
//! 1. `TicketSearch` (the query's filters, `SortBy=Age`, `OrderBy=Up`: oldest first, `Limit` =
//!    the `search_limit` setting) gives a window of ids; the cursor carries the ids not yet
//!    returned;
//! 2. each page is one `TicketGet` of the next `page-size` ids;
//! 3. when a window is used up and was full, the next one starts at the newest creation time
//!    returned, minus a second (`TicketCreateTimeNewerDate`, inclusive or not), skipping the ids
//!    already returned from that last second or two.
//!
//! Creation times never change, so a ticket updated during the scan is neither returned twice
//! nor skipped (keying on `Changed` would do both). A ticket deleted between the search and its
//! page is left out: a `TicketGet` that fails with `AccessDenied` is split in halves until the
//! unreadable ids are found.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use triage_adapter_sdk::errors::invalid;
use triage_adapter_sdk::time::{format_timestamp, parse_timestamp};
use triage_adapter_sdk::{cursor, log, AdapterError, AdapterResult, Page, TicketQuery};

use crate::api::{self, Failure};
use crate::errors::Context;
use crate::map::{self, state_types};
use crate::settings::Settings;

/// The largest page (one `TicketGet`).
pub const MAX_PAGE: u32 = 100;
const DEFAULT_PAGE: u32 = 50;

/// Keys the scan itself sets; a native query may not.
const SCAN_KEYS: [&str; 4] = ["SortBy", "OrderBy", "Limit", "TicketCreateTimeNewerDate"];

/// The cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    /// Ids of the current window not yet returned, in order.
    pub pending: Vec<String>,
    /// Whether another window may follow (the current one was full, or none was read yet).
    pub more: bool,
    /// Creation time (UTC seconds) of the newest ticket returned so far.
    pub last: Option<i64>,
    /// Ids returned with a creation time at or after `last - 1`: the next window reads them again.
    pub boundary: Vec<(String, i64)>,
}

impl Scan {
    pub fn start() -> Self {
        Self {
            pending: Vec::new(),
            more: true,
            last: None,
            boundary: Vec::new(),
        }
    }

    /// Where the next window starts (UTC seconds), if anywhere but the beginning.
    pub fn window_start(&self) -> Option<i64> {
        self.last.map(|l| l - 1)
    }

    /// Takes a window's ids: those not returned already become pending.
    pub fn take_window(&mut self, ids: Vec<String>, limit: u32) -> AdapterResult<()> {
        let full = ids.len() >= limit as usize;
        let fresh: Vec<String> = ids
            .into_iter()
            .filter(|id| !self.boundary.iter().any(|(b, _)| b == id))
            .collect();
        if fresh.is_empty() && full {
            return Err(AdapterError::Protocol(format!(
                "more than {limit} tickets were created within two seconds; \
                 raise the setting \"search_limit\" so a search can get past them"
            )));
        }
        self.pending = fresh;
        self.more = full;
        Ok(())
    }

    /// Notes a returned ticket's creation time.
    pub fn returned(&mut self, id: &str, created: i64) {
        if self.last.is_none_or(|l| created > l) {
            self.last = Some(created);
        }
        let floor = self.last.unwrap_or(created) - 1;
        self.boundary.retain(|(_, at)| *at >= floor);
        if created >= floor {
            self.boundary.push((id.to_owned(), created));
        }
    }

    /// Whether a later call has anything to do.
    pub fn continues(&self) -> bool {
        !self.pending.is_empty() || self.more
    }
}

/// The local time OTOBO compares with, for UTC seconds.
pub fn local(secs: i64, s: &Settings) -> String {
    format_timestamp(secs + s.offset_secs)
        .trim_end_matches('Z')
        .replacen('T', " ", 1)
}

/// The search parameters of a query (without the window's).
pub fn filter_params(q: &TicketQuery, s: &Settings) -> AdapterResult<Map<String, Value>> {
    let mut params = match triage_adapter_sdk::query::native(q) {
        None => Map::new(),
        Some(native) => match serde_json::from_str::<Value>(native) {
            Ok(Value::Object(map)) => map,
            _ => {
                return Err(invalid(
                    "native",
                    format!(
                        "an OTOBO native query is a JSON object of TicketSearch parameters, \
                         e.g. {{\"Title\":\"%invoice%\"}}; got {native:?}"
                    ),
                ));
            }
        },
    };
    if let Some(key) = SCAN_KEYS.iter().find(|k| params.contains_key(**k)) {
        return Err(invalid(
            "native",
            format!("{key} is set by the scan and cannot be part of a native query"),
        ));
    }
    let (mut names, mut ids) = (Vec::new(), Vec::new());
    for e in &q.queues {
        match (&e.id, &e.name) {
            (Some(id), _) => ids.push(json!(id)),
            (None, Some(name)) => {
                if !s.queues.is_empty() && !s.queues.iter().any(|q| q == name) {
                    return Err(invalid(
                        "queues",
                        format!(
                            "no queue {name:?} among the configured queues {:?}",
                            s.queues
                        ),
                    ));
                }
                names.push(json!(name));
            }
            (None, None) => return Err(invalid("queues", "a queue needs an id or a name".into())),
        }
    }
    if !names.is_empty() {
        params.insert("Queues".into(), Value::Array(names));
    }
    if !ids.is_empty() {
        params.insert("QueueIDs".into(), Value::Array(ids));
    }
    if !q.statuses.is_empty() {
        let mut types: Vec<&str> = Vec::new();
        for c in &q.statuses {
            for t in state_types(*c) {
                if !types.contains(t) {
                    types.push(t);
                }
            }
        }
        params.insert("StateType".into(), json!(types));
    }
    if let Some(since) = q.updated_since.as_deref() {
        let secs = parse_timestamp(since, 0)
            .ok_or_else(|| invalid("updated_since", format!("{since:?} is not RFC 3339")))?;
        params.insert(
            "TicketLastChangeTimeNewerDate".into(),
            json!(local(secs, s)),
        );
    }
    Ok(params)
}

/// `TicketGet` of `ids`, leaving out those OTOBO will not give (deleted since the search):
/// a failing batch is split in halves until the unreadable ids are isolated.
pub fn get_readable(s: &Settings, ids: &[String]) -> AdapterResult<Vec<Value>> {
    match api::get(s, ids) {
        Ok(tickets) => Ok(tickets),
        Err(f) if f.is_unreadable_ticket() && ids.len() > 1 => {
            let (a, b) = ids.split_at(ids.len() / 2);
            let mut tickets = get_readable(s, a)?;
            tickets.extend(get_readable(s, b)?);
            Ok(tickets)
        }
        Err(f) if f.is_unreadable_ticket() => {
            log::debug(&format!("ticket {} vanished since the search", ids[0]));
            Ok(Vec::new())
        }
        Err(f) => Err(f.into_error(&Context::default())),
    }
}

/// One page for `query`, continuing from `cursor`.
pub fn find(query: &TicketQuery, cursor: Option<&str>, s: &Settings) -> AdapterResult<Page> {
    let filters = filter_params(query, s)?;
    let mut scan = match cursor {
        Some(c) => cursor::decode(c)?,
        None => Scan::start(),
    };
    if scan.pending.is_empty() && scan.more {
        let mut params = filters;
        params.insert("SortBy".into(), json!("Age"));
        params.insert("OrderBy".into(), json!("Up"));
        params.insert("Limit".into(), json!(s.search_limit));
        if let Some(start) = scan.window_start() {
            params.insert("TicketCreateTimeNewerDate".into(), json!(local(start, s)));
        }
        let ids = api::search(s, params).map_err(|f: Failure| f.into_error(&Context::default()))?;
        scan.take_window(ids, s.search_limit)?;
    }
    let size = triage_adapter_sdk::query::page_size(query, DEFAULT_PAGE, MAX_PAGE) as usize;
    let batch: Vec<String> = scan.pending.drain(..size.min(scan.pending.len())).collect();
    let raw = if batch.is_empty() {
        Vec::new()
    } else {
        get_readable(s, &batch)?
    };
    let mut tickets = Vec::with_capacity(raw.len());
    for v in &raw {
        let t = map::ticket_from(v, s)?;
        let created = map::secs(v, "Created", s).ok_or_else(|| {
            AdapterError::Protocol(format!("ticket {} has no readable Created time", t.id))
        })?;
        scan.returned(&t.id, created);
        tickets.push(t);
    }
    Ok(Page {
        tickets,
        next: scan.continues().then(|| cursor::encode(&scan)),
        total: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use triage_adapter_sdk::{EntityRef, StatusCategory};

    fn settings() -> Settings {
        let mut s = Settings::from_lookup(|_| None).unwrap();
        s.offset_secs = 3600;
        s
    }

    fn query() -> TicketQuery {
        triage_adapter_sdk::query::all(10)
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn windows_continue_after_the_newest_second_without_repeats() {
        let mut scan = Scan::start();
        assert_eq!(scan.window_start(), None);
        scan.take_window(ids(&["1", "2", "3"]), 3).unwrap();
        assert!(scan.more, "a full window: another may follow");
        for (id, at) in [("1", 100), ("2", 105), ("3", 106)] {
            scan.returned(id, at);
        }
        scan.pending.clear();
        assert_eq!(scan.window_start(), Some(105));
        assert_eq!(
            scan.boundary,
            [("2".to_owned(), 105), ("3".to_owned(), 106)]
        );
        // The next window re-reads 2 and 3, then finds 4; not full: the last one.
        scan.take_window(ids(&["2", "3", "4"]), 4).unwrap();
        assert_eq!(scan.pending, ["4"]);
        assert!(!scan.more);
        scan.pending.clear();
        assert!(!scan.continues());
    }

    #[test]
    fn a_window_that_cannot_move_is_an_error() {
        let mut scan = Scan::start();
        scan.returned("1", 100);
        scan.returned("2", 100);
        assert!(matches!(
            scan.take_window(ids(&["1", "2"]), 2),
            Err(AdapterError::Protocol(m)) if m.contains("search_limit")
        ));
        // Not full: simply the end.
        let mut done = Scan::start();
        done.returned("1", 100);
        done.take_window(ids(&["1"]), 5).unwrap();
        assert!(!done.continues());
    }

    #[test]
    fn cursor_round_trips() {
        let mut scan = Scan::start();
        scan.take_window(ids(&["7", "8"]), 500).unwrap();
        scan.returned("6", 1_700_000_000);
        assert_eq!(
            cursor::decode::<Scan>(&cursor::encode(&scan)).unwrap(),
            scan
        );
    }

    #[test]
    fn filters_become_search_parameters() {
        let s = settings();
        let q = TicketQuery {
            queues: vec![
                EntityRef {
                    id: None,
                    name: Some("Raw".into()),
                },
                EntityRef {
                    id: Some("5".into()),
                    name: None,
                },
            ],
            statuses: vec![
                StatusCategory::New,
                StatusCategory::Resolved,
                StatusCategory::Closed,
            ],
            updated_since: Some("2026-03-01T11:30:00Z".into()),
            native: Some(r#"{"Title":"%invoice%"}"#.into()),
            page_size: 10,
        };
        let p = Value::Object(filter_params(&q, &s).unwrap());
        assert_eq!(
            p,
            json!({"Title": "%invoice%", "Queues": ["Raw"], "QueueIDs": ["5"],
                   "StateType": ["new", "closed"],
                   "TicketLastChangeTimeNewerDate": "2026-03-01 12:30:00"})
        );
        assert_eq!(local(0, &s), "1970-01-01 01:00:00");
    }

    #[test]
    fn bad_native_queries_and_unknown_queues_are_validation_errors() {
        let mut s = settings();
        for native in ["Title:x", r#"{"Limit":5}"#, "[1]"] {
            let q = TicketQuery {
                native: Some(native.into()),
                ..query()
            };
            assert!(
                matches!(filter_params(&q, &s), Err(AdapterError::Validation(f)) if f[0].field == "native"),
                "{native}"
            );
        }
        s.queues = vec!["Raw".into()];
        let q = TicketQuery {
            queues: vec![EntityRef {
                id: None,
                name: Some("Nowhere".into()),
            }],
            ..query()
        };
        assert!(
            matches!(filter_params(&q, &s), Err(AdapterError::Validation(f)) if f[0].field == "queues")
        );
    }
}
