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
use super::shared::{AppState, lock};
use crate::faults::Action;
use crate::ratelimit::{Category, Verdict};
use crate::traffic::{intake, pause_or_drop};

pub(crate) async fn pipeline(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let mut request = intake(req, &s.traffic.log, |p| {
        auth::authorized(&p.headers, &s.api_key)
    })
    .await;
    let decision = lock(&s.traffic.faults).decide();
    if pause_or_drop(decision, &mut request, &s.traffic.log).await {
        return ApiError::Unavailable.into_response();
    }
    let mut record = request.record;
    let (category, cost) = classify(
        &request.parts.method,
        &record.path,
        record.query.as_deref(),
        &s,
    );
    let verdict = lock(&s.traffic.limiter).check(category, cost, Instant::now());
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
        next.run(Request::from_parts(request.parts, Body::from(request.body)))
            .await
    };
    stamp(&mut response, verdict);
    record.status = Some(response.status().as_u16());
    lock(&s.traffic.log).push(record);
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
            let per = lock(&s.traffic.limiter).config().include_cost;
            (Category::List, 1 + includes * per)
        }
        Method::GET if path == "/api/v2/search/tickets" => (Category::List, 1),
        _ => (Category::Other, 1),
    }
}
