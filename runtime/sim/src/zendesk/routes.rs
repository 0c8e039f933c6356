//! The endpoints: parameter handling and replies. Exports, search and updates live in their
//! own modules; these handlers glue them to HTTP. Paths take an optional `.json`, as Zendesk's
//! do; an unknown path is 404 `InvalidEndpoint`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::export::{self, ExportParams};
use super::render;
use super::search;
use super::shared::{AppState, lock};
use super::update::{self, TagVerb};

/// Groups per page of `GET /groups.json` by default and at most.
pub const GROUPS_PAGE_MAX: usize = 100;

pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/api/v2/incremental/tickets/cursor.json",
            get(export_tickets),
        )
        .route("/api/v2/search.json", get(search_tickets))
        .route("/api/v2/tickets/{id}", get(show_ticket).put(update_ticket))
        .route("/api/v2/tickets/{id}/comments.json", get(comments))
        .route(
            "/api/v2/tickets/{id}/tags.json",
            get(show_tags)
                .put(add_tags)
                .post(set_tags)
                .delete(remove_tags),
        )
        .route("/api/v2/groups.json", get(groups))
        .route("/api/v2/ticket_fields.json", get(ticket_fields))
        .route("/api/v2/users/me.json", get(me))
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                axum::Json(json!({"error": "InvalidEndpoint", "description": "Not found"})),
            )
        })
        .with_state(state)
}

fn reply(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `12` or `12.json` → 12.
fn ticket_id(file: &str) -> Result<u64, ApiError> {
    file.strip_suffix(".json")
        .unwrap_or(file)
        .parse()
        .map_err(|_| ApiError::NotFound)
}

fn params(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

async fn export_tickets(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let params = ExportParams::parse(q.as_deref());
    let lag = *lock(&s.export_lag);
    reply(export::page(
        &lock(&s.store),
        &params,
        chrono::Utc::now(),
        lag,
        &s.base_url,
    ))
}

async fn search_tickets(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    reply(search::search(
        &lock(&s.store),
        &params(q.as_deref()),
        s.search_window,
        &s.base_url,
    ))
}

async fn show_ticket(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    reply(ticket_id(&id).and_then(|id| {
        let store = lock(&s.store);
        let t = store.live(id).ok_or(ApiError::NotFound)?;
        Ok(json!({"ticket": render::ticket(&s.base_url, t, false)}))
    }))
}

async fn update_ticket(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    reply(ticket_id(&id).and_then(|id| {
        update::update_ticket(
            &mut lock(&s.store),
            id,
            &body,
            chrono::Utc::now(),
            &s.base_url,
        )
    }))
}

async fn comments(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    reply(ticket_id(&id).and_then(|id| {
        let store = lock(&s.store);
        store.live(id).ok_or(ApiError::NotFound)?;
        let list: Vec<Value> = store
            .comments
            .get(&id)
            .into_iter()
            .flatten()
            .map(render::comment)
            .collect();
        Ok(json!({"comments": list, "count": list.len(), "next_page": null, "previous_page": null}))
    }))
}

async fn show_tags(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    reply(ticket_id(&id).and_then(|id| {
        let store = lock(&s.store);
        let t = store.live(id).ok_or(ApiError::NotFound)?;
        Ok(json!({"tags": t.tags}))
    }))
}

fn tag_call(s: &AppState, id: &str, verb: TagVerb, body: &[u8]) -> Response {
    reply(
        ticket_id(id)
            .and_then(|id| update::tags(&mut lock(&s.store), id, verb, body, chrono::Utc::now())),
    )
}

async fn add_tags(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    tag_call(&s, &id, TagVerb::Add, &body)
}

async fn set_tags(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    tag_call(&s, &id, TagVerb::Set, &body)
}

async fn remove_tags(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    tag_call(&s, &id, TagVerb::Remove, &body)
}

/// `GET /groups.json`: offset pages (`page`, `per_page` ≤ 100) with an absolute `next_page`.
async fn groups(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let params = params(q.as_deref());
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let page = get("page").unwrap_or(1).max(1);
    let per_page = get("per_page")
        .unwrap_or(GROUPS_PAGE_MAX)
        .clamp(1, GROUPS_PAGE_MAX);
    let store = lock(&s.store);
    let list: Vec<Value> = store
        .groups
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|g| render::group(&s.base_url, g))
        .collect();
    let more = page * per_page < store.groups.len();
    let next = more.then(|| {
        format!(
            "{}/api/v2/groups.json?page={}&per_page={per_page}",
            s.base_url,
            page + 1
        )
    });
    reply(Ok(json!({
        "groups": list,
        "count": store.groups.len(),
        "next_page": next,
        "previous_page": null,
    })))
}

async fn ticket_fields(State(s): State<AppState>) -> Response {
    let store = lock(&s.store);
    let list: Vec<Value> = store
        .fields
        .iter()
        .map(|f| render::field(&s.base_url, f))
        .collect();
    reply(Ok(
        json!({"ticket_fields": list, "count": list.len(), "next_page": null}),
    ))
}

async fn me(State(s): State<AppState>) -> Response {
    let store = lock(&s.store);
    let agent = &store.users[&super::store::AGENT_ID];
    reply(Ok(json!({"user": render::user(&s.base_url, agent)})))
}
