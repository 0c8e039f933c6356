//! What happens to every request before and after its handler, in Freshdesk's order:
//! log it, apply injected latency/drops, charge the rate limit (failed calls count too), inject
//! 5xx faults, check credentials, run the handler, then stamp the `X-RateLimit-*` headers.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api_error::ApiError;
use super::auth;
use super::paging::Params;
use super::ratelimit::{Category, Verdict};
use super::shared::{AppState, lock};
use crate::faults::Action;
use crate::log::RequestRecord;
use crate::server::ConnKill;

/// Largest request body read (tickets and notes are small).
const MAX_BODY: usize = 16 * 1024 * 1024;

pub(crate) async fn pipeline(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .unwrap_or_default();
    let mut record = RequestRecord {
        seq: lock(&s.log).next_seq(),
        at: chrono::Utc::now(),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: None,
        authorized: auth::authorized(&parts.headers, &s.api_key),
        injected: false,
    };
    let decision = lock(&s.faults).decide();
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    if decision.action == Action::Drop {
        record.injected = true;
        lock(&s.log).push(record);
        if let Some(ConnKill(kill)) = parts.extensions.get::<ConnKill>() {
            kill.notify_one();
            std::future::pending::<()>().await;
        }
        return ApiError::Unavailable.into_response();
    }
    let (category, cost) = classify(&parts.method, &record.path, record.query.as_deref(), &s);
    let verdict = lock(&s.limiter).check(category, cost, Instant::now());
    let mut response = if let Some(secs) = verdict.retry_after {
        let mut r = ApiError::RateLimited.into_response();
        r.headers_mut()
            .insert("retry-after", HeaderValue::from(secs));
        r
    } else if let Action::Status(code) = decision.action {
        record.injected = true;
        injected(code)
    } else if !record.authorized {
        ApiError::Unauthorized.into_response()
    } else {
        next.run(Request::from_parts(parts, Body::from(bytes)))
            .await
    };
    stamp(&mut response, verdict);
    record.status = Some(response.status().as_u16());
    lock(&s.log).push(record);
    response
}

fn injected(code: u16) -> Response {
    match code {
        500 => ApiError::Internal.into_response(),
        503 => ApiError::Unavailable.into_response(),
        other => {
            let status = axum::http::StatusCode::from_u16(other)
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let mut r = ApiError::Internal.into_response();
            *r.status_mut() = status;
            r
        }
    }
}

fn stamp(response: &mut Response, v: Verdict) {
    let h = response.headers_mut();
    h.insert("x-ratelimit-total", HeaderValue::from(v.total));
    h.insert("x-ratelimit-remaining", HeaderValue::from(v.remaining));
    h.insert(
        "x-ratelimit-used-currentrequest",
        HeaderValue::from(v.used_current),
    );
}

/// The sub-limit a call draws from and its credit cost (includes on lists cost extra).
fn classify(method: &Method, path: &str, query: Option<&str>, s: &AppState) -> (Category, u32) {
    let path = path.trim_end_matches('/');
    match *method {
        Method::PUT => (Category::Update, 1),
        Method::POST => (Category::Create, 1),
        Method::GET if path == "/api/v2/tickets" => {
            let includes = Params::parse(query).get("include").map_or(0, |v| {
                v.split(',').filter(|x| !x.trim().is_empty()).count() as u32
            });
            let per = lock(&s.limiter).config().include_cost;
            (Category::List, 1 + includes * per)
        }
        Method::GET if path == "/api/v2/search/tickets" => (Category::List, 1),
        _ => (Category::Other, 1),
    }
}
