//! What happens to every request before and after its handler: log it, apply injected
//! latency/drops, the throttle in front of Zammad (failed calls count too), injected 5xx
//! replies, then the token check and the handler.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api_error::ApiError;
use super::auth;
use super::shared::{AppState, lock};
use crate::faults::Action;
use crate::ratelimit::Category;
use crate::traffic::{intake, pause_or_drop};

pub(crate) async fn pipeline(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let mut verdict = auth::Verdict::Missing;
    let mut request = intake(req, &s.traffic.log, |p| {
        verdict = auth::check(&p.headers, &s.token);
        verdict == auth::Verdict::Ok
    })
    .await;
    let decision = lock(&s.traffic.faults).decide();
    if pause_or_drop(decision, &mut request, &s.traffic.log).await {
        return ApiError::Injected {
            status: 503,
            admin: s.admin,
        }
        .into_response();
    }
    let mut record = request.record;
    let limit = lock(&s.traffic.limiter).check(Category::Other, 1, Instant::now());
    let response = if let Some(secs) = limit.retry_after {
        let mut r = ApiError::RateLimited.into_response();
        r.headers_mut()
            .insert("retry-after", HeaderValue::from(secs));
        r
    } else if let Action::Status(status) = decision.action {
        record.injected = true;
        ApiError::Injected {
            status,
            admin: s.admin,
        }
        .into_response()
    } else if let Some(e) = verdict.error() {
        e.into_response()
    } else {
        next.run(Request::from_parts(request.parts, Body::from(request.body)))
            .await
    };
    record.status = Some(response.status().as_u16());
    lock(&s.traffic.log).push(record);
    response
}
