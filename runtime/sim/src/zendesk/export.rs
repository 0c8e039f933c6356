//! `GET /api/v2/incremental/tickets/cursor.json`: the cursor-based incremental ticket export,
//! the way to list new work without `search.json`'s 1,000-result window.
//!
//! Behaviour (Zendesk's "Incremental Exports" reference and guide):
//! - the first request gives `start_time` (Unix seconds, inclusive), later ones the
//!   `cursor` from the previous reply's `after_cursor` (or follow `after_url`);
//! - tickets come in `generated_timestamp` order (ties by id); a ticket changed during a scan
//!   moves to the end, where a later page or the next poll finds it again;
//! - tickets changed within `export_lag` (one minute) before the request are left out;
//! - `end_of_stream: true` once the reply reaches that cut-off; `after_cursor` is still
//!   given, to poll from later;
//! - deleted tickets are included with `status: "deleted"` unless `exclude_deleted=true`;
//! - `per_page` defaults to and is at most 1,000 (`[U]`: more is refused with 400).

use std::ops::Bound;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::render;
use super::store::Store;
use crate::freshdesk::auth::{base64_decode, base64_encode};

/// Largest and default `per_page`.
pub const EXPORT_PAGE_MAX: usize = 1000;

/// The export's parameters as sent.
#[derive(Debug, Default)]
pub(crate) struct ExportParams {
    pub start_time: Option<String>,
    pub cursor: Option<String>,
    pub per_page: Option<String>,
    pub exclude_deleted: bool,
}

impl ExportParams {
    pub fn parse(query: Option<&str>) -> Self {
        let mut p = Self::default();
        for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            match k.as_ref() {
                "start_time" => p.start_time = Some(v.into_owned()),
                "cursor" => p.cursor = Some(v.into_owned()),
                "per_page" => p.per_page = Some(v.into_owned()),
                "exclude_deleted" => p.exclude_deleted = v == "true",
                _ => {}
            }
        }
        p
    }
}

/// A position in the export order: the first `(generated_timestamp, id)` not yet returned.
fn encode(key: (i64, u64)) -> String {
    base64_encode(format!("{}.{}", key.0, key.1).as_bytes())
}

fn decode(cursor: &str) -> Option<(i64, u64)> {
    let text = String::from_utf8(base64_decode(cursor)?).ok()?;
    let (ts, id) = text.split_once('.')?;
    Some((ts.parse().ok()?, id.parse().ok()?))
}

/// One page of the export, as of `now`.
pub(crate) fn page(
    store: &Store,
    params: &ExportParams,
    now: DateTime<Utc>,
    lag: std::time::Duration,
    base_url: &str,
) -> Result<Value, ApiError> {
    let from = match (&params.cursor, &params.start_time) {
        (Some(c), _) => decode(c).ok_or_else(|| {
            ApiError::BadRequest(format!("cursor {c:?} is not a valid export cursor"))
        })?,
        (None, Some(t)) => {
            let secs: i64 = t.trim().parse().map_err(|_| {
                ApiError::BadRequest(format!(
                    "start_time must be a Unix time in seconds, not {t:?}"
                ))
            })?;
            (secs.max(0), 0)
        }
        (None, None) => {
            return Err(ApiError::BadRequest(
                "start_time or cursor is required".into(),
            ));
        }
    };
    let per_page = match &params.per_page {
        None => EXPORT_PAGE_MAX,
        Some(n) => match n.trim().parse::<usize>() {
            Ok(n @ 1..=EXPORT_PAGE_MAX) => n,
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "per_page must be between 1 and {EXPORT_PAGE_MAX}, not {n:?}"
                )));
            }
        },
    };
    let cutoff = (now - chrono::Duration::from_std(lag).unwrap_or_default()).timestamp();
    let mut range = store
        .by_stamp
        .range((Bound::Included(from), Bound::Unbounded))
        .take_while(|(ts, _)| *ts <= cutoff)
        .peekable();
    let mut tickets = Vec::new();
    let mut next = from;
    let mut first = None;
    while tickets.len() < per_page {
        let Some(&(ts, id)) = range.next() else {
            break;
        };
        next = (ts, id + 1);
        first.get_or_insert((ts, id));
        let Some(t) = store.tickets.get(&id) else {
            continue;
        };
        if t.deleted && params.exclude_deleted {
            continue;
        }
        tickets.push(render::ticket(base_url, t, true));
    }
    let end_of_stream = range.peek().is_none();
    let url = |key| {
        format!(
            "{base_url}/api/v2/incremental/tickets/cursor.json?cursor={}",
            encode(key)
        )
    };
    Ok(json!({
        "tickets": tickets,
        "after_url": url(next),
        "after_cursor": encode(next),
        "before_url": first.map(url),
        "before_cursor": first.map(encode),
        "end_of_stream": end_of_stream,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zendesk::config::SimConfig;
    use crate::zendesk::model::Ticket;

    fn store(stamps: &[i64]) -> Store {
        let mut s = Store::new(&SimConfig::default(), Utc::now()).unwrap();
        for (i, ts) in stamps.iter().enumerate() {
            let at = DateTime::from_timestamp(*ts, 0).unwrap();
            s.insert_ticket(Ticket {
                id: i as u64 + 1,
                subject: "s".into(),
                description: "d".into(),
                status: "open".into(),
                priority: None,
                ticket_type: None,
                group_id: None,
                assignee_id: None,
                requester_id: 1,
                tags: vec![],
                custom_fields: Default::default(),
                deleted: i == 1,
                created_at: at,
                updated_at: at,
                generated_timestamp: *ts,
            });
        }
        s
    }

    fn ids(v: &Value) -> Vec<u64> {
        v["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_u64().unwrap())
            .collect()
    }

    #[test]
    fn pages_in_stamp_order_up_to_the_cutoff() {
        let s = store(&[100, 100, 50, 200, 10_000]);
        let now = DateTime::from_timestamp(10_030, 0).unwrap();
        let lag = std::time::Duration::from_secs(60);
        let p = ExportParams::parse(Some("start_time=60&per_page=2"));
        let first = page(&s, &p, now, lag, "http://h").unwrap();
        assert_eq!(ids(&first), [1, 2]);
        assert_eq!(first["tickets"][1]["status"], "deleted");
        assert_eq!(first["end_of_stream"], false);
        let cursor = first["after_cursor"].as_str().unwrap();
        let p = ExportParams::parse(Some(&format!("cursor={cursor}&exclude_deleted=true")));
        let second = page(&s, &p, now, lag, "http://h").unwrap();
        // Ticket 5 changed within the last minute: not yet.
        assert_eq!(ids(&second), [4]);
        assert_eq!(second["end_of_stream"], true);
        assert!(page(&s, &ExportParams::default(), now, lag, "http://h").is_err());
        let huge = ExportParams::parse(Some("start_time=0&per_page=1001"));
        assert!(page(&s, &huge, now, lag, "http://h").is_err());
    }
}
