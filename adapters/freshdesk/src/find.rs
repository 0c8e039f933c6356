//! Finding tickets, one page per call.
//!
//! Without a native query: `GET /tickets?updated_since=…&order_by=updated_at&order_type=asc`,
//! following `link: <…>; rel="next"`. Freshdesk refuses pages past 300, so at the cap the
//! window slides: `updated_since` becomes the newest `updated_at` seen, and the tickets
//! already returned with exactly that timestamp (kept in the cursor) are skipped when the
//! new window reads them again. Nothing is skipped and nothing is returned twice.
//!
//! With a native query: `GET /search/tickets?query="…"` (30 per page, pages 1–10).
//!
//! The list API filters neither by group nor by status, so queue and status filters are
//! applied here, on each page (a page may come back empty with a `next` cursor).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use triage_adapter_sdk::paging::Tail;
use triage_adapter_sdk::time::parse_timestamp;
use triage_adapter_sdk::{
    cursor, errors, http, AdapterError, AdapterResult, Page, StatusCategory, TicketQuery,
};

use crate::api;
use crate::map::{self, Groups};

/// Freshdesk's page cap on `GET /tickets`.
pub const LIST_PAGE_CAP: u32 = 300;
/// Search: fixed page size and last page.
pub const SEARCH_PAGE_SIZE: u64 = 30;
pub const SEARCH_PAGE_CAP: u32 = 10;
/// Start of time, for an unbounded scan (without `updated_since` Freshdesk lists only
/// the last 30 days).
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// The cursor: where the scan stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum State {
    List(ListState),
    Search { page: u32 },
}

/// Paging state of the list endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListState {
    /// Start of the current window (inclusive), as sent in `updated_since`.
    pub since: String,
    pub per_page: u32,
    /// The `link` of the previous page; `None`: the window's first page.
    pub next: Option<String>,
    /// Pages read in this window.
    pub page: u32,
    /// The newest `updated_at` returned so far (seconds) and the ids returned with it.
    #[serde(flatten)]
    pub tail: Tail,
}

impl ListState {
    fn start(since: String, per_page: u32) -> Self {
        Self {
            since,
            per_page,
            next: None,
            page: 0,
            tail: Tail::default(),
        }
    }

    fn first_url(&self) -> String {
        format!(
            "/tickets?updated_since={}&order_by=updated_at&order_type=asc&per_page={}&include=description",
            http::encode(&self.since),
            self.per_page
        )
    }

    /// Takes one page (in `updated_at` order): the tickets not yet returned (see [`Tail`]).
    pub fn take(&mut self, items: Vec<Value>) -> Vec<Value> {
        self.tail
            .take(items, |v| Some((v["id"].as_u64()?, map::updated_secs(v)?)))
    }

    /// Where to go after a page whose `link` was `link`: `None` when done.
    pub fn advance(mut self, link: Option<String>) -> AdapterResult<Option<Self>> {
        self.page += 1;
        let Some(link) = link else {
            return Ok(None);
        };
        if self.page < LIST_PAGE_CAP {
            self.next = Some(link);
            return Ok(Some(self));
        }
        let tail = self.tail.at.map(triage_adapter_sdk::time::format_timestamp);
        match tail {
            Some(t) if parse_timestamp(&t, 0) > parse_timestamp(&self.since, 0) => {
                self.since = t;
                self.next = None;
                self.page = 0;
                Ok(Some(self))
            }
            _ => Err(AdapterError::Protocol(format!(
                "more than {LIST_PAGE_CAP} pages of tickets share updated_at {}; Freshdesk cannot page past them",
                self.since
            ))),
        }
    }
}

/// What the query asks for that the API cannot filter.
struct Filter {
    group_ids: Vec<u64>,
    statuses: Vec<StatusCategory>,
    since: Option<i64>,
}

impl Filter {
    fn from_query(q: &TicketQuery, groups: &Groups) -> AdapterResult<Self> {
        let mut group_ids = Vec::new();
        for e in &q.queues {
            let id = match (&e.id, &e.name) {
                (Some(id), _) => id.trim().parse().ok(),
                (None, Some(name)) => groups.id(name),
                (None, None) => None,
            };
            group_ids.push(id.ok_or_else(|| {
                errors::invalid("queues", format!("no Freshdesk group matches {e:?}"))
            })?);
        }
        Ok(Self {
            group_ids,
            statuses: q.statuses.clone(),
            since: q
                .updated_since
                .as_deref()
                .and_then(|t| parse_timestamp(t, 0)),
        })
    }

    fn keeps(&self, v: &Value) -> bool {
        let group_ok = self.group_ids.is_empty()
            || v["group_id"]
                .as_u64()
                .is_some_and(|g| self.group_ids.contains(&g));
        let status_ok = self.statuses.is_empty()
            || v["status"]
                .as_u64()
                .is_some_and(|s| map::status_matches(s as u32, &self.statuses));
        let since_ok = self
            .since
            .is_none_or(|s| map::updated_secs(v).is_some_and(|at| at >= s));
        group_ok && status_ok && since_ok
    }
}

fn page_of(
    items: Vec<Value>,
    filter: &Filter,
    next: Option<State>,
    total: Option<u64>,
) -> AdapterResult<Page> {
    let mut groups = api::groups(false)?;
    if groups.misses(items.iter().map(|v| &v["group_id"])) {
        groups = api::groups(true)?;
    }
    let tickets = items
        .iter()
        .filter(|v| filter.keeps(v))
        .map(|v| map::ticket_from(v, &groups))
        .collect::<AdapterResult<Vec<_>>>()?;
    Ok(Page {
        tickets,
        next: next.as_ref().map(cursor::encode),
        total,
    })
}

/// One page for `query`, continuing from `cursor`.
pub fn find(query: &TicketQuery, cursor: Option<&str>) -> AdapterResult<Page> {
    let filter = Filter::from_query(query, &api::groups(false)?)?;
    let native = triage_adapter_sdk::query::native(query);
    let state = match cursor {
        Some(c) => cursor::decode(c)?,
        None if native.is_some() => State::Search { page: 1 },
        None => State::List(ListState::start(
            query
                .updated_since
                .clone()
                .unwrap_or_else(|| EPOCH.to_owned()),
            triage_adapter_sdk::query::page_size(query, 100, 100),
        )),
    };
    match state {
        State::List(mut list) => {
            let url = list.next.clone().unwrap_or_else(|| list.first_url());
            let reply = api::get(&url)?;
            let link = api::next(&reply);
            let items = list.take(reply.json()?);
            let next = list.advance(link)?.map(State::List);
            page_of(items, &filter, next, None)
        }
        State::Search { page } => {
            let native = native.ok_or_else(|| {
                AdapterError::Protocol("a search cursor needs the query's native text".into())
            })?;
            let quoted = if native.starts_with('"') && native.ends_with('"') && native.len() > 1 {
                native.to_owned()
            } else {
                format!("\"{native}\"")
            };
            let reply = api::get(&format!(
                "/search/tickets?query={}&page={page}",
                http::encode(&quoted)
            ))?;
            let body: Value = reply.json()?;
            let total = body["total"].as_u64();
            let items = body["results"].as_array().cloned().unwrap_or_default();
            let more = page < SEARCH_PAGE_CAP
                && total.is_some_and(|t| u64::from(page) * SEARCH_PAGE_SIZE < t)
                && !items.is_empty();
            let next = more.then_some(State::Search { page: page + 1 });
            page_of(items, &filter, next, total)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(id: u64, at: &str) -> Value {
        json!({"id": id, "updated_at": at})
    }

    fn ids(v: &[Value]) -> Vec<u64> {
        v.iter().map(|t| t["id"].as_u64().unwrap()).collect()
    }

    #[test]
    fn pages_follow_the_link_until_the_cap_then_slide() {
        let mut s = ListState::start(EPOCH.into(), 100);
        assert!(s
            .first_url()
            .contains("updated_since=1970-01-01T00%3A00%3A00Z"));
        s.take(vec![
            t(1, "2024-01-01T00:00:00Z"),
            t(2, "2024-01-01T00:00:05Z"),
        ]);
        let mut s = s.advance(Some("http://h/next".into())).unwrap().unwrap();
        assert_eq!((s.page, s.next.as_deref()), (1, Some("http://h/next")));
        s.page = LIST_PAGE_CAP - 1;
        // The last allowed page ends inside a run of tickets sharing one second.
        let got = s.take(vec![
            t(3, "2024-01-02T00:00:00Z"),
            t(4, "2024-01-02T00:00:00Z"),
        ]);
        assert_eq!(ids(&got), [3, 4]);
        let mut s = s.advance(Some("http://h/page301".into())).unwrap().unwrap();
        assert_eq!(
            (s.since.as_str(), s.page, s.next.as_deref()),
            ("2024-01-02T00:00:00Z", 0, None)
        );
        // The new window re-reads 3 and 4 first: only 5 and 6 are new.
        let got = s.take(vec![
            t(3, "2024-01-02T00:00:00Z"),
            t(4, "2024-01-02T00:00:00Z"),
            t(5, "2024-01-02T00:00:00Z"),
            t(6, "2024-01-03T00:00:00Z"),
        ]);
        assert_eq!(ids(&got), [5, 6]);
        assert_eq!(
            (s.tail.at, s.tail.ids.clone()),
            (parse_timestamp("2024-01-03T00:00:00Z", 0), vec![6])
        );
        assert!(s.advance(None).unwrap().is_none());
    }

    #[test]
    fn a_window_that_cannot_move_is_an_error() {
        let mut s = ListState::start("2024-01-02T00:00:00Z".into(), 100);
        s.page = LIST_PAGE_CAP - 1;
        s.take(vec![t(3, "2024-01-02T00:00:00Z")]);
        assert!(matches!(
            s.advance(Some("x".into())),
            Err(AdapterError::Protocol(_))
        ));
    }

    #[test]
    fn cursor_round_trips() {
        let s = State::List(ListState::start(EPOCH.into(), 30));
        assert_eq!(cursor::decode::<State>(&cursor::encode(&s)).unwrap(), s);
        let s = State::Search { page: 3 };
        assert_eq!(cursor::encode(&s), r#"{"mode":"search","page":3}"#);
    }

    #[test]
    fn filters_apply_client_side() {
        let groups = Groups([(7, "Billing".to_owned())].into_iter().collect());
        let q = TicketQuery {
            queues: vec![triage_adapter_sdk::EntityRef {
                id: None,
                name: Some("billing".into()),
            }],
            statuses: vec![StatusCategory::Open],
            updated_since: None,
            native: None,
            page_size: 100,
        };
        let f = Filter::from_query(&q, &groups).unwrap();
        assert!(f.keeps(&json!({"group_id": 7, "status": 2})));
        assert!(!f.keeps(&json!({"group_id": 7, "status": 4})));
        assert!(!f.keeps(&json!({"group_id": null, "status": 2})));
        let bad = TicketQuery {
            queues: vec![triage_adapter_sdk::EntityRef {
                id: None,
                name: Some("x".into()),
            }],
            ..q
        };
        assert!(matches!(
            Filter::from_query(&bad, &groups),
            Err(AdapterError::Validation(_))
        ));
    }
}
