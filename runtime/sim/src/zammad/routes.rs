//! The `/api/v1` endpoints: parameter handling and replies. Query matching, write validation
//! and rendering live in their own modules; these handlers only glue them to HTTP.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::{Map, Value, json};

use super::api_error::ApiError;
use super::params::Params;
use super::render;
use super::search::{self, SearchReq};
use super::shared::{AppState, lock};
use super::store::Store;
use super::time;
use super::write;

/// `GET /tickets`: at most 100 per page (and 100 by default), ordered by id.
pub const INDEX_MAX: i64 = 100;
/// `GET /tickets/search`: 50 per page by default, at most 200.
pub const SEARCH_DEFAULT: i64 = 50;
pub const SEARCH_MAX: i64 = 200;

type ApiResult = Result<Response, ApiError>;

/// The `/api/v1` routes (without the pipeline middleware).
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/tickets", get(index))
        .route("/api/v1/tickets/search", get(search_tickets))
        .route("/api/v1/tickets/{id}", get(show).put(update))
        .route("/api/v1/ticket_articles", post(create_article))
        .route("/api/v1/ticket_articles/by_ticket/{id}", get(by_ticket))
        .route("/api/v1/ticket_articles/{id}", get(show_article))
        .route("/api/v1/tags", get(tags))
        .route("/api/v1/tags/add", post(tag_add))
        .route("/api/v1/tags/remove", delete(tag_remove))
        .route("/api/v1/groups", get(groups))
        .route("/api/v1/groups/{id}", get(group))
        .route("/api/v1/ticket_priorities", get(priorities))
        .route("/api/v1/ticket_states", get(states))
        .route("/api/v1/users/me", get(me))
        .fallback(no_route)
        .method_not_allowed_fallback(no_route)
        .with_state(state)
}

async fn no_route(method: Method, uri: Uri) -> ApiError {
    ApiError::NoRoute {
        method: method.to_string(),
        path: uri.path().to_owned(),
    }
}

fn json_reply(status: StatusCode, value: Value) -> Response {
    (status, axum::Json(value)).into_response()
}

/// `Ticket.find(id)`: ids are integers; anything else is simply not found.
fn find_ticket(store: &Store, raw: &str) -> Result<u64, ApiError> {
    raw.trim()
        .parse::<u64>()
        .ok()
        .filter(|id| store.tickets.contains_key(id))
        .ok_or_else(|| ApiError::NotFound(format!("Couldn't find Ticket with 'id'={raw}")))
}

fn created_at(store: &Store) -> String {
    let first = store.tickets.values().map(|t| t.created_at).min();
    time::format(first.unwrap_or_else(time::now) - chrono::Duration::days(400))
}

/// `GET /api/v1/tickets`.
async fn index(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let params = Params::query(q.as_deref());
    let (page, limit) = params.paging(INDEX_MAX, INDEX_MAX);
    if page < 1 || limit < 0 {
        return Err(ApiError::Internal422 {
            message: "PG::InvalidRowCountInResultOffsetClause: ERROR:  OFFSET must not be negative"
                .into(),
            admin: s.admin,
        });
    }
    let store = lock(&s.store);
    let list: Vec<Value> = store
        .tickets
        .values()
        .skip(((page - 1) * limit) as usize)
        .take(limit as usize)
        .map(|t| render::ticket(t, &store, params.expand()))
        .collect();
    Ok(json_reply(StatusCode::OK, Value::Array(list)))
}

/// `GET /api/v1/tickets/search`.
async fn search_tickets(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let params = Params::query(q.as_deref());
    let (page, limit) = params.paging(SEARCH_DEFAULT, SEARCH_MAX);
    let req = SearchReq {
        query: params.text("query").unwrap_or_default(),
        page,
        limit,
        sort_by: params.text("sort_by"),
        order_by: params.text("order_by"),
    };
    let store = lock(&s.store);
    let ids = search::search(&store, &req, s.search_window);
    let tickets = ids.iter().filter_map(|id| store.tickets.get(id));
    if params.expand() {
        let list: Vec<Value> = tickets.map(|t| render::ticket(t, &store, true)).collect();
        return Ok(json_reply(StatusCode::OK, Value::Array(list)));
    }
    let assets: Map<String, Value> = tickets
        .map(|t| (t.id.to_string(), render::ticket(t, &store, false)))
        .collect();
    Ok(json_reply(
        StatusCode::OK,
        json!({"tickets": ids, "tickets_count": ids.len(), "assets": {"Ticket": assets}}),
    ))
}

/// `GET /api/v1/tickets/{id}`.
async fn show(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let params = Params::query(q.as_deref());
    let store = lock(&s.store);
    let id = find_ticket(&store, &id)?;
    Ok(json_reply(
        StatusCode::OK,
        render::ticket(&store.tickets[&id], &store, params.expand()),
    ))
}

/// `PUT /api/v1/tickets/{id}`: fields by name or id, plus an optional `article`.
async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let mut store = lock(&s.store);
    let id = find_ticket(&store, &id)?;
    let params = Params::with_body(q.as_deref(), &headers, &body)?;
    let mut fields = params.0.clone();
    for k in ["id", "expand", "all", "full", "article", "number"] {
        fields.remove(k);
    }
    let before = &store.tickets[&id];
    let after = write::ticket_update(&fields, before, &store, s.admin)?;
    let now = time::now();
    if &after != before {
        store.tickets.insert(id, after);
        store.touch(id, now);
    }
    if let Some(Value::Object(article)) = params.get("article") {
        let a = write::new_article(article, id, &mut store, now)?;
        store.articles.entry(id).or_default().push(a);
        store.touch(id, now);
    }
    Ok(json_reply(
        StatusCode::OK,
        render::ticket(&store.tickets[&id], &store, params.expand()),
    ))
}

/// `POST /api/v1/ticket_articles`.
async fn create_article(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let params = Params::with_body(q.as_deref(), &headers, &body)?;
    let mut store = lock(&s.store);
    let raw = params
        .text("ticket_id")
        .ok_or_else(|| ApiError::NotFound("Couldn't find Ticket without an ID".into()))?;
    let id = find_ticket(&store, &raw)?;
    let now = time::now();
    let a = write::new_article(&params.0, id, &mut store, now)?;
    let reply = render::article(&a, &store);
    store.articles.entry(id).or_default().push(a);
    store.touch(id, now);
    Ok(json_reply(StatusCode::CREATED, reply))
}

/// `GET /api/v1/ticket_articles/by_ticket/{id}`.
async fn by_ticket(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let store = lock(&s.store);
    let id = find_ticket(&store, &id)?;
    let list: Vec<Value> = store
        .articles
        .get(&id)
        .into_iter()
        .flatten()
        .map(|a| render::article(a, &store))
        .collect();
    Ok(json_reply(StatusCode::OK, Value::Array(list)))
}

/// `GET /api/v1/ticket_articles/{id}`.
async fn show_article(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let store = lock(&s.store);
    let article = id
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| store.articles.values().flatten().find(|a| a.id == n))
        .ok_or_else(|| {
            ApiError::NotFound(format!("Couldn't find Ticket::Article with 'id'={id}"))
        })?;
    Ok(json_reply(StatusCode::OK, render::article(article, &store)))
}

/// `GET /api/v1/tags?object=Ticket&o_id=…`: an unknown ticket simply has no tags.
async fn tags(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let params = Params::query(q.as_deref());
    let store = lock(&s.store);
    let tags = match (params.text("object").as_deref(), params.int("o_id")) {
        (Some("Ticket"), Some(id)) => u64::try_from(id)
            .ok()
            .and_then(|id| store.tickets.get(&id))
            .map(|t| t.tags.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Ok(json_reply(StatusCode::OK, json!({ "tags": tags })))
}

/// The ticket and tag item of a tag change (`object` must be `Ticket`; anything else fails
/// inside Zammad with a 500).
fn tag_target(s: &AppState, store: &Store, params: &Params) -> Result<(u64, String), ApiError> {
    if params.text("object").as_deref() != Some("Ticket") {
        return Err(ApiError::Injected {
            status: 500,
            admin: s.admin,
        });
    }
    let raw = params.text("o_id").unwrap_or_default();
    let id = find_ticket(store, &raw)?;
    let item = params
        .text("item")
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .ok_or(ApiError::Injected {
            status: 500,
            admin: s.admin,
        })?;
    Ok((id, item))
}

/// Adds or removes one tag; the ticket's `updated_at` moves only when the tags changed.
fn change_tag(
    s: &AppState,
    q: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
    add: bool,
) -> Result<(), ApiError> {
    let params = Params::with_body(q, headers, body)?;
    let mut store = lock(&s.store);
    let (id, item) = tag_target(s, &store, &params)?;
    let changed = {
        let tags = &mut store.tickets.get_mut(&id).expect("found").tags;
        let has = tags.iter().any(|t| t.eq_ignore_ascii_case(&item));
        if add && !has {
            tags.push(item);
        } else if !add {
            tags.retain(|t| !t.eq_ignore_ascii_case(&item));
        }
        has != add
    };
    if changed {
        store.touch(id, time::now());
    }
    Ok(())
}

/// `POST /api/v1/tags/add` → 201 `true`.
async fn tag_add(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    change_tag(&s, q.as_deref(), &headers, &body, true)?;
    Ok(json_reply(StatusCode::CREATED, json!(true)))
}

/// `DELETE /api/v1/tags/remove` → 200 `true` (the docs say 201; the controller renders 200).
async fn tag_remove(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    change_tag(&s, q.as_deref(), &headers, &body, false)?;
    Ok(json_reply(StatusCode::OK, json!(true)))
}

fn admin_only(s: &AppState) -> Result<(), ApiError> {
    if s.admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden("Not authorized".into()))
    }
}

/// `GET /api/v1/groups` (needs `admin.group`).
async fn groups(State(s): State<AppState>) -> ApiResult {
    admin_only(&s)?;
    let store = lock(&s.store);
    let created = created_at(&store);
    let list: Vec<Value> = store
        .groups
        .iter()
        .map(|g| render::group(g, &created))
        .collect();
    Ok(json_reply(StatusCode::OK, Value::Array(list)))
}

/// `GET /api/v1/groups/{id}` (needs `admin.group`).
async fn group(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    admin_only(&s)?;
    let store = lock(&s.store);
    let g = id
        .parse::<u64>()
        .ok()
        .and_then(|n| store.group(n))
        .ok_or_else(|| ApiError::NotFound(format!("Couldn't find Group with 'id'={id}")))?;
    Ok(json_reply(
        StatusCode::OK,
        render::group(g, &created_at(&store)),
    ))
}

/// `GET /api/v1/ticket_priorities`.
async fn priorities(State(s): State<AppState>) -> ApiResult {
    let store = lock(&s.store);
    let created = created_at(&store);
    let list: Vec<Value> = store
        .priorities
        .iter()
        .map(|p| render::priority(p, &created))
        .collect();
    Ok(json_reply(StatusCode::OK, Value::Array(list)))
}

/// `GET /api/v1/ticket_states`.
async fn states(State(s): State<AppState>) -> ApiResult {
    let store = lock(&s.store);
    let created = created_at(&store);
    let list: Vec<Value> = store
        .states
        .iter()
        .map(|x| render::state(x, &created))
        .collect();
    Ok(json_reply(StatusCode::OK, Value::Array(list)))
}

/// `GET /api/v1/users/me`.
async fn me(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let params = Params::query(q.as_deref());
    let store = lock(&s.store);
    let u = &store.users[&super::model::ME];
    Ok(json_reply(
        StatusCode::OK,
        render::me(u, &store, params.expand(), s.admin),
    ))
}
