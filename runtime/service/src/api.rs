//! The HTTP API of `triage serve`.
//!
//! `/healthz` and `/readyz` are open (probes); everything else needs the bearer
//! token when one is configured.

use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use triage_gateway::Secret;

use crate::service::Service;

/// Shared by the handlers.
#[derive(Clone)]
struct Api {
    service: Arc<Service>,
    token: Option<Arc<Secret>>,
}

/// The router; `token` is required as `Authorization: Bearer …` when given.
pub fn router(service: Arc<Service>, token: Option<Secret>) -> Router {
    let api = Api {
        service,
        token: token.map(Arc::new),
    };
    let guarded = Router::new()
        .route("/metrics", get(metrics))
        .route("/v1/classify", post(classify))
        .route("/v1/pipelines", get(pipelines))
        .route("/v1/pipelines/{name}", get(pipeline))
        .route("/v1/pipelines/{name}/run", post(run))
        .route_layer(middleware::from_fn_with_state(api.clone(), authorize));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .merge(guarded)
        .with_state(api)
}

async fn authorize(State(api): State<Api>, request: Request, next: Next) -> Response {
    if let Some(token) = &api.token {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !constant_time_eq(given.as_bytes(), token.expose().as_bytes()) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                Json(Problem::new("missing or wrong bearer token")),
            )
                .into_response();
        }
    }
    next.run(request).await
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Serialize)]
struct Problem {
    error: String,
}

impl Problem {
    fn new(error: impl Into<String>) -> Self {
        Self {
            error: error.into(),
        }
    }
}

async fn ready(State(api): State<Api>) -> impl IntoResponse {
    if api.service.is_ready() {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "starting or reloading")
    }
}

async fn metrics(State(api): State<Api>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        api.service.metrics().encode(),
    )
}

async fn pipelines(State(api): State<Api>) -> impl IntoResponse {
    Json(api.service.board().all())
}

/// `GET /v1/pipelines/{name}` query: `?window=7d` for the agreement figures.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PipelineQuery {
    window: Option<String>,
}

/// A pipeline's status with its agreement figures.
#[derive(Serialize)]
struct PipelineDetail {
    #[serde(flatten)]
    status: crate::status::PipelineStatus,
    agreement: crate::agreement::AgreementReport,
}

async fn pipeline(
    State(api): State<Api>,
    Path(name): Path<String>,
    Query(query): Query<PipelineQuery>,
) -> Response {
    let Some(status) = api.service.board().get(&name) else {
        return not_found(&name);
    };
    let window = match query.window.as_deref().map(triage_config::parse_duration) {
        None => crate::agreement::DEFAULT_WINDOW,
        Some(Ok(w)) => w,
        Some(Err(e)) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(Problem::new(format!("window: {e}"))),
            )
                .into_response();
        }
    };
    let store = api.service.store();
    match crate::agreement::report(&**store, &name, window, chrono::Utc::now()).await {
        Ok(agreement) => Json(PipelineDetail { status, agreement }).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(Problem::new(format!("agreement of pipeline {name:?}: {e}"))),
        )
            .into_response(),
    }
}

async fn run(State(api): State<Api>, Path(name): Path<String>) -> Response {
    if api.service.trigger(&name).await {
        (
            StatusCode::ACCEPTED,
            Json(serde_json::json!({ "pipeline": name, "started": true })),
        )
            .into_response()
    } else {
        not_found(&name)
    }
}

fn not_found(name: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(Problem::new(format!("no running pipeline named {name:?}"))),
    )
        .into_response()
}

/// `POST /v1/classify` body: one text or several; every model, or the one named.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassifyRequest {
    text: Option<String>,
    texts: Option<Vec<String>>,
    model: Option<String>,
}

#[derive(Serialize)]
struct Label {
    label: String,
    confidence: f32,
}

#[derive(Serialize)]
struct ModelAnswer {
    model: String,
    version: String,
    label: String,
    confidence: f32,
    top: Vec<Label>,
}

async fn classify(State(api): State<Api>, Json(request): Json<ClassifyRequest>) -> Response {
    let texts = match (request.text, request.texts) {
        (Some(t), None) => vec![t],
        (None, Some(ts)) if !ts.is_empty() && ts.len() <= 256 => ts,
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                Json(Problem::new(
                    "give either \"text\" or \"texts\" (1 to 256 texts)",
                )),
            )
                .into_response();
        }
    };
    let parts = api.service.parts().await;
    let models: Vec<_> = parts
        .models
        .iter()
        .filter(|(name, _)| request.model.as_ref().is_none_or(|m| m == *name))
        .collect();
    if models.is_empty() {
        let what = request.model.unwrap_or_else(|| "any".into());
        return (
            StatusCode::NOT_FOUND,
            Json(Problem::new(format!("no loaded model named {what:?}"))),
        )
            .into_response();
    }
    let mut results: Vec<Vec<ModelAnswer>> = texts.iter().map(|_| Vec::new()).collect();
    for (name, loaded) in models {
        let predictions = match loaded.model.classify_batch(texts.clone()).await {
            Ok(p) => p,
            Err(e) => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(Problem::new(format!("model {name}: {e}"))),
                )
                    .into_response();
            }
        };
        for (slot, p) in results.iter_mut().zip(predictions) {
            slot.push(ModelAnswer {
                model: name.clone(),
                version: loaded.version.clone(),
                label: p.label,
                confidence: p.confidence,
                top: p
                    .top
                    .into_iter()
                    .map(|s| Label {
                        label: s.label,
                        confidence: s.confidence,
                    })
                    .collect(),
            });
        }
    }
    Json(serde_json::json!({ "results": results })).into_response()
}
