//! The endpoints: parameter handling and replies. Matching, validation and rendering live in
//! their own modules; these handlers only glue them to HTTP.

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use serde_json::{Map, Value, json};

use super::api_error::{ApiError, FieldError};
use super::model::{Note, Ticket};
use super::paging::{PageReq, Params, next_link, page_request};
use super::render::{self, Include};
use super::search;
use super::shared::{AppState, ListCache, lock};
use super::time;
use super::validate;

/// How long one list query's order is reused for its next pages (absent changes).
const LIST_CACHE_TTL: StdDuration = StdDuration::from_secs(5);

/// Pages beyond this are refused on `GET /tickets`.
pub const LIST_PAGE_CAP: u32 = 300;
/// Search pages are 1–10 of fixed size 30.
pub const SEARCH_PAGE_CAP: u32 = 10;
pub const SEARCH_PAGE_SIZE: u32 = 30;
/// Longest accepted search query, quotes excluded.
pub const SEARCH_MAX_LEN: usize = 512;

type ApiResult = Result<Response, ApiError>;

/// The `/api/v2` routes (without the pipeline middleware).
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v2/tickets", get(list_tickets))
        .route("/api/v2/tickets/{id}", get(view_ticket).put(update_ticket))
        .route("/api/v2/tickets/{id}/notes", post(add_note))
        .route("/api/v2/tickets/{id}/conversations", get(conversations))
        .route("/api/v2/search/tickets", get(search_tickets))
        .route("/api/v2/groups", get(list_groups))
        .route("/api/v2/groups/{id}", get(view_group))
        .route("/api/v2/ticket_fields", get(ticket_fields))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .with_state(state)
}

fn parse_id(raw: &str) -> Result<u64, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

fn json_reply(status: StatusCode, value: Value, link: Option<String>) -> Response {
    let mut r = (status, axum::Json(value)).into_response();
    if let Some(link) = link.and_then(|l| HeaderValue::from_str(&l).ok()) {
        r.headers_mut().insert(header::LINK, link);
    }
    r
}

/// A write to an existing ticket: an unknown ticket is 404 before the body is looked at.
fn existing_ticket_and_body(
    s: &AppState,
    id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(u64, Map<String, Value>), ApiError> {
    let id = parse_id(id)?;
    if !lock(&s.store).tickets.contains_key(&id) {
        return Err(ApiError::NotFound);
    }
    Ok((id, json_body(headers, body)?))
}

fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ct
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        return Err(ApiError::UnsupportedMediaType);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ApiError::InvalidJson),
    }
}

fn includes(params: &Params, allowed: &[&str]) -> Result<Include, ApiError> {
    let mut inc = Include::default();
    let Some(raw) = params.get("include") else {
        return Ok(inc);
    };
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            _ if !allowed.contains(&part) => {
                return Err(ApiError::field(FieldError::invalid(
                    "include",
                    format!("It should be one of these values: '{}'", allowed.join(",")),
                )));
            }
            "description" => inc.description = true,
            "requester" => inc.requester = true,
            "stats" => inc.stats = true,
            "company" => inc.company = true,
            "conversations" => inc.conversations = true,
            _ => {}
        }
    }
    Ok(inc)
}

fn one_of_param<'a>(
    params: &'a Params,
    key: &str,
    allowed: &[&str],
) -> Result<Option<&'a str>, ApiError> {
    match params.get(key) {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v)),
        Some(_) => Err(ApiError::field(FieldError::invalid(
            key,
            format!("It should be one of these values: '{}'", allowed.join(",")),
        ))),
    }
}

fn id_param(params: &Params, key: &str) -> Result<Option<u64>, ApiError> {
    params
        .get(key)
        .map(|v| {
            v.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                ApiError::field(FieldError::mismatch(
                    key,
                    "Value set is of type String.It should be a/an Positive Integer",
                ))
            })
        })
        .transpose()
}

/// `GET /api/v2/tickets`.
async fn list_tickets(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let params = Params::parse(q.as_deref());
    params.reject_unknown(&[
        "filter",
        "requester_id",
        "email",
        "unique_external_id",
        "company_id",
        "updated_since",
        "order_by",
        "order_type",
        "include",
        "page",
        "per_page",
    ])?;
    let include = includes(&params, &["description", "requester", "stats"])?;
    let filter = one_of_param(
        &params,
        "filter",
        &["new_and_my_open", "watching", "spam", "deleted"],
    )?;
    let order_by = one_of_param(
        &params,
        "order_by",
        &["created_at", "due_by", "updated_at", "status"],
    )?
    .unwrap_or("created_at");
    let desc = one_of_param(&params, "order_type", &["asc", "desc"])?.unwrap_or("desc") == "desc";
    let requester_id = id_param(&params, "requester_id")?;
    let company_id = id_param(&params, "company_id")?;
    let updated_since = match params.get("updated_since") {
        None => None,
        Some(v) => Some(time::parse(v).ok_or_else(|| {
            ApiError::field(FieldError::invalid(
                "updated_since",
                "It should be in the 'valid date time' format",
            ))
        })?),
    };
    let page = page_request(&params, Some(LIST_PAGE_CAP))?;
    let window_start = Utc::now() - Duration::days(30);

    let store = lock(&s.store);
    let me = store.me().id;
    let email_requester = params.get("email").map(|e| {
        store
            .contacts
            .values()
            .find(|c| c.email.eq_ignore_ascii_case(e))
            .map(|c| c.id)
    });
    let cache_key = Params(
        params
            .0
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "page" | "per_page" | "include"))
            .cloned()
            .collect(),
    )
    .with_page(0);
    let cached = lock(&s.list_cache)
        .as_ref()
        .filter(|c| {
            c.key == cache_key && c.version == store.version && c.at.elapsed() < LIST_CACHE_TTL
        })
        .map(|c| c.ids.clone());
    let ids = match cached {
        Some(ids) => ids,
        None => {
            let key = |t: &Ticket| match order_by {
                "due_by" => t.due_by.timestamp(),
                "updated_at" => t.updated_at.timestamp(),
                "status" => i64::from(t.status),
                _ => t.created_at.timestamp(),
            };
            let mut hits: Vec<(i64, u64)> = store
                .tickets
                .values()
                .filter(|t| match updated_since {
                    Some(since) => t.updated_at >= since,
                    None => t.created_at >= window_start,
                })
                .filter(|t| match filter {
                    Some("spam") => t.spam && !t.deleted,
                    Some("deleted") => t.deleted,
                    Some("watching") => false,
                    Some(_) => {
                        !t.spam
                            && !t.deleted
                            && t.status == 2
                            && t.responder_id.is_none_or(|r| r == me)
                    }
                    None => !t.spam && !t.deleted,
                })
                .filter(|t| requester_id.is_none_or(|r| t.requester_id == r))
                .filter(|t| email_requester.is_none_or(|r| Some(t.requester_id) == r))
                .filter(|t| company_id.is_none_or(|c| t.company_id == Some(c)))
                .map(|t| (key(t), t.id))
                .collect();
            // Ties broken by id, in the same direction, so paging is stable.
            hits.sort_unstable();
            if desc {
                hits.reverse();
            }
            let ids = Arc::new(hits.into_iter().map(|(_, id)| id).collect::<Vec<u64>>());
            *lock(&s.list_cache) = Some(ListCache {
                key: cache_key,
                version: store.version,
                at: Instant::now(),
                ids: ids.clone(),
            });
            ids
        }
    };
    let (slice, more) = page.slice(&ids);
    let body: Vec<Value> = slice
        .iter()
        .filter_map(|id| store.tickets.get(id))
        .map(|t| render::ticket(t, include, &store))
        .collect();
    drop(store);
    let link = more.then(|| next_link(&s.base_url, "/api/v2/tickets", &params, page.page + 1));
    Ok(json_reply(StatusCode::OK, Value::Array(body), link))
}

/// `GET /api/v2/tickets/{id}`.
async fn view_ticket(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let id = parse_id(&id)?;
    let params = Params::parse(q.as_deref());
    params.reject_unknown(&["include"])?;
    let mut include = includes(&params, &["conversations", "requester", "company", "stats"])?;
    include.description = true;
    let store = lock(&s.store);
    let t = store.tickets.get(&id).ok_or(ApiError::NotFound)?;
    Ok(json_reply(
        StatusCode::OK,
        render::ticket(t, include, &store),
        None,
    ))
}

/// `PUT /api/v2/tickets/{id}`.
async fn update_ticket(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let (id, body) = existing_ticket_and_body(&s, &id, &headers, &body)?;
    let mut store = lock(&s.store);
    let ticket = store.tickets.get(&id).ok_or(ApiError::NotFound)?;
    let changes =
        validate::ticket_update(&body, ticket, &s.schema, &store).map_err(ApiError::Validation)?;
    let now = time::whole_seconds(Utc::now());
    let ticket = store.tickets.get_mut(&id).ok_or(ApiError::NotFound)?;
    if validate::apply(ticket, changes) {
        ticket.updated_at = now.max(ticket.updated_at);
        store.version += 1;
    }
    let ticket = store.tickets.get(&id).ok_or(ApiError::NotFound)?;
    Ok(json_reply(
        StatusCode::OK,
        render::ticket(ticket, Include::view(), &store),
        None,
    ))
}

/// `POST /api/v2/tickets/{id}/notes`.
async fn add_note(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let (id, body) = existing_ticket_and_body(&s, &id, &headers, &body)?;
    let mut store = lock(&s.store);
    let new = validate::note(&body, &store).map_err(ApiError::Validation)?;
    let now = time::whole_seconds(Utc::now());
    let note = Note {
        id: store.next_note_id(),
        ticket_id: id,
        body_text: validate::html_to_text(&new.body),
        body: new.body,
        private: new.private,
        incoming: new.incoming,
        user_id: Some(new.user_id.unwrap_or(store.me().id)),
        notify_emails: new.notify_emails,
        created_at: now,
        updated_at: now,
    };
    if let Some(t) = store.tickets.get_mut(&id) {
        t.updated_at = now.max(t.updated_at);
        store.version += 1;
    }
    let reply = render::note(&note, &store);
    store.notes.entry(id).or_default().push(note);
    Ok(json_reply(StatusCode::CREATED, reply, None))
}

/// `GET /api/v2/tickets/{id}/conversations`.
async fn conversations(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let id = parse_id(&id)?;
    let params = Params::parse(q.as_deref());
    params.reject_unknown(&["page", "per_page"])?;
    let page = page_request(&params, None)?;
    let store = lock(&s.store);
    if !store.tickets.contains_key(&id) {
        return Err(ApiError::NotFound);
    }
    let notes = store.notes.get(&id).map(Vec::as_slice).unwrap_or(&[]);
    let (slice, more) = page.slice(notes);
    let body: Vec<Value> = slice.iter().map(|n| render::note(n, &store)).collect();
    let path = format!("/api/v2/tickets/{id}/conversations");
    let link = more.then(|| next_link(&s.base_url, &path, &params, page.page + 1));
    Ok(json_reply(StatusCode::OK, Value::Array(body), link))
}

fn search_error(message: impl Into<String>) -> ApiError {
    ApiError::field(FieldError::invalid("query", message))
}

/// `GET /api/v2/search/tickets?query="…"`.
async fn search_tickets(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let params = Params::parse(q.as_deref());
    params.reject_unknown(&["query", "page", "per_page"])?;
    let Some(raw) = params.get("query") else {
        return Err(ApiError::field(FieldError::missing(
            "query",
            "It should be a/an String",
        )));
    };
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|_| raw.len() >= 2)
        .ok_or_else(|| search_error("It should be a/an String enclosed within double quotes"))?;
    if inner.chars().count() > SEARCH_MAX_LEN {
        return Err(search_error(format!(
            "It should be a/an String with length less than or equal to {SEARCH_MAX_LEN}"
        )));
    }
    let expr = search::parse(inner, &s.schema).map_err(|e| search_error(e.0))?;
    let mut page = page_request(&Params(vec![]), None)?;
    if let Some(p) = params.get("page") {
        page.page = match p.parse::<u32>() {
            Ok(n) if (1..=SEARCH_PAGE_CAP).contains(&n) => n,
            _ => {
                return Err(ApiError::field(FieldError::invalid(
                    "page",
                    format!(
                        "It should be a Positive Integer less than or equal to {SEARCH_PAGE_CAP}"
                    ),
                )));
            }
        };
    }
    let page = PageReq {
        page: page.page,
        per_page: SEARCH_PAGE_SIZE,
    };
    let store = lock(&s.store);
    let mut hits: Vec<(i64, u64, &Ticket)> = store
        .tickets
        .values()
        .filter(|t| !t.spam && !t.deleted && search::matches(&expr, t))
        .map(|t| (t.created_at.timestamp(), t.id, t))
        .collect();
    let total = hits.len();
    let (slice, _) = page.select(&mut hits, |a, b| (b.0, b.1).cmp(&(a.0, a.1)));
    let results: Vec<Value> = slice
        .iter()
        .map(|(_, _, t)| render::ticket(t, Include::default(), &store))
        .collect();
    Ok(json_reply(
        StatusCode::OK,
        json!({"results": results, "total": total}),
        None,
    ))
}

/// `GET /api/v2/groups`.
async fn list_groups(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let params = Params::parse(q.as_deref());
    params.reject_unknown(&["page", "per_page"])?;
    let page = page_request(&params, None)?;
    let store = lock(&s.store);
    let (slice, more) = page.slice(&store.groups);
    let body: Vec<Value> = slice.iter().map(render::group).collect();
    let link = more.then(|| next_link(&s.base_url, "/api/v2/groups", &params, page.page + 1));
    Ok(json_reply(StatusCode::OK, Value::Array(body), link))
}

/// `GET /api/v2/groups/{id}`.
async fn view_group(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = parse_id(&id)?;
    let store = lock(&s.store);
    let g = store.group(id).ok_or(ApiError::NotFound)?;
    Ok(json_reply(StatusCode::OK, render::group(g), None))
}

/// `GET /api/v2/ticket_fields` (optionally `?type=`).
async fn ticket_fields(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let params = Params::parse(q.as_deref());
    params.reject_unknown(&["type"])?;
    let store = lock(&s.store);
    let mut fields = render::ticket_fields(&s.schema, &store);
    if let Some(kind) = params.get("type") {
        fields.retain(|f| f["type"] == kind);
    }
    Ok(json_reply(StatusCode::OK, Value::Array(fields), None))
}
