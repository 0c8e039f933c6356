//! The endpoints: parameter handling and replies. Filtering, updates and rendering live in
//! their own modules; these handlers only glue them to HTTP.
//!
//! Redmine answers 404 and 403 on the API with an empty body, 422 with `{"errors": [...]}`,
//! and a successful `PUT` with 204 and no body.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::model::FieldFormat;
use super::query::{DEFAULT_LIMIT, ListError, ListQuery, MAX_LIMIT};
use super::render;
use super::state::AppState;
use super::update::{self, UpdateError};
use crate::traffic::lock;

/// The routes (without the pipeline middleware).
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/issues.json", get(list_issues))
        .route("/issues/{file}", get(show_issue).put(update_issue))
        .route("/projects.json", get(list_projects))
        .route("/projects/{file}", get(show_project))
        .route(
            "/projects/{project}/issue_categories.json",
            get(list_categories),
        )
        .route("/enumerations/issue_priorities.json", get(priorities))
        .route("/issue_statuses.json", get(statuses))
        .route("/trackers.json", get(trackers))
        .route("/custom_fields.json", get(custom_fields))
        .route("/my/account.json", get(my_account))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .with_state(state)
}

fn params(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// `12.json` → 12; anything else is not an API resource here.
fn json_id(file: &str) -> Option<u64> {
    file.strip_suffix(".json")?.parse().ok()
}

fn invalid(messages: Vec<String>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(json!({ "errors": messages })),
    )
        .into_response()
}

fn ok(value: Value) -> Response {
    axum::Json(value).into_response()
}

/// `GET /my/account.json`: the API user, with its `api_key` as Redmine shows it to its owner
/// (a system that echoes the caller's credential; the sandbox tests read it back).
async fn my_account(State(s): State<AppState>) -> Response {
    ok(json!({
        "user": {
            "id": 1,
            "login": "triage",
            "admin": false,
            "firstname": "Triage",
            "lastname": "Bot",
            "mail": "triage@example.invalid",
            "created_on": "2024-01-01T00:00:00Z",
            "last_login_on": null,
            "api_key": s.api_key,
        }
    }))
}

async fn list_issues(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let store = lock(&s.store);
    let query = match ListQuery::parse(&params(q.as_deref()), &store) {
        Ok(query) => query,
        Err(ListError::ProjectNotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(ListError::Invalid(messages)) => return invalid(messages),
    };
    let (page, total) = query.run(&store);
    let issues: Vec<Value> = page
        .into_iter()
        .map(|i| render::issue(&store, i, false))
        .collect();
    ok(json!({
        "issues": issues,
        "total_count": total,
        "offset": query.offset,
        "limit": query.limit,
    }))
}

async fn show_issue(
    State(s): State<AppState>,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let store = lock(&s.store);
    let Some(issue) = json_id(&file).and_then(|id| store.issues.get(&id)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !store.visible(issue) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let journals = params(q.as_deref())
        .iter()
        .any(|(k, v)| k == "include" && v.split(',').any(|p| p.trim() == "journals"));
    ok(json!({ "issue": render::issue(&store, issue, journals) }))
}

async fn update_issue(
    State(s): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(id) = json_id(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    // Rails parses only JSON bodies as parameters; any other body means "no attributes".
    let attrs = if is_json && !body.is_empty() {
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) => v
                .get("issue")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            Err(_) => return StatusCode::BAD_REQUEST.into_response(),
        }
    } else {
        Map::new()
    };
    let mut store = lock(&s.store);
    match update::apply(&mut store, id, &attrs, chrono::Utc::now()) {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(UpdateError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(UpdateError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(UpdateError::Invalid(messages)) => invalid(messages),
    }
}

async fn list_projects(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let params = params(q.as_deref());
    let get = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
    };
    let limit = get("limit")
        .filter(|l| *l > 0)
        .unwrap_or(DEFAULT_LIMIT)
        .min(MAX_LIMIT);
    let offset = get("offset").unwrap_or(0);
    let store = lock(&s.store);
    let visible: Vec<_> = store
        .projects
        .iter()
        .filter(|p| !store.restricted.contains(&p.id))
        .collect();
    let page: Vec<Value> = visible
        .iter()
        .skip(offset)
        .take(limit)
        .map(|p| render::project(p))
        .collect();
    ok(json!({
        "projects": page,
        "total_count": visible.len(),
        "offset": offset,
        "limit": limit,
    }))
}

async fn show_project(State(s): State<AppState>, Path(file): Path<String>) -> Response {
    let store = lock(&s.store);
    let key = file.strip_suffix(".json").unwrap_or("");
    match store.project(key) {
        None => StatusCode::NOT_FOUND.into_response(),
        Some(p) if store.restricted.contains(&p.id) => StatusCode::FORBIDDEN.into_response(),
        Some(p) => ok(json!({ "project": render::project(p) })),
    }
}

async fn list_categories(State(s): State<AppState>, Path(project): Path<String>) -> Response {
    let store = lock(&s.store);
    let Some(p) = store.project(&project) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if store.restricted.contains(&p.id) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let list: Vec<Value> = store
        .categories
        .iter()
        .filter(|c| c.project_id == p.id)
        .map(|c| json!({"id": c.id, "project": {"id": p.id, "name": p.name}, "name": c.name}))
        .collect();
    ok(json!({ "total_count": list.len(), "issue_categories": list }))
}

async fn priorities(State(s): State<AppState>) -> Response {
    let store = lock(&s.store);
    let list: Vec<Value> = store
        .priorities
        .iter()
        .map(|p| {
            json!({"id": p.id, "name": p.name,
                "is_default": p.id == super::model::DEFAULT_PRIORITY, "active": true})
        })
        .collect();
    ok(json!({ "issue_priorities": list }))
}

async fn statuses(State(s): State<AppState>) -> Response {
    let store = lock(&s.store);
    let list: Vec<Value> = store
        .statuses
        .iter()
        .map(|st| json!({"id": st.id, "name": st.name, "is_closed": st.is_closed}))
        .collect();
    ok(json!({ "issue_statuses": list }))
}

async fn trackers(State(s): State<AppState>) -> Response {
    let store = lock(&s.store);
    let list: Vec<Value> = store
        .trackers
        .iter()
        .map(|t| {
            json!({"id": t.id, "name": t.name,
                "default_status": {"id": 1, "name": "New"}, "description": null})
        })
        .collect();
    ok(json!({ "trackers": list }))
}

/// Admin-only on a real Redmine; the simulated key belongs to an administrator.
async fn custom_fields(State(s): State<AppState>) -> Response {
    let store = lock(&s.store);
    let list: Vec<Value> = store
        .custom_fields
        .iter()
        .map(|f| {
            let (format, values) = match &f.format {
                FieldFormat::String => ("string", vec![]),
                FieldFormat::Float => ("float", vec![]),
                FieldFormat::Bool => ("bool", vec![]),
                FieldFormat::List(v) => ("list", v.clone()),
            };
            let possible: Vec<Value> = values
                .iter()
                .map(|v| json!({"value": v, "label": v}))
                .collect();
            json!({"id": f.id, "name": f.name, "customized_type": "issue",
                "field_format": format, "multiple": false, "is_required": false,
                "is_filter": true, "visible": true, "default_value": "",
                "possible_values": possible})
        })
        .collect();
    ok(json!({ "custom_fields": list }))
}
