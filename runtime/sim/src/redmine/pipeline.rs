//! What happens to every request before its handler: log it, apply injected latency and
//! dropped connections (shared `traffic`), the rate limit, injected 5xx pages, then Redmine's
//! key check (401 with `WWW-Authenticate`).
//!
//! Redmine has no rate limit of its own; production instances sit behind nginx or a similar
//! proxy that refuses bursts. The shared limiter stands in for that proxy with one total
//! limit (`RateLimitConfig::per_minute`), answered with 429 and `Retry-After`.
//!
//! The key is accepted in `X-Redmine-API-Key` or as `?key=`, the two forms Redmine documents
//! for API keys; HTTP Basic with a login and password is not simulated.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::state::AppState;
use crate::faults::Action;
use crate::ratelimit::Category;
use crate::traffic::{intake, lock, pause_or_drop};

/// Whether the request carries the key, in the header or the query.
pub(crate) fn authorized(headers: &HeaderMap, query: Option<&str>, key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    let header = headers
        .get("x-redmine-api-key")
        .and_then(|v| v.to_str().ok());
    let in_query = query.is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "key" && v == key)
    });
    header == Some(key) || in_query
}

pub(crate) async fn pipeline(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let mut request = intake(req, &s.traffic.log, |p| {
        authorized(&p.headers, p.uri.query(), &s.api_key)
    })
    .await;
    let decision = lock(&s.traffic.faults).decide();
    if pause_or_drop(decision, &mut request, &s.traffic.log).await {
        return error_page(StatusCode::SERVICE_UNAVAILABLE);
    }
    let mut record = request.record;
    let verdict = lock(&s.traffic.limiter).check(Category::Other, 1, Instant::now());
    let response = if let Some(secs) = verdict.retry_after {
        let mut r = error_page(StatusCode::TOO_MANY_REQUESTS);
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        r
    } else if let Action::Status(code) = decision.action {
        record.injected = true;
        error_page(StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
    } else if !record.authorized {
        let mut r = StatusCode::UNAUTHORIZED.into_response();
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"Redmine API\""),
        );
        r
    } else {
        next.run(Request::from_parts(request.parts, Body::from(request.body)))
            .await
    };
    record.status = Some(response.status().as_u16());
    lock(&s.traffic.log).push(record);
    response
}

/// What a proxy or Rails shows for an error: a small HTML page, not JSON.
fn error_page(status: StatusCode) -> Response {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html")],
        format!("<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_in_header_or_query() {
        let mut h = HeaderMap::new();
        assert!(!authorized(&h, None, "k"));
        assert!(authorized(&h, Some("limit=1&key=k"), "k"));
        assert!(!authorized(&h, Some("key=x"), "k"));
        h.insert("x-redmine-api-key", "k".parse().unwrap());
        assert!(authorized(&h, None, "k"));
        assert!(!authorized(&h, None, ""));
    }
}
