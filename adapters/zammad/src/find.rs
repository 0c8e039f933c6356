//! Finding tickets, one page per call.
//!
//! Zammad's search (`GET /tickets/search`) is Elasticsearch underneath, and it has two traps:
//! a page ending beyond the result window (`max_result_window`, 10,000 by default) comes back
//! *empty* with status 200, and there is no total to notice that. So the adapter never pages
//! deep: it sorts by `updated_at` ascending, pages within a window `updated_at:["since" TO *]`,
//! and before the next page would cross the result window it starts a new window at the newest
//! `updated_at` it returned, skipping the tickets already returned with exactly that timestamp
//! (their ids travel in the cursor). Nothing is skipped and nothing is returned twice, however
//! large the backlog. A page shorter than asked for is the last.
//!
//! Queue and status filters go into the query (`group.name:"…"` / `group_id:…`,
//! `state.name:(…)`) and are checked again on each ticket, since Elasticsearch matches names as
//! phrases ("Sales" would also match "Sales::EMEA"). A native query is ANDed in as it is.
//!
//! Every ticket needs two more lookups: its first article (the text to classify) and its tags,
//! which Zammad never sends with a ticket. With the host's default of 64 requests per call that
//! bounds a page to 30 tickets (1 + 2 × 30 requests).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use triage_adapter_sdk::errors::invalid;
use triage_adapter_sdk::paging::Tail;
use triage_adapter_sdk::time::{format_timestamp, parse_timestamp};
use triage_adapter_sdk::{
    config, cursor, http, AdapterError, AdapterResult, Page, StatusCategory, Ticket, TicketQuery,
};

use crate::{api, map};

/// Tickets per page at most: one search plus two lookups per ticket stay within 64 requests.
pub const MAX_PAGE: u32 = 30;
/// Elasticsearch's default `max_result_window`; the `search_window` setting overrides it.
pub const DEFAULT_WINDOW: u64 = 10_000;
/// Start of time, for an unbounded scan.
const EPOCH_MS: i64 = 0;

/// Milliseconds since the epoch of an RFC 3339 timestamp (fractions beyond ms dropped).
pub fn millis(text: &str) -> Option<i64> {
    let secs = parse_timestamp(text, 0)?;
    let frac = text
        .get(19..)
        .and_then(|r| r.strip_prefix('.'))
        .map(|r| {
            let digits: String = r.chars().take_while(char::is_ascii_digit).collect();
            format!("{digits:0<3}")[..3].parse::<i64>().unwrap_or(0)
        })
        .unwrap_or(0);
    Some(secs * 1000 + frac)
}

/// RFC 3339 UTC with milliseconds, as Zammad writes its timestamps.
pub fn format_millis(ms: i64) -> String {
    let base = format_timestamp(ms.div_euclid(1000));
    format!("{}.{:03}Z", base.trim_end_matches('Z'), ms.rem_euclid(1000))
}

/// The cursor: where the scan stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    /// Start of the current window (inclusive, ms).
    pub since: i64,
    /// The next page of the window, from 1.
    pub page: u32,
    pub per_page: u32,
    /// The newest `updated_at` returned so far (ms) and the ids returned with it.
    #[serde(flatten)]
    pub tail: Tail,
}

impl Scan {
    pub fn start(since: i64, per_page: u32) -> Self {
        Self {
            since,
            page: 1,
            per_page,
            tail: Tail::default(),
        }
    }

    /// Takes one page (in `updated_at` order): the tickets not returned yet (see [`Tail`]).
    pub fn take(&mut self, items: Vec<Value>) -> Vec<Value> {
        self.tail.take(items, |v| {
            Some((
                v["id"].as_u64()?,
                v["updated_at"].as_str().and_then(millis)?,
            ))
        })
    }

    /// Where to go after a page that held `got` tickets: `None` when done.
    pub fn advance(mut self, got: usize, window: u64) -> AdapterResult<Option<Self>> {
        if got < self.per_page as usize {
            return Ok(None);
        }
        let next = self.page + 1;
        if u64::from(next) * u64::from(self.per_page) <= window {
            self.page = next;
            return Ok(Some(self));
        }
        match self.tail.at {
            Some(t) if t > self.since => {
                self.since = t;
                self.page = 1;
                Ok(Some(self))
            }
            _ => Err(AdapterError::Protocol(format!(
                "more than {window} tickets share updated_at {}; Zammad's search cannot page past them",
                format_millis(self.since)
            ))),
        }
    }
}

/// A search phrase: the value in double quotes, with quotes and backslashes escaped.
fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// What a query asks for beyond the time window, checked on every ticket too.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    group_ids: Vec<u64>,
    group_names: Vec<String>,
    statuses: Vec<StatusCategory>,
}

impl Filter {
    pub fn from_query(q: &TicketQuery) -> AdapterResult<Self> {
        let mut f = Self {
            statuses: q.statuses.clone(),
            ..Self::default()
        };
        for e in &q.queues {
            match (&e.id, &e.name) {
                (Some(id), _) => f.group_ids.push(id.trim().parse().map_err(|_| {
                    invalid(
                        "queues",
                        format!("Zammad group ids are numbers, not {id:?}"),
                    )
                })?),
                (None, Some(name)) => f.group_names.push(name.trim().to_owned()),
                (None, None) => {}
            }
        }
        Ok(f)
    }

    /// The search clauses, or `None` when nothing can match (only categories Zammad lacks).
    fn clauses(&self) -> Option<Vec<String>> {
        let mut out = Vec::new();
        let mut groups: Vec<String> = self
            .group_ids
            .iter()
            .map(|id| format!("group_id:{id}"))
            .collect();
        groups.extend(
            self.group_names
                .iter()
                .map(|n| format!("group.name:{}", quote(n))),
        );
        if !groups.is_empty() {
            out.push(format!("({})", groups.join(" OR ")));
        }
        if !self.statuses.is_empty() {
            let names: Vec<String> = self
                .statuses
                .iter()
                .flat_map(|c| map::state_names(*c))
                .map(|n| quote(n))
                .collect();
            if names.is_empty() {
                return None;
            }
            out.push(format!("state.name:({})", names.join(" OR ")));
        }
        Some(out)
    }

    /// The exact check Elasticsearch's phrase matching cannot make.
    pub fn keeps(&self, v: &Value) -> bool {
        let group_ok = (self.group_ids.is_empty() && self.group_names.is_empty())
            || v["group_id"]
                .as_u64()
                .is_some_and(|g| self.group_ids.contains(&g))
            || v["group"]
                .as_str()
                .is_some_and(|g| self.group_names.iter().any(|n| n.eq_ignore_ascii_case(g)));
        let status_ok = self.statuses.is_empty()
            || v["state"]
                .as_str()
                .is_some_and(|s| self.statuses.contains(&map::status_category(s)));
        group_ok && status_ok
    }
}

/// The full search query for a window starting at `since` (ms); `native` is the query's
/// native text, trimmed and not blank (see [`triage_adapter_sdk::query::native`]).
pub fn search_query(native: Option<&str>, filter: &Filter, since: i64) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(n) = native {
        parts.push(format!("({n})"));
    }
    parts.extend(filter.clauses()?);
    parts.push(format!(
        "updated_at:[{} TO *]",
        quote(&format_millis(since))
    ));
    Some(parts.join(" AND "))
}

fn setting_u64(key: &str) -> AdapterResult<Option<u64>> {
    config::get(key)
        .map(|v| {
            v.trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    AdapterError::Unsupported(format!(
                        "setting {key:?} must be a positive number, not {v:?}"
                    ))
                })
        })
        .transpose()
}

/// The ticket with its first article and tags.
pub fn complete(v: &Value) -> AdapterResult<Ticket> {
    let id = v["id"]
        .as_u64()
        .ok_or_else(|| AdapterError::Protocol(format!("ticket without a numeric id: {v}")))?;
    let article = match map::first_article_id(v) {
        Some(a) => match api::get(&format!("/ticket_articles/{a}")) {
            Ok(article) => Some(article),
            // Deleted since the ticket was read: the ticket still counts, without text.
            Err(AdapterError::NotFound(_)) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let tags = api::get(&format!("/tags?object=Ticket&o_id={id}"))?;
    map::ticket_from(v, article.as_ref(), map::tags_of(&tags))
}

/// One page for `query`, continuing from `cursor`.
pub fn find(query: &TicketQuery, cursor: Option<&str>) -> AdapterResult<Page> {
    let filter = Filter::from_query(query)?;
    let window = setting_u64("search_window")?.unwrap_or(DEFAULT_WINDOW);
    let max = setting_u64("page_size")?.map_or(MAX_PAGE, |n| n.min(u64::from(MAX_PAGE)) as u32);
    let mut scan: Scan = match cursor {
        Some(c) => cursor::decode(c)?,
        None => {
            let since = match query.updated_since.as_deref() {
                Some(t) => millis(t).ok_or_else(|| {
                    invalid(
                        "updated_since",
                        format!("{t:?} is not an RFC 3339 timestamp"),
                    )
                })?,
                None => EPOCH_MS,
            };
            let per_page = triage_adapter_sdk::query::page_size(query, max, max);
            Scan::start(since, per_page.min(window as u32))
        }
    };
    let native = triage_adapter_sdk::query::native(query);
    let Some(q) = search_query(native, &filter, scan.since) else {
        return Ok(Page {
            tickets: Vec::new(),
            next: None,
            total: None,
        });
    };
    let items = api::get(&format!(
        "/tickets/search?query={}&sort_by=updated_at&order_by=asc&expand=true&per_page={}&page={}",
        http::encode(&q),
        scan.per_page,
        scan.page
    ))?;
    let items = match items {
        Value::Array(a) => a,
        other => {
            return Err(AdapterError::Protocol(format!(
                "search with expand=true answered no list: {}",
                triage_adapter_sdk::errors::snippet(other.to_string().as_bytes())
            )))
        }
    };
    let got = items.len();
    let fresh = scan.take(items);
    let tickets = fresh
        .iter()
        .filter(|v| filter.keeps(v))
        .map(complete)
        .collect::<AdapterResult<Vec<_>>>()?;
    let next = scan.advance(got, window)?;
    Ok(Page {
        tickets,
        next: next.as_ref().map(cursor::encode),
        total: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use triage_adapter_sdk::EntityRef;

    fn t(id: u64, at: &str) -> Value {
        json!({"id": id, "updated_at": at})
    }

    fn ids(v: &[Value]) -> Vec<u64> {
        v.iter().map(|t| t["id"].as_u64().unwrap()).collect()
    }

    #[test]
    fn millisecond_timestamps() {
        let ms = millis("2021-02-24T14:44:43.828Z").unwrap();
        assert_eq!(format_millis(ms), "2021-02-24T14:44:43.828Z");
        assert_eq!(millis("2021-02-24T14:44:43Z").unwrap() + 828, ms);
        assert_eq!(millis("2021-02-24T14:44:43.8Z").unwrap() % 1000, 800);
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn pages_until_the_window_then_slides() {
        let mut s = Scan::start(0, 2);
        let got = s.take(vec![
            t(1, "2024-01-01T00:00:00.000Z"),
            t(2, "2024-01-01T00:00:01.000Z"),
        ]);
        assert_eq!(ids(&got), [1, 2]);
        let s = s.advance(2, 4).unwrap().unwrap();
        assert_eq!(s.page, 2);
        let mut s = s;
        // The window's last page ends inside a run of tickets sharing one millisecond.
        s.take(vec![
            t(3, "2024-01-02T00:00:00.500Z"),
            t(4, "2024-01-02T00:00:00.500Z"),
        ]);
        let mut s = s.advance(2, 4).unwrap().unwrap();
        assert_eq!(
            (s.page, s.since),
            (1, millis("2024-01-02T00:00:00.500Z").unwrap())
        );
        // The new window re-reads 3 and 4 first: only 5 is new, and the short page ends it.
        let got = s.take(vec![
            t(3, "2024-01-02T00:00:00.500Z"),
            t(4, "2024-01-02T00:00:00.500Z"),
            t(5, "2024-01-03T00:00:00.000Z"),
        ]);
        assert_eq!(ids(&got), [5]);
        assert_eq!(s.clone().advance(3, 4).unwrap().map(|x| x.page), Some(2));
        assert!(s.advance(1, 4).unwrap().is_none());
    }

    #[test]
    fn a_window_that_cannot_move_is_an_error() {
        let mut s = Scan::start(millis("2024-01-02T00:00:00.500Z").unwrap(), 2);
        s.page = 2;
        s.take(vec![
            t(3, "2024-01-02T00:00:00.500Z"),
            t(4, "2024-01-02T00:00:00.500Z"),
        ]);
        assert!(matches!(s.advance(2, 4), Err(AdapterError::Protocol(_))));
    }

    #[test]
    fn queries_carry_filters_and_the_window() {
        let q = TicketQuery {
            queues: vec![
                EntityRef {
                    id: Some("6".into()),
                    name: None,
                },
                EntityRef {
                    id: None,
                    name: Some("Sales \"EU\"".into()),
                },
            ],
            statuses: vec![StatusCategory::New, StatusCategory::Pending],
            updated_since: None,
            native: None,
            page_size: 0,
        };
        let f = Filter::from_query(&q).unwrap();
        assert_eq!(
            search_query(Some("tags:vip"), &f, 0).unwrap(),
            r#"(tags:vip) AND (group_id:6 OR group.name:"Sales \"EU\"") AND state.name:("new" OR "pending reminder" OR "pending close") AND updated_at:["1970-01-01T00:00:00.000Z" TO *]"#
        );
        assert!(f.keeps(&json!({"group_id": 6, "group": "Billing", "state": "new"})));
        assert!(f.keeps(&json!({"group_id": 2, "group": "sales \"eu\"", "state": "pending close"})));
        assert!(!f.keeps(&json!({"group_id": 2, "group": "Sales \"EU\"::Sub", "state": "new"})));
        assert!(!f.keeps(&json!({"group_id": 6, "group": "x", "state": "closed"})));
        let resolved = Filter::from_query(&TicketQuery {
            statuses: vec![StatusCategory::Resolved],
            ..q
        })
        .unwrap();
        assert!(search_query(None, &resolved, 0).is_none());
    }

    #[test]
    fn cursor_round_trips() {
        let s = Scan {
            tail: Tail {
                at: Some(5),
                ids: vec![1, 2],
            },
            ..Scan::start(3, 30)
        };
        assert_eq!(cursor::decode::<Scan>(&cursor::encode(&s)).unwrap(), s);
    }
}
