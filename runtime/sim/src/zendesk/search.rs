//! `GET /api/v2/search.json`: Zendesk's search, reduced to what ticket queries use.
//!
//! The window is the trap: at most 100 results a page, and no page reaching past the 1,000th
//! result (`page * per_page > 1000` answers 422), though `count` and `next_page` still tell of
//! every match. Adapters must not list new work through it.
//!
//! Query terms (space separated, `"…"` quotes a value): `type:ticket`, `status` (`:`, `<`,
//! `>`, in workflow order new < open < pending < hold < solved < closed), `priority` (`:`,
//! `<`, `>`), `group` (name or id), `group_id`, `tags`/`tag`, `subject`, `requester` (id), and
//! bare words, matched against subject and description ignoring case. `[U]` an unknown key
//! matches nothing. Order: `sort_by=updated_at|created_at` with `sort_order` (default desc);
//! otherwise ("relevance") by id.

use serde_json::{Value, json};

use super::api_error::ApiError;
use super::model::{PRIORITIES, STATUSES, Ticket};
use super::render;
use super::store::Store;

/// Results per page at most.
pub const SEARCH_PAGE_MAX: u32 = 100;

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Eq,
    Lt,
    Gt,
}

#[derive(Debug, Clone, PartialEq)]
struct Term {
    key: Option<String>,
    op: Op,
    value: String,
}

fn split(query: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn terms(query: &str) -> Vec<Term> {
    split(query)
        .into_iter()
        .map(|word| {
            let at = word.find([':', '<', '>']);
            match at {
                Some(i) if i > 0 => {
                    let op = match &word[i..=i] {
                        ":" => Op::Eq,
                        "<" => Op::Lt,
                        _ => Op::Gt,
                    };
                    Term {
                        key: Some(word[..i].to_ascii_lowercase()),
                        op,
                        value: word[i + 1..].to_owned(),
                    }
                }
                _ => Term {
                    key: None,
                    op: Op::Eq,
                    value: word,
                },
            }
        })
        .collect()
}

fn ordered(list: &[&str], have: Option<&str>, op: &Op, want: &str) -> bool {
    let rank = |s: &str| list.iter().position(|x| x.eq_ignore_ascii_case(s));
    let (Some(h), Some(w)) = (have.and_then(rank), rank(want)) else {
        return false;
    };
    match op {
        Op::Eq => h == w,
        Op::Lt => h < w,
        Op::Gt => h > w,
    }
}

fn matches(store: &Store, t: &Ticket, term: &Term) -> bool {
    let v = term.value.as_str();
    let Some(key) = term.key.as_deref() else {
        let v = v.to_lowercase();
        return t.subject.to_lowercase().contains(&v) || t.description.to_lowercase().contains(&v);
    };
    match key {
        "type" => v.eq_ignore_ascii_case("ticket"),
        "status" => ordered(&STATUSES, Some(&t.status), &term.op, v),
        "priority" => ordered(&PRIORITIES, t.priority.as_deref(), &term.op, v),
        "group" | "group_id" => t.group_id.is_some_and(|g| {
            g.to_string() == v
                || store
                    .group(g)
                    .is_some_and(|gr| gr.name.eq_ignore_ascii_case(v))
        }),
        "tags" | "tag" => t.tags.iter().any(|x| x.eq_ignore_ascii_case(v)),
        "subject" => t.subject.to_lowercase().contains(&v.to_lowercase()),
        "requester" => t.requester_id.to_string() == v,
        _ => false,
    }
}

/// One page of results.
pub(crate) fn search(
    store: &Store,
    params: &[(String, String)],
    window: u32,
    base_url: &str,
) -> Result<Value, ApiError> {
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let query = get("query").unwrap_or_default();
    let number = |k: &str, default: u32| match get(k) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                ApiError::BadRequest(format!("{k} must be a positive number, not {v:?}"))
            }),
    };
    let page = number("page", 1)?;
    let per_page = number("per_page", SEARCH_PAGE_MAX)?.min(SEARCH_PAGE_MAX);
    if u64::from(page) * u64::from(per_page) > u64::from(window) {
        return Err(ApiError::SearchWindow(window));
    }
    let terms = terms(query);
    let mut found: Vec<&Ticket> = store
        .tickets
        .values()
        .filter(|t| !t.deleted && terms.iter().all(|term| matches(store, t, term)))
        .collect();
    let desc = get("sort_order") != Some("asc");
    match get("sort_by") {
        Some("updated_at") => found.sort_by_key(|t| (t.updated_at, t.id)),
        Some("created_at") => found.sort_by_key(|t| (t.created_at, t.id)),
        _ => {}
    }
    if desc && matches!(get("sort_by"), Some("updated_at" | "created_at")) {
        found.reverse();
    }
    let count = found.len();
    let start = ((page - 1) * per_page) as usize;
    let results: Vec<Value> = found
        .iter()
        .skip(start)
        .take(per_page as usize)
        .map(|t| {
            let mut v = render::ticket(base_url, t, false);
            v["result_type"] = json!("ticket");
            v
        })
        .collect();
    let link = |p: u32| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in params.iter().filter(|(k, _)| k != "page") {
            q.append_pair(k, v);
        }
        q.append_pair("page", &p.to_string());
        format!("{base_url}/api/v2/search.json?{}", q.finish())
    };
    let more = start + (per_page as usize) < count;
    Ok(json!({
        "results": results,
        "count": count,
        "next_page": more.then(|| link(page + 1)),
        "previous_page": (page > 1).then(|| link(page - 1)),
        "facets": null,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_parse() {
        let t = terms("type:ticket status<solved group:\"Billing and Payments\" refund");
        assert_eq!(t.len(), 4);
        assert_eq!(t[1].op, Op::Lt);
        assert_eq!(t[2].value, "Billing and Payments");
        assert_eq!(t[3].key, None);
        assert!(ordered(&STATUSES, Some("open"), &Op::Lt, "solved"));
        assert!(!ordered(&STATUSES, Some("closed"), &Op::Lt, "solved"));
        assert!(ordered(&PRIORITIES, Some("urgent"), &Op::Gt, "normal"));
    }
}
