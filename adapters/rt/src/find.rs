//! Finding tickets: one TicketSQL search per page, `GET /tickets?query=…&orderby=id`.
//!
//! Paging is by id (keyset), not by page number: every request asks for `page=1` of
//! `… AND id > <last id returned>`, `per_page` up to 100. An update during a scan never
//! shifts a ticket onto a page already read (a ticket moved out of a queue filter would,
//! with page numbers), and new tickets simply come last. The cursor is `{"after": id}`.
//! `total` is RT's count for the first page's query (later pages' counts only cover what
//! is left, and with `updated-since` RT counts a wider window, so those are not reported).
//!
//! The query's parts are joined with `AND`: the native TicketSQL in parentheses, the
//! queues (`Queue = 'Name'` or `Queue = 7`, checked to exist on the first page: RT
//! answers an unknown queue with no tickets, not an error), the statuses (per
//! [`Statuses`]) and `updated-since`. RT reads a date in TicketSQL in the searching
//! user's time zone, which the adapter cannot know, so the date sent is 14 hours earlier
//! (the largest zone offset) and the exact instant is applied to each page here; a page
//! can therefore come back short, with a `next` cursor.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use triage_adapter_sdk::errors::invalid;
use triage_adapter_sdk::time::{format_timestamp, parse_timestamp};
use triage_adapter_sdk::{
    cursor, http, AdapterError, AdapterResult, EntityRef, Page, StatusCategory, TicketQuery,
};

use crate::settings::{Statuses, MAX_PAGE_SIZE};
use crate::{api, body, map, queue};

/// Fields every search asks for.
pub const FIELDS: &str =
    "Subject,Status,Queue,Priority,CustomFields,Created,LastUpdated,Owner,Requestor";

/// Widening of `updated-since` for RT's zone-less date parsing (UTC+14 is the extreme).
const ZONE_SLACK_SECS: i64 = 14 * 3600;

/// The cursor: the last id returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub after: u64,
}

/// A TicketSQL string literal.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn queue_clause(e: &EntityRef) -> Option<String> {
    match (&e.id, &e.name) {
        (Some(id), _) if id.trim().parse::<u64>().is_ok() => Some(format!("Queue = {}", id.trim())),
        (_, Some(name)) => Some(format!("Queue = {}", quote(name))),
        _ => None,
    }
}

fn status_clause(cats: &[StatusCategory], statuses: &Statuses) -> Option<String> {
    if cats.is_empty() {
        return None;
    }
    let mut any = Vec::new();
    for cat in cats {
        if *cat == StatusCategory::Other {
            let named: Vec<String> = statuses
                .all_named()
                .map(|s| format!("Status != {}", quote(s)))
                .collect();
            any.push(format!("({})", named.join(" AND ")));
        } else {
            any.extend(
                statuses
                    .names(*cat)
                    .iter()
                    .map(|s| format!("Status = {}", quote(s))),
            );
        }
    }
    Some(if any.is_empty() {
        // A category with no RT status matches nothing.
        "id < 0".to_owned()
    } else {
        format!("({})", any.join(" OR "))
    })
}

/// TicketSQL for `query` after ticket `after`.
pub fn ticket_sql(query: &TicketQuery, statuses: &Statuses, after: u64) -> AdapterResult<String> {
    let mut parts = Vec::new();
    if let Some(native) = triage_adapter_sdk::query::native(query) {
        parts.push(format!("({native})"));
    }
    if !query.queues.is_empty() {
        let qs: Vec<String> = query.queues.iter().filter_map(queue_clause).collect();
        if qs.len() != query.queues.len() {
            return Err(invalid("queues", "a queue needs an id or a name".into()));
        }
        parts.push(format!("({})", qs.join(" OR ")));
    }
    if let Some(s) = status_clause(&query.statuses, statuses) {
        parts.push(s);
    }
    if let Some(since) = &query.updated_since {
        let secs = since_secs(since)?;
        // RT's own format, read in the user's zone: see the module docs.
        let at = format_timestamp(secs - ZONE_SLACK_SECS)
            .replace('T', " ")
            .trim_end_matches('Z')
            .to_owned();
        parts.push(format!("LastUpdated >= {}", quote(&at)));
    }
    parts.push(format!("id > {after}"));
    Ok(parts.join(" AND "))
}

fn since_secs(since: &str) -> AdapterResult<i64> {
    parse_timestamp(since, 0).ok_or_else(|| {
        invalid(
            "updated_since",
            format!("{since:?} is not an RFC 3339 time"),
        )
    })
}

/// A TicketSQL error names the query.
fn about_query(e: AdapterError) -> AdapterError {
    match e {
        AdapterError::Validation(mut fields) => {
            for f in &mut fields {
                if f.field.is_empty() {
                    f.field = "native".into();
                }
            }
            AdapterError::Validation(fields)
        }
        other => other,
    }
}

/// One page for `query`, continuing from `cursor`.
pub fn find(query: &TicketQuery, cursor: Option<&str>) -> AdapterResult<Page> {
    let cx = crate::Settings::load()?;
    let state: State = match cursor {
        Some(c) => cursor::decode(c)?,
        None => {
            for q in &query.queues {
                queue::resolve(q).map_err(|e| match e {
                    AdapterError::Validation(mut f) => {
                        f.iter_mut().for_each(|f| f.field = "queues".into());
                        AdapterError::Validation(f)
                    }
                    other => other,
                })?;
            }
            State { after: 0 }
        }
    };
    let per_page = triage_adapter_sdk::query::page_size(query, MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    let sql = ticket_sql(query, &cx.statuses, state.after)?;
    let path = format!(
        "/tickets?query={}&orderby=id&order=ASC&page=1&per_page={per_page}&fields={FIELDS}&fields%5BQueue%5D=Name",
        http::encode(&sql)
    );
    let reply = api::get(&path).map_err(about_query)?;
    let (items, total) = api::items(&reply)?;
    let last = items.iter().filter_map(map::ticket_id).max();
    let more = match (total, last) {
        (_, None) => false,
        (Some(t), _) => t > items.len() as u64,
        (None, _) => items.len() as u64 >= u64::from(per_page),
    };
    let since = query.updated_since.as_deref().map(since_secs).transpose()?;
    let kept: Vec<&Value> = items
        .iter()
        .filter(|v| {
            since.is_none_or(|s| {
                v["LastUpdated"]
                    .as_str()
                    .and_then(|t| parse_timestamp(t, 0))
                    .is_some_and(|at| at >= s)
            })
        })
        .collect();
    let ids: Vec<u64> = kept.iter().filter_map(|v| map::ticket_id(v)).collect();
    let mut bodies = if cx.bodies {
        body::bodies(&ids)?
    } else {
        Default::default()
    };
    let tickets = kept
        .into_iter()
        .map(|v| {
            let mut t = map::ticket_from(v, &cx.map_context(), None)?;
            if let Some(b) = map::ticket_id(v).and_then(|id| bodies.remove(&id)) {
                t.body_text = b.text;
                t.body_html = b.html;
            }
            Ok(t)
        })
        .collect::<AdapterResult<Vec<_>>>()?;
    Ok(Page {
        tickets,
        next: more
            .then(|| last.map(|after| cursor::encode(&State { after })))
            .flatten(),
        // With `updated-since` RT counted the widened window: not the answer's size.
        total: if cursor.is_none() && since.is_none() {
            total
        } else {
            None
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> TicketQuery {
        triage_adapter_sdk::query::all(100)
    }

    #[test]
    fn an_empty_query_lists_everything_by_id() {
        let s = Statuses::from_settings(|_| None);
        assert_eq!(ticket_sql(&q(), &s, 0).unwrap(), "id > 0");
        assert_eq!(ticket_sql(&q(), &s, 250).unwrap(), "id > 250");
    }

    #[test]
    fn parts_are_joined_with_and() {
        let s = Statuses::from_settings(|_| None);
        let query = TicketQuery {
            queues: vec![
                EntityRef {
                    id: None,
                    name: Some("O'Brien's".into()),
                },
                EntityRef {
                    id: Some("7".into()),
                    name: None,
                },
            ],
            statuses: vec![StatusCategory::New, StatusCategory::Pending],
            updated_since: Some("2024-05-02T10:00:00Z".into()),
            native: Some("Requestor.EmailAddress LIKE 'example.com'".into()),
            page_size: 10,
        };
        assert_eq!(
            ticket_sql(&query, &s, 12).unwrap(),
            "(Requestor.EmailAddress LIKE 'example.com') AND (Queue = 'O\\'Brien\\'s' OR Queue = 7) \
             AND (Status = 'new' OR Status = 'stalled') AND LastUpdated >= '2024-05-01 20:00:00' AND id > 12"
        );
    }

    #[test]
    fn other_means_no_named_status() {
        let s = Statuses::from_settings(|_| None);
        let query = TicketQuery {
            statuses: vec![StatusCategory::Other],
            ..q()
        };
        assert_eq!(
            ticket_sql(&query, &s, 0).unwrap(),
            "((Status != 'new' AND Status != 'open' AND Status != 'stalled' AND Status != 'resolved' \
             AND Status != 'rejected')) AND id > 0"
        );
    }

    #[test]
    fn bad_input_is_validation() {
        let s = Statuses::from_settings(|_| None);
        let bad_time = TicketQuery {
            updated_since: Some("yesterday".into()),
            ..q()
        };
        assert!(matches!(
            ticket_sql(&bad_time, &s, 0),
            Err(AdapterError::Validation(f)) if f[0].field == "updated_since"
        ));
        let nameless = TicketQuery {
            queues: vec![EntityRef {
                id: None,
                name: None,
            }],
            ..q()
        };
        assert!(ticket_sql(&nameless, &s, 0).is_err());
    }

    #[test]
    fn cursor_is_small() {
        assert_eq!(cursor::encode(&State { after: 250 }), r#"{"after":250}"#);
    }
}
