//! What happens to every request before OTOBO sees it: log it, apply injected latency or a
//! dropped connection, then the reverse proxy's rate limit (429 with `Retry-After`; OTOBO has no
//! limit of its own, a proxy such as nginx `limit_req` with `limit_req_status 429` does) and
//! injected failures (500 from the application, 502/503/504 pages from the proxy).

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::shared::{AppState, Authenticated, lock};
use crate::faults::Action;
use crate::ratelimit::Category;
use crate::traffic::{intake, pause_or_drop};

fn page(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let html = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        code = status.as_u16()
    );
    (status, [(header::CONTENT_TYPE, "text/html")], html).into_response()
}

fn injected(code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        // The application died (Perl), not the proxy: Apache's plain error.
        return (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")],
            "Internal Server Error",
        )
            .into_response();
    }
    page(status)
}

pub(crate) async fn pipeline(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let mut request = intake(req, &s.traffic.log, |_| false).await;
    let decision = lock(&s.traffic.faults).decide();
    if pause_or_drop(decision, &mut request, &s.traffic.log).await {
        return page(StatusCode::SERVICE_UNAVAILABLE);
    }
    let mut record = request.record;
    let verdict = lock(&s.traffic.limiter).check(Category::Other, 1, Instant::now());
    let response = if let Some(secs) = verdict.retry_after {
        let mut r = page(StatusCode::TOO_MANY_REQUESTS);
        r.headers_mut()
            .insert("retry-after", HeaderValue::from(secs));
        r
    } else if let Action::Status(code) = decision.action {
        record.injected = true;
        injected(code)
    } else {
        next.run(Request::from_parts(request.parts, Body::from(request.body)))
            .await
    };
    record.authorized = response
        .extensions()
        .get::<Authenticated>()
        .is_some_and(|a| a.0);
    record.status = Some(response.status().as_u16());
    lock(&s.traffic.log).push(record);
    response
}
