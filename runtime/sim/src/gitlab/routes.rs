//! The endpoints: parameter handling and replies. Listing lives in `list.rs`, writes in
//! `update.rs`. `:id` is the project's numeric id or its URL-encoded path
//! (`support%2Fhelpdesk`); an unknown path is 404 `{"error":"404 Not Found"}`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::list::{self, Params};
use super::render;
use super::shared::{AppState, lock};
use super::store::{BOT_ID, Store};
use super::update;

pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v4/projects/{project}", get(project))
        .route("/api/v4/projects/{project}/issues", get(list_issues))
        .route(
            "/api/v4/projects/{project}/issues/{iid}",
            get(show_issue).put(update_issue),
        )
        .route(
            "/api/v4/projects/{project}/issues/{iid}/notes",
            get(notes).post(add_note),
        )
        .route("/api/v4/projects/{project}/labels", get(labels))
        .route("/api/v4/user", get(me))
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                axum::Json(json!({"error": "404 Not Found"})),
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

/// The project named by `:id`, or 404.
fn project_of(store: &Store, id: &str) -> Result<(), ApiError> {
    let matches = id.parse::<u64>().ok() == Some(store.project_id) || id == store.project_path;
    matches.then_some(()).ok_or(ApiError::NotFound("Project"))
}

fn iid(text: &str) -> Result<u64, ApiError> {
    text.parse().map_err(|_| ApiError::NotFound("Issue"))
}

/// The request's URL without `page`/`per_page`, for `Link` targets.
fn link_base(base_url: &str, uri: &axum::http::Uri, p: &Params) -> String {
    let rest: Vec<String> = p
        .iter()
        .filter(|(k, _)| k != "page" && k != "per_page")
        .map(|(k, v)| {
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair(k, v)
                .finish()
        })
        .collect();
    let path = uri.path();
    if rest.is_empty() {
        format!("{base_url}{path}")
    } else {
        format!("{base_url}{path}?{}", rest.join("&"))
    }
}

async fn project(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let store = lock(&s.store);
    reply(project_of(&store, &id).map(|()| render::project(&store, &s.base_url)))
}

async fn list_issues(
    State(s): State<AppState>,
    Path(id): Path<String>,
    OriginalUri(uri): OriginalUri,
    RawQuery(q): RawQuery,
) -> Response {
    let p = list::params(q.as_deref());
    let store = lock(&s.store);
    let mut headers = HeaderMap::new();
    let result = project_of(&store, &id)
        .and_then(|()| list::issues(&store, &p))
        .map(|all| {
            let page = list::page_of(&all, &p, &link_base(&s.base_url, &uri, &p), &mut headers);
            Value::Array(
                page.into_iter()
                    .map(|i| render::issue(&store, &s.base_url, i))
                    .collect(),
            )
        });
    (headers, reply(result)).into_response()
}

fn show(store: &Store, base_url: &str, id: &str, iid_text: &str) -> Result<Value, ApiError> {
    project_of(store, id)?;
    let issue = store
        .issues
        .get(&iid(iid_text)?)
        .ok_or(ApiError::NotFound("Issue"))?;
    Ok(render::issue(store, base_url, issue))
}

async fn show_issue(State(s): State<AppState>, Path((id, n)): Path<(String, String)>) -> Response {
    reply(show(&lock(&s.store), &s.base_url, &id, &n))
}

async fn update_issue(
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let mut store = lock(&s.store);
    reply(
        project_of(&store, &id)
            .and_then(|()| iid(&n))
            .and_then(|iid| update::update_issue(&mut store, iid, &body, chrono::Utc::now()))
            .and_then(|()| show(&store, &s.base_url, &id, &n)),
    )
}

async fn notes(
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    RawQuery(q): RawQuery,
) -> Response {
    let p = list::params(q.as_deref());
    let store = lock(&s.store);
    let mut headers = HeaderMap::new();
    let result = show(&store, &s.base_url, &id, &n).map(|_| {
        let all = store
            .notes
            .get(&iid(&n).unwrap_or_default())
            .cloned()
            .unwrap_or_default();
        let page = list::page_of(&all, &p, &link_base(&s.base_url, &uri, &p), &mut headers);
        Value::Array(
            page.iter()
                .map(|note| render::note(&store, &s.base_url, note))
                .collect(),
        )
    });
    (headers, reply(result)).into_response()
}

async fn add_note(
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let mut store = lock(&s.store);
    let result = project_of(&store, &id)
        .and_then(|()| iid(&n))
        .and_then(|iid| {
            let note_id = update::add_note(&mut store, iid, &body, chrono::Utc::now())?;
            let note = store.notes[&iid]
                .iter()
                .find(|x| x.id == note_id)
                .expect("just added");
            Ok(render::note(&store, &s.base_url, note))
        });
    match result {
        Ok(v) => (StatusCode::CREATED, axum::Json(v)).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn labels(
    State(s): State<AppState>,
    Path(id): Path<String>,
    OriginalUri(uri): OriginalUri,
    RawQuery(q): RawQuery,
) -> Response {
    let p = list::params(q.as_deref());
    let store = lock(&s.store);
    let mut headers = HeaderMap::new();
    let result = project_of(&store, &id).map(|()| {
        let page = list::page_of(
            &store.labels,
            &p,
            &link_base(&s.base_url, &uri, &p),
            &mut headers,
        );
        Value::Array(page.iter().map(render::label).collect())
    });
    (headers, reply(result)).into_response()
}

async fn me(State(s): State<AppState>) -> Response {
    let store = lock(&s.store);
    reply(Ok(render::user(&s.base_url, &store.users[&BOT_ID])))
}
