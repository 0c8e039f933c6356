//! Finding tickets, one page per call.
//!
//! Without a native query: the cursor-based incremental export,
//! `GET /incremental/tickets/cursor.json?start_time=…` first and `?cursor=<after_cursor>`
//! after, until `end_of_stream`. It orders by the time of each ticket's last change and has
//! no depth limit, so a backlog of any size is read exactly once; a ticket changed during
//! the scan moves to the end and is read again there (correct for "new work": it changed).
//! `search.json` is not used for this: it stops at 1,000 results (422 past them).
//!
//! The export filters by nothing but time, so queue and status filters (and dropping the
//! deleted tickets it includes) are applied here, on each page: a page may come back empty
//! with a `next` cursor. It also leaves out the last minute of changes; those come with the
//! next poll, which the pipeline's watermark (`updated_since`) starts from.
//!
//! With a native query: `GET /search.json?query=type:ticket <native>` (100 per page), up to
//! the 1,000-result window and no further.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use triage_adapter_sdk::time::parse_timestamp;
use triage_adapter_sdk::{
    cursor, errors, http, AdapterError, AdapterResult, Page, StatusCategory, TicketQuery,
};

use crate::api;
use crate::map::{self, Groups};

/// Largest page of the export (Zendesk's default and maximum `per_page`).
pub const EXPORT_PAGE_MAX: u32 = 1000;
/// Page size when the query leaves it to the adapter.
pub const DEFAULT_PAGE: u32 = 100;
/// Search: results per page and the window no page may reach past.
pub const SEARCH_PAGE_SIZE: u32 = 100;
pub const SEARCH_WINDOW: u32 = 1000;

/// The cursor: where the scan stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum State {
    /// The export; `after` is Zendesk's `after_cursor` (`None`: the first page, from `start`).
    Export {
        start: i64,
        per_page: u32,
        after: Option<String>,
    },
    Search {
        page: u32,
    },
}

impl State {
    /// The export's URL for this state.
    pub fn export_url(start: i64, per_page: u32, after: Option<&str>) -> String {
        let from = match after {
            Some(c) => format!("cursor={}", http::encode(c)),
            None => format!("start_time={start}"),
        };
        format!("/incremental/tickets/cursor.json?{from}&per_page={per_page}&exclude_deleted=true")
    }
}

/// Where an export page leaves the scan: `None` at the end of the stream.
pub fn after_export(start: i64, per_page: u32, body: &Value) -> AdapterResult<Option<State>> {
    if body["end_of_stream"].as_bool().unwrap_or(true) {
        return Ok(None);
    }
    let after = body["after_cursor"].as_str().ok_or_else(|| {
        AdapterError::Protocol("an export page without end_of_stream has no after_cursor".into())
    })?;
    Ok(Some(State::Export {
        start,
        per_page,
        after: Some(after.to_owned()),
    }))
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
                errors::invalid("queues", format!("no Zendesk group matches {e:?}"))
            })?);
        }
        Ok(Self {
            group_ids,
            statuses: q.statuses.clone(),
            since: since(q)?,
        })
    }

    fn keeps(&self, v: &Value) -> bool {
        let group_ok = self.group_ids.is_empty()
            || v["group_id"]
                .as_u64()
                .is_some_and(|g| self.group_ids.contains(&g));
        let status_ok = v["status"]
            .as_str()
            .is_some_and(|s| map::status_matches(s, &self.statuses));
        let since_ok = self
            .since
            .is_none_or(|s| map::updated_secs(v).is_some_and(|at| at >= s));
        group_ok && status_ok && since_ok
    }
}

fn since(q: &TicketQuery) -> AdapterResult<Option<i64>> {
    q.updated_since
        .as_deref()
        .map(|t| {
            parse_timestamp(t, 0).ok_or_else(|| {
                errors::invalid("updated_since", format!("{t:?} is not a timestamp"))
            })
        })
        .transpose()
}

fn page_of(
    items: &[Value],
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
        None => State::Export {
            start: since(query)?.unwrap_or(0).max(0),
            per_page: triage_adapter_sdk::query::page_size(query, DEFAULT_PAGE, EXPORT_PAGE_MAX),
            after: None,
        },
    };
    match state {
        State::Export {
            start,
            per_page,
            after,
        } => {
            let body = api::get(&State::export_url(start, per_page, after.as_deref()))?;
            let items = body["tickets"].as_array().cloned().unwrap_or_default();
            let next = after_export(start, per_page, &body)?;
            page_of(&items, &filter, next, None)
        }
        State::Search { page } => {
            let native = native.ok_or_else(|| {
                AdapterError::Protocol("a search cursor needs the query's native text".into())
            })?;
            let body = api::get(&format!(
                "/search.json?query={}&page={page}&per_page={SEARCH_PAGE_SIZE}",
                http::encode(&format!("type:ticket {native}"))
            ))?;
            let total = body["count"].as_u64();
            let items = body["results"].as_array().cloned().unwrap_or_default();
            let within = (page + 1) * SEARCH_PAGE_SIZE <= SEARCH_WINDOW;
            let more = within && body["next_page"].is_string() && !items.is_empty();
            let next = more.then_some(State::Search { page: page + 1 });
            page_of(&items, &filter, next, total)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_export_follows_after_cursor_until_end_of_stream() {
        assert_eq!(
            State::export_url(0, 100, None),
            "/incremental/tickets/cursor.json?start_time=0&per_page=100&exclude_deleted=true"
        );
        assert!(State::export_url(0, 100, Some("MTU4=")).contains("cursor=MTU4%3D&"));
        let more = json!({"tickets": [], "after_cursor": "abc", "end_of_stream": false});
        assert_eq!(
            after_export(5, 10, &more).unwrap(),
            Some(State::Export {
                start: 5,
                per_page: 10,
                after: Some("abc".into())
            })
        );
        let end = json!({"tickets": [], "after_cursor": "abc", "end_of_stream": true});
        assert_eq!(after_export(5, 10, &end).unwrap(), None);
        let broken = json!({"tickets": [], "end_of_stream": false});
        assert!(after_export(5, 10, &broken).is_err());
    }

    #[test]
    fn cursor_round_trips() {
        let s = State::Export {
            start: 0,
            per_page: 30,
            after: None,
        };
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
        assert!(f.keeps(&json!({"group_id": 7, "status": "open"})));
        assert!(!f.keeps(&json!({"group_id": 7, "status": "solved"})));
        assert!(!f.keeps(&json!({"group_id": null, "status": "open"})));
        let all = Filter::from_query(
            &TicketQuery {
                queues: vec![],
                statuses: vec![],
                ..q.clone()
            },
            &groups,
        )
        .unwrap();
        assert!(
            !all.keeps(&json!({"status": "deleted"})),
            "deleted tickets never show"
        );
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
