//! Finding issues, one page per call.
//!
//! `GET /projects/:id/issues?order_by=updated_at&sort=asc&updated_after=T&per_page=N&page=K`.
//! GitLab pages issues by offset only (keyset pagination is not offered for project issues),
//! and an offset scan over `updated_at` shifts when an issue changes during it: an issue
//! moved from an earlier page to the end pushes every later issue back by one, and offset
//! paging would skip one. So the adapter slides a window instead, as the Freshdesk adapter
//! does: each call asks for page 1 of `updated_after = newest updated_at returned so far`
//! (inclusive), and [`Tail`] drops the issues of that exact millisecond already returned.
//! Only when a whole page is one millisecond (more ties than a page) does it step to page 2,
//! 3, … of the same window. The scan ends when a reply has no `X-Next-Page` (or `Link`
//! `rel="next"`).
//!
//! Server-side filters: `state` when the statuses asked for are all open or all closed, and
//! `labels=<queue label>` for a single queue. The rest (several queues, mixed statuses) is
//! filtered here, so a page may come back empty with a `next` cursor.
//!
//! A native query is GitLab's own list parameters (`search=printer&labels=bug`), appended to
//! the request as written (values URL-encoded by whoever writes them); the paging and
//! ordering parameters stay the adapter's.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use triage_adapter_sdk::paging::Tail;
use triage_adapter_sdk::{cursor, errors, http, AdapterResult, Page, StatusCategory, TicketQuery};

use crate::api;
use crate::map::{self, Prefixes};

/// GitLab's largest `per_page`.
pub const PAGE_MAX: u32 = 100;
/// Page size when the query leaves it to the adapter.
pub const DEFAULT_PAGE: u32 = 100;
/// Parameters a native query may not set: the scan's own.
const RESERVED: [&str; 6] = [
    "page",
    "per_page",
    "order_by",
    "sort",
    "updated_after",
    "pagination",
];

/// The cursor: the window's start (ms; `None` before the first page when the query has no
/// `updated_since`), the page within it, and the tail of what was returned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub since: Option<i64>,
    pub page: u32,
    pub per_page: u32,
    #[serde(flatten)]
    pub tail: Tail,
}

/// What the query asks for, as request parameters and a client-side filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// The queue labels wanted (any of them).
    pub queue_labels: Vec<String>,
    pub statuses: Vec<StatusCategory>,
    /// Extra request parameters: `state`, `labels`, the native text.
    pub params: String,
    /// `updated_since` in ms.
    pub since: Option<i64>,
}

fn wants_open(s: &StatusCategory) -> bool {
    matches!(
        s,
        StatusCategory::New | StatusCategory::Open | StatusCategory::Pending
    )
}

impl Filter {
    pub fn from_query(
        q: &TicketQuery,
        p: &Prefixes,
        labels: &dyn Fn(bool) -> AdapterResult<Vec<String>>,
    ) -> AdapterResult<Self> {
        let mut queue_labels = Vec::new();
        for e in &q.queues {
            let found = match map::resolve(e, &p.queue, &labels(false)?) {
                Some(l) => Some(l),
                None => map::resolve(e, &p.queue, &labels(true)?),
            };
            queue_labels.push(found.ok_or_else(|| {
                errors::invalid(
                    "queues",
                    format!("no GitLab label {}… matches {e:?}", p.queue),
                )
            })?);
        }
        let mut params = String::new();
        let open = q.statuses.iter().filter(|s| wants_open(s)).count();
        let closed = q
            .statuses
            .iter()
            .filter(|s| matches!(s, StatusCategory::Resolved | StatusCategory::Closed))
            .count();
        match (open, closed) {
            (o, 0) if o > 0 => params.push_str("&state=opened"),
            (0, c) if c > 0 => params.push_str("&state=closed"),
            _ => {}
        }
        if let [one] = queue_labels.as_slice() {
            params.push_str(&format!("&labels={}", http::encode(one)));
        }
        if let Some(native) = triage_adapter_sdk::query::native(q) {
            for pair in native.trim_start_matches(['?', '&']).split('&') {
                let key = pair.split('=').next().unwrap_or_default();
                if RESERVED.contains(&key) {
                    return Err(errors::invalid(
                        "native",
                        format!("{key:?} is set by the adapter's scan; leave it out of the native query"),
                    ));
                }
            }
            params.push('&');
            params.push_str(native.trim_start_matches(['?', '&']));
        }
        let since = q
            .updated_since
            .as_deref()
            .map(|t| {
                map::millis(t).ok_or_else(|| {
                    errors::invalid("updated_since", format!("{t:?} is not a timestamp"))
                })
            })
            .transpose()?;
        Ok(Self {
            queue_labels,
            statuses: q.statuses.clone(),
            params,
            since,
        })
    }

    /// Whether an issue passes what the request could not filter.
    pub fn keeps(&self, v: &Value) -> bool {
        let labels = map::labels(v);
        let queue_ok =
            self.queue_labels.is_empty() || self.queue_labels.iter().any(|q| labels.contains(q));
        let state = v["state"].as_str().unwrap_or_default();
        let status_ok = self.statuses.is_empty()
            || self.statuses.contains(&map::status_category(state))
            || (state == "opened" && self.statuses.iter().any(wants_open))
            || (state == "closed" && self.statuses.contains(&StatusCategory::Resolved));
        queue_ok && status_ok
    }
}

/// The request for one state of the scan.
pub fn list_url(state: &State, filter: &Filter) -> String {
    let mut url = format!(
        "/issues?order_by=updated_at&sort=asc&per_page={}&page={}",
        state.per_page, state.page
    );
    if let Some(since) = state.since {
        url.push_str(&format!(
            "&updated_after={}",
            http::encode(&map::format_millis(since))
        ));
    }
    url.push_str(&filter.params);
    url
}

/// Takes a page's issues into the scan: the ones not returned yet, and the next state
/// (`None` at the end).
pub fn advance(mut state: State, items: Vec<Value>, more: bool) -> (Vec<Value>, Option<State>) {
    let fresh = state.tail.take(items, |v| {
        Some((v["iid"].as_u64()?, map::millis(v["updated_at"].as_str()?)?))
    });
    if !more {
        return (fresh, None);
    }
    // `None` orders before any time: the first page always starts a window.
    let next = if state.tail.at > state.since {
        State {
            since: state.tail.at,
            page: 1,
            ..state
        }
    } else {
        State {
            page: state.page + 1,
            ..state
        }
    };
    (fresh, Some(next))
}

/// One page for `query`, continuing from `cursor`.
pub fn find(query: &TicketQuery, cursor: Option<&str>) -> AdapterResult<Page> {
    let prefixes = Prefixes::from_config();
    let filter = Filter::from_query(query, &prefixes, &api::labels)?;
    let state = match cursor {
        Some(c) => cursor::decode(c)?,
        None => State {
            since: filter.since,
            page: 1,
            per_page: triage_adapter_sdk::query::page_size(query, DEFAULT_PAGE, PAGE_MAX),
            tail: Tail::default(),
        },
    };
    let reply = api::get(&list_url(&state, &filter))?;
    let more = api::has_next(&reply);
    let total = (state.since == filter.since && state.page == 1)
        .then(|| reply.header("x-total").and_then(|t| t.trim().parse().ok()))
        .flatten();
    let items: Vec<Value> = match reply.json::<Value>()? {
        Value::Array(a) => a,
        other => {
            return Err(triage_adapter_sdk::AdapterError::Protocol(format!(
                "the issue list is not a JSON array: {}",
                errors::snippet(other.to_string().as_bytes())
            )))
        }
    };
    let (fresh, next) = advance(state, items, more);
    let tickets = fresh
        .iter()
        .filter(|v| filter.keeps(v))
        .map(|v| map::ticket_from(v, &prefixes))
        .collect::<AdapterResult<Vec<_>>>()?;
    Ok(Page {
        tickets,
        next: next.as_ref().map(cursor::encode),
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn issue(iid: u64, ms: i64) -> Value {
        json!({"iid": iid, "updated_at": map::format_millis(ms), "state": "opened", "labels": []})
    }

    fn iids(v: &[Value]) -> Vec<u64> {
        v.iter().map(|i| i["iid"].as_u64().unwrap()).collect()
    }

    #[test]
    fn the_window_slides_to_the_newest_time_and_steps_through_ties() {
        let start = State {
            since: None,
            page: 1,
            per_page: 3,
            tail: Tail::default(),
        };
        let (got, next) = advance(start, vec![issue(1, 10), issue(2, 20), issue(3, 20)], true);
        assert_eq!(iids(&got), [1, 2, 3]);
        let next = next.unwrap();
        assert_eq!((next.since, next.page), (Some(20), 1));
        // The new window repeats 2 and 3 (same millisecond) and moves on.
        let (got, next) = advance(next, vec![issue(2, 20), issue(3, 20), issue(4, 30)], true);
        assert_eq!(iids(&got), [4]);
        let next = next.unwrap();
        assert_eq!((next.since, next.page), (Some(30), 1));
        // A page all of one millisecond: the next page of the same window.
        let (got, next) = advance(next, vec![issue(4, 30), issue(5, 30), issue(6, 30)], true);
        assert_eq!(iids(&got), [5, 6]);
        let next = next.unwrap();
        assert_eq!((next.since, next.page), (Some(30), 2));
        let (got, next) = advance(next, vec![issue(7, 30)], false);
        assert_eq!(iids(&got), [7]);
        assert!(next.is_none());
    }

    #[test]
    fn filters_become_parameters_where_gitlab_can_apply_them() {
        let labels = |_: bool| Ok(vec!["queue::Billing".to_owned(), "queue::Sales".to_owned()]);
        let p = Prefixes::default();
        let mut q = triage_adapter_sdk::query::all(50);
        q.queues = vec![EntityRef {
            id: None,
            name: Some("billing".into()),
        }];
        q.statuses = vec![StatusCategory::Open];
        let f = Filter::from_query(&q, &p, &labels).unwrap();
        assert_eq!(f.params, "&state=opened&labels=queue%3A%3ABilling");
        assert!(f.keeps(&json!({"state": "opened", "labels": ["queue::Billing"]})));
        assert!(!f.keeps(&json!({"state": "closed", "labels": ["queue::Billing"]})));
        q.queues.push(EntityRef {
            id: Some("queue::Sales".into()),
            name: None,
        });
        q.statuses = vec![StatusCategory::Open, StatusCategory::Closed];
        q.native = Some("search=refund".into());
        let f = Filter::from_query(&q, &p, &labels).unwrap();
        assert_eq!(f.params, "&search=refund");
        assert!(f.keeps(&json!({"state": "closed", "labels": ["queue::Sales"]})));
        assert!(!f.keeps(&json!({"state": "opened", "labels": ["bug"]})));
        let s = State {
            since: Some(1_000),
            page: 2,
            per_page: 50,
            tail: Tail::default(),
        };
        assert_eq!(
            list_url(&s, &f),
            "/issues?order_by=updated_at&sort=asc&per_page=50&page=2&updated_after=1970-01-01T00%3A00%3A01.000Z&search=refund"
        );
        q.queues = vec![EntityRef {
            id: None,
            name: Some("Nowhere".into()),
        }];
        assert!(matches!(
            Filter::from_query(&q, &p, &labels),
            Err(AdapterError::Validation(_))
        ));
        q.queues.clear();
        q.native = Some("page=3".into());
        assert!(matches!(
            Filter::from_query(&q, &p, &labels),
            Err(AdapterError::Validation(_))
        ));
    }

    use triage_adapter_sdk::{AdapterError, EntityRef};
}
