//! `GET /projects/:id/issues` and the offset paging every GitLab list shares.
//!
//! Behaviour (GitLab "Issues API" and "REST API pagination" docs):
//! - filters: `state` (`opened`, `closed`, `all`: the default), `labels` (comma separated,
//!   an issue must carry every one), `search` (in title and description), `updated_after` /
//!   `updated_before` (ISO 8601, inclusive), `iids[]`;
//! - `order_by` `created_at` (default) or `updated_at`, `sort` `desc` (default) or `asc`;
//!   ties are broken by id, so a listing is a total order;
//! - `per_page` defaults to 20 and is at most 100 (more is cut to 100), `page` from 1;
//! - replies carry `X-Page`, `X-Per-Page`, `X-Prev-Page`, `X-Next-Page` (empty on the last
//!   page), `X-Total`, `X-Total-Pages` and a `Link` header with `first`/`prev`/`next`/`last`;
//!   above 10,000 matches `X-Total`, `X-Total-Pages` and `rel="last"` are left out, as GitLab
//!   does for performance;
//! - an issue changed during a scan moves in an `updated_at` order, so offset pages shift:
//!   clients must not rely on page numbers across changes (the adapter restarts its window
//!   at the newest `updated_at` it returned).

use axum::http::{HeaderMap, HeaderValue};
use chrono::{DateTime, Utc};

use super::api_error::ApiError;
use super::model::Issue;
use super::store::Store;
use crate::freshdesk::parse_time;

/// Largest `per_page`.
pub const PER_PAGE_MAX: usize = 100;
/// Default `per_page`.
pub const PER_PAGE_DEFAULT: usize = 20;
/// Above this many matches the totals are not counted.
pub const TOTAL_COUNT_LIMIT: usize = 10_000;

pub(crate) type Params = Vec<(String, String)>;

pub(crate) fn params(raw: Option<&str>) -> Params {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn get<'a>(p: &'a Params, key: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// `page` and `per_page` as GitLab reads them: bad or missing values take the defaults.
pub(crate) fn paging(p: &Params) -> (usize, usize) {
    let page = get(p, "page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let per_page = get(p, "per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(PER_PAGE_DEFAULT)
        .clamp(1, PER_PAGE_MAX);
    (page, per_page)
}

fn time(p: &Params, key: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    get(p, key)
        .map(|v| parse_time(v).ok_or_else(|| ApiError::BadParam(format!("{key} is invalid"))))
        .transpose()
}

/// One page of `items`, with GitLab's paging headers for `url` (the request's path and
/// query, without `page`).
pub(crate) fn page_of<T: Clone>(
    items: &[T],
    p: &Params,
    url: &str,
    headers: &mut HeaderMap,
) -> Vec<T> {
    let (page, per_page) = paging(p);
    let total = items.len();
    let pages = total.div_ceil(per_page).max(1);
    let slice: Vec<T> = items
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .cloned()
        .collect();
    let next = (page < pages).then_some(page + 1);
    let prev = (page > 1).then(|| (page - 1).min(pages));
    let opt = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    let counted = total <= TOTAL_COUNT_LIMIT;
    let mut put = |name: &'static str, v: String| {
        if let Ok(v) = HeaderValue::from_str(&v) {
            headers.insert(name, v);
        }
    };
    put("x-page", page.to_string());
    put("x-per-page", per_page.to_string());
    put("x-next-page", opt(next));
    put("x-prev-page", opt(prev));
    if counted {
        put("x-total", total.to_string());
        put("x-total-pages", pages.to_string());
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    let link =
        |n: usize, rel: &str| format!("<{url}{sep}page={n}&per_page={per_page}>; rel=\"{rel}\"");
    let mut links = Vec::new();
    if let Some(n) = prev {
        links.push(link(n, "prev"));
    }
    if let Some(n) = next {
        links.push(link(n, "next"));
    }
    links.push(link(1, "first"));
    if counted {
        links.push(link(pages, "last"));
    }
    put("link", links.join(", "));
    slice
}

/// The issues matching the list parameters, in the order asked for.
pub(crate) fn issues<'a>(store: &'a Store, p: &Params) -> Result<Vec<&'a Issue>, ApiError> {
    let state = get(p, "state").unwrap_or("all");
    if !matches!(state, "opened" | "closed" | "all") {
        return Err(ApiError::BadParam(
            "state does not have a valid value".into(),
        ));
    }
    let labels: Vec<&str> = get(p, "labels")
        .map(|l| {
            l.split(',')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let search = get(p, "search").map(str::to_lowercase);
    let after = time(p, "updated_after")?;
    let before = time(p, "updated_before")?;
    let iids: Vec<u64> = p
        .iter()
        .filter(|(k, _)| k == "iids[]")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let order_by = get(p, "order_by").unwrap_or("created_at");
    let asc = match get(p, "sort").unwrap_or("desc") {
        "asc" => true,
        "desc" => false,
        _ => {
            return Err(ApiError::BadParam(
                "sort does not have a valid value".into(),
            ));
        }
    };
    let keep = |i: &Issue| {
        (state == "all" || i.state == state)
            && labels.iter().all(|l| i.labels.iter().any(|x| x == l))
            && search.as_ref().is_none_or(|s| {
                i.title.to_lowercase().contains(s) || i.description.to_lowercase().contains(s)
            })
            && after.is_none_or(|a| i.updated_at >= a)
            && before.is_none_or(|b| i.updated_at <= b)
            && (iids.is_empty() || iids.contains(&i.iid))
    };
    let mut list: Vec<&Issue> = match order_by {
        "updated_at" => store
            .by_updated
            .iter()
            .filter_map(|(_, iid)| store.issues.get(iid))
            .filter(|i| keep(i))
            .collect(),
        "created_at" => {
            let mut l: Vec<&Issue> = store.issues.values().filter(|i| keep(i)).collect();
            l.sort_by_key(|i| (i.created_at, i.id));
            l
        }
        _ => {
            return Err(ApiError::BadParam(
                "order_by does not have a valid value".into(),
            ));
        }
    };
    if !asc {
        list.reverse();
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gitlab::config::SimConfig;

    fn store(stamps: &[i64]) -> Store {
        let mut s = Store::new(&SimConfig::default()).unwrap();
        for (n, ts) in stamps.iter().enumerate() {
            let at = DateTime::from_timestamp(*ts, 0).unwrap();
            s.insert_issue(Issue {
                id: 0,
                iid: n as u64 + 1,
                title: format!("t{n}"),
                description: String::new(),
                state: if n == 2 { "closed" } else { "opened" }.into(),
                labels: vec!["queue::Billing and Payments".into()],
                author_id: 1,
                service_desk_reply_to: None,
                confidential: false,
                weight: None,
                due_date: None,
                created_at: at,
                updated_at: at,
                closed_at: None,
            });
        }
        s
    }

    #[test]
    fn updated_order_with_inclusive_bounds_and_paging_headers() {
        let s = store(&[300, 100, 100, 200]);
        let p = params(Some(
            "order_by=updated_at&sort=asc&updated_after=1970-01-01T00:01:40Z&per_page=2",
        ));
        let all: Vec<u64> = issues(&s, &p).unwrap().iter().map(|i| i.iid).collect();
        assert_eq!(all, [2, 3, 4, 1]);
        let mut h = HeaderMap::new();
        let first = page_of(&all, &p, "http://h/x?a=1", &mut h);
        assert_eq!(first, [2, 3]);
        assert_eq!(h["x-next-page"], "2");
        assert_eq!(h["x-total"], "4");
        assert!(
            h["link"]
                .to_str()
                .unwrap()
                .contains("<http://h/x?a=1&page=2&per_page=2>; rel=\"next\"")
        );
        let p2 = params(Some("page=2&per_page=2"));
        let mut h = HeaderMap::new();
        assert_eq!(page_of(&all, &p2, "http://h/x", &mut h), [4, 1]);
        assert_eq!(h["x-next-page"], "");
        let opened = params(Some("state=opened&labels=queue::Billing and Payments"));
        assert_eq!(issues(&s, &opened).unwrap().len(), 3);
        let bad = params(Some("updated_after=yesterday"));
        assert_eq!(
            issues(&s, &bad).unwrap_err(),
            ApiError::BadParam("updated_after is invalid".into())
        );
    }

    #[test]
    fn totals_are_left_out_past_ten_thousand() {
        let items: Vec<u32> = (0..10_001).collect();
        let mut h = HeaderMap::new();
        page_of(&items, &params(Some("per_page=100")), "http://h/x", &mut h);
        assert!(h.get("x-total").is_none());
        assert_eq!(h["x-next-page"], "2");
        assert!(!h["link"].to_str().unwrap().contains("rel=\"last\""));
    }
}
