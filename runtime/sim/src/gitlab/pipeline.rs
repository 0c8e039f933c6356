//! What happens to every request before and after its handler: log it, apply injected latency
//! and dropped connections (shared `traffic`), charge the rate limit (refused calls count
//! too), inject 5xx pages, check the token, run the handler, then stamp `RateLimit-Limit`,
//! `RateLimit-Remaining` and `RateLimit-Observed` on every reply while a limit is set. A
//! refused call is 429 with `Retry-After` and `RateLimit-Reset` (Unix seconds) as well, as
//! GitLab's throttle sends.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api_error::ApiError;
use super::shared::{AppState, lock};
use crate::faults::Action;
use crate::ratelimit::{Category, Verdict};
use crate::traffic::{intake, pause_or_drop};

pub(crate) async fn pipeline(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let mut request = intake(req, &s.traffic.log, |p| s.credentials.accept(&p.headers)).await;
    let decision = lock(&s.traffic.faults).decide();
    if pause_or_drop(decision, &mut request, &s.traffic.log).await {
        return ApiError::Server(StatusCode::SERVICE_UNAVAILABLE).into_response();
    }
    let mut record = request.record;
    let verdict = lock(&s.traffic.limiter).check(Category::Other, 1, Instant::now());
    let mut response = if let Some(secs) = verdict.retry_after {
        let mut r = ApiError::RateLimited.into_response();
        let reset = chrono::Utc::now().timestamp() + secs as i64;
        let h = r.headers_mut();
        h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        h.insert("ratelimit-reset", HeaderValue::from(reset));
        r
    } else if let Action::Status(code) = decision.action {
        record.injected = true;
        ApiError::Server(StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
            .into_response()
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

/// No headers without a limit (`unlimited` is `u32::MAX`), as on a server with the throttle off.
fn stamp(response: &mut Response, v: Verdict) {
    if v.total == u32::MAX {
        return;
    }
    let h = response.headers_mut();
    h.insert("ratelimit-limit", HeaderValue::from(v.total));
    h.insert("ratelimit-remaining", HeaderValue::from(v.remaining));
    h.insert("ratelimit-observed", HeaderValue::from(v.used_current));
}
