//! `GET /api/v1/tickets/search`: a ticket as a search document, sorting and the result window.
//!
//! Zammad hands the query to Elasticsearch and, when Elasticsearch refuses the request (a
//! syntax error, a sort on a field it cannot sort, a page beyond `max_result_window`), logs
//! the error and answers an *empty* result with status 200 (`search_index_backend.rb`). The
//! simulator does the same, so an adapter cannot tell "no more tickets" from "refused": it
//! must stay inside the window and use only sortable fields. Sort fields follow Zammad's
//! rule: a name without a dot that does not end in `_at`, `_id`, `_ids`, `_time`, `_date` or
//! `_till` is sorted on its `.keyword` sub-field, which exists for text only (so `id` cannot
//! be sorted, `title` sorts as raw text); a name with a dot is an analysed text field, which
//! cannot be sorted either. Ties are broken by id (Elasticsearch's order is stable too).

use std::cmp::Ordering;

use serde_json::Value;

use super::model::Ticket;
use super::query::{self, Document, Val};
use super::store::Store;

/// One search page request, as the controller reads it.
#[derive(Debug, Clone)]
pub struct SearchReq {
    pub query: String,
    /// From 1.
    pub page: i64,
    pub limit: i64,
    pub sort_by: Option<String>,
    pub order_by: Option<String>,
}

/// A ticket with the store around it, seen as Zammad indexes it.
pub struct TicketDoc<'a> {
    pub ticket: &'a Ticket,
    pub store: &'a Store,
}

fn text(s: impl Into<String>) -> Val {
    Val::Text(s.into())
}

/// Drops HTML tags, so markup does not count as words.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

impl TicketDoc<'_> {
    fn user_field(&self, id: u64, part: &str) -> Vec<Val> {
        let Some(u) = self.store.users.get(&id) else {
            return Vec::new();
        };
        match part {
            "" | "login" => vec![text(&u.login)],
            "email" => vec![text(&u.email)],
            "firstname" => vec![text(&u.firstname)],
            "lastname" => vec![text(&u.lastname)],
            "fullname" => vec![text(u.fullname())],
            _ => Vec::new(),
        }
    }

    fn articles(&self, part: &str) -> Vec<Val> {
        let articles = self.store.articles.get(&self.ticket.id);
        articles
            .into_iter()
            .flatten()
            .filter_map(|a| match part {
                "body" => Some(strip_tags(&a.body)),
                "subject" => a.subject.clone(),
                "from" => a.from.clone(),
                "to" => a.to.clone(),
                _ => None,
            })
            .map(Val::Text)
            .collect()
    }
}

impl Document for TicketDoc<'_> {
    fn values(&self, field: &str) -> Vec<Val> {
        let t = self.ticket;
        let s = self.store;
        let num = |n: u64| vec![Val::Num(n as f64)];
        let (head, part) = field.split_once('.').unwrap_or((field, ""));
        match (head, part) {
            ("id", "") => num(t.id),
            ("number", "") => vec![text(&t.number)],
            ("title", "") => vec![text(&t.title)],
            ("note", "") => t.note.iter().map(text).collect(),
            ("group_id", "") => num(t.group_id),
            ("priority_id", "") => num(t.priority_id),
            ("state_id", "") => num(t.state_id),
            ("owner_id", "") => num(t.owner_id),
            ("customer_id", "") => num(t.customer_id),
            ("organization_id", "") => t.organization_id.map(num).unwrap_or_default(),
            ("created_at", "") => vec![Val::Date(t.created_at)],
            ("updated_at", "") => vec![Val::Date(t.updated_at)],
            ("article_count", "") => num(s.articles.get(&t.id).map_or(0, Vec::len) as u64),
            ("group", "" | "name") => s
                .group(t.group_id)
                .map(|g| text(&g.name))
                .into_iter()
                .collect(),
            ("state", "" | "name") => s
                .state(t.state_id)
                .map(|x| text(&x.name))
                .into_iter()
                .collect(),
            ("priority", "" | "name") => s
                .priority(t.priority_id)
                .map(|p| text(&p.name))
                .into_iter()
                .collect(),
            ("owner", p) => self.user_field(t.owner_id, p),
            ("customer", p) => self.user_field(t.customer_id, p),
            ("tags" | "tag", "") => t.tags.iter().map(text).collect(),
            ("article", p) => self.articles(p),
            (name, "") => match t.attributes.get(name) {
                Some(Value::Number(n)) => n.as_f64().map(Val::Num).into_iter().collect(),
                Some(Value::Bool(b)) => vec![Val::Bool(*b)],
                Some(Value::String(x)) => vec![text(x)],
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn all_text(&self) -> Vec<String> {
        let fields = [
            "title",
            "number",
            "tags",
            "group",
            "state",
            "priority",
            "customer.fullname",
            "customer.email",
            "article.subject",
            "article.body",
        ];
        fields
            .iter()
            .flat_map(|f| self.values(f))
            .filter_map(|v| match v {
                Val::Text(t) => Some(t),
                _ => None,
            })
            .collect()
    }
}

/// How Elasticsearch would sort on `field`, or `None` when it refuses to.
fn sort_key(field: &str) -> Option<(String, bool)> {
    const NATIVE: [&str; 6] = ["_at", "_id", "_ids", "_time", "_date", "_till"];
    if let Some(base) = field.strip_suffix(".keyword") {
        return Some((base.to_owned(), true));
    }
    if field.contains('.') {
        return None;
    }
    if NATIVE.iter().any(|s| field.ends_with(s)) {
        return Some((field.to_owned(), false));
    }
    Some((field.to_owned(), true))
}

fn key(doc: &TicketDoc<'_>, field: &str, keyword: bool) -> Result<Option<Val>, ()> {
    let v = doc.values(field).into_iter().next();
    match (&v, keyword) {
        // `.keyword` exists only on text values; sorting on a missing mapping fails.
        (Some(Val::Num(_) | Val::Bool(_) | Val::Date(_)), true) => Err(()),
        (None, true) if !is_text_field(doc.store, field) => Err(()),
        _ => Ok(v),
    }
}

fn is_text_field(store: &Store, field: &str) -> bool {
    matches!(
        field,
        "number"
            | "title"
            | "note"
            | "group"
            | "state"
            | "priority"
            | "owner"
            | "customer"
            | "tags"
    ) || store.attribute(field).is_some_and(|a| {
        matches!(
            a.kind,
            super::model::AttributeKind::Input { .. } | super::model::AttributeKind::Select { .. }
        )
    })
}

fn cmp_vals(a: &Option<Val>, b: &Option<Val>) -> Ordering {
    match (a, b) {
        (Some(Val::Num(x)), Some(Val::Num(y))) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Some(Val::Date(x)), Some(Val::Date(y))) => x.cmp(y),
        (Some(Val::Text(x)), Some(Val::Text(y))) => x.cmp(y),
        (Some(Val::Bool(x)), Some(Val::Bool(y))) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// The ids of one result page (empty wherever Elasticsearch would have refused).
pub fn search(store: &Store, req: &SearchReq, window: usize) -> Vec<u64> {
    if req.query.trim().is_empty() || req.limit <= 0 || req.page < 1 {
        return Vec::new();
    }
    let offset = (req.page - 1).saturating_mul(req.limit);
    if offset.saturating_add(req.limit) > window as i64 {
        return Vec::new();
    }
    let Ok(expr) = query::parse(&req.query) else {
        return Vec::new();
    };
    let field = req.sort_by.as_deref().filter(|s| !s.is_empty());
    let (field, keyword) = match field {
        None => ("updated_at".to_owned(), false),
        Some(f) => match sort_key(f) {
            Some(k) => k,
            None => return Vec::new(),
        },
    };
    let desc = req
        .order_by
        .as_deref()
        .is_none_or(|o| !o.eq_ignore_ascii_case("asc"));
    let mut hits = Vec::new();
    for t in store.tickets.values() {
        let doc = TicketDoc { ticket: t, store };
        if !query::matches(&expr, &doc) {
            continue;
        }
        match key(&doc, &field, keyword) {
            Ok(k) => hits.push((k, t.id)),
            Err(()) => return Vec::new(),
        }
    }
    hits.sort_by(|a, b| {
        let by_key = match (&a.0, &b.0) {
            // Missing values sort last in both directions.
            (Some(_), Some(_)) if desc => cmp_vals(&b.0, &a.0),
            _ => cmp_vals(&a.0, &b.0),
        };
        by_key.then(a.1.cmp(&b.1))
    });
    hits.into_iter()
        .skip(offset as usize)
        .take(req.limit as usize)
        .map(|(_, id)| id)
        .collect()
}
