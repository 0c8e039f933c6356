//! The HTTP surface: `/otobo/nph-genericinterface.pl/Webservice/<name>/<route>` (and
//! `/WebserviceID/<id>/…`, and Znuny's `/otrs/…` prefix), dispatched the way OTOBO's
//! `HTTP::REST` transport does. Operation results are HTTP 200 JSON, errors included; only the
//! transport answers 500 with text (no route for the method and path, a body that is not JSON).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use chrono::Utc;

use super::request::{TransportError, request_data};
use super::shared::{AppState, Authenticated, lock};
use super::webservice::{self, Operation};
use super::{get, search, session, update};

/// The OTOBO and Znuny paths of the GenericInterface.
pub const PREFIXES: [&str; 2] = [
    "/otobo/nph-genericinterface.pl",
    "/otrs/nph-genericinterface.pl",
];

pub(crate) fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for prefix in PREFIXES {
        router = router.route(
            &format!("{prefix}/{{kind}}/{{service}}/{{*rest}}"),
            any(dispatch),
        );
    }
    router
        .fallback(|| async { (StatusCode::NOT_FOUND, "Not Found") })
        .with_state(state)
}

fn transport_error(message: String) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")],
        message,
    )
        .into_response()
}

async fn dispatch(
    State(s): State<AppState>,
    Path((kind, service, rest)): Path<(String, String, String)>,
    method: Method,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let by_id = match kind.as_str() {
        "Webservice" => false,
        "WebserviceID" => true,
        _ => return (StatusCode::NOT_FOUND, "Not Found").into_response(),
    };
    let Some(ws) = webservice::find(by_id, &service) else {
        return transport_error(format!(
            "Could not load web service configuration for web service {service}"
        ));
    };
    let path = format!("/{rest}");
    let Some((op, params)) = webservice::route(ws.style, method.as_str(), &path) else {
        return transport_error(format!(
            "HTTP::REST Error while determine Operation for request URI '{path}'."
        ));
    };
    let data = match request_data(&method, query.as_deref(), &params, &body) {
        Ok(d) => d,
        Err(TransportError(m)) => return transport_error(m),
    };
    let now = Utc::now();
    let (value, authenticated) = {
        let mut store = lock(&s.store);
        match op {
            Operation::SessionCreate => session::create(&mut store, &s.settings, &data),
            Operation::TicketGet => get::run(&store, &s.settings, &data),
            Operation::TicketSearch => search::run(&store, &s.settings, &data),
            Operation::TicketUpdate => {
                update::run(&mut store, &s.settings, &data, ws.include_ticket_data, now)
            }
        }
    };
    let mut response = (
        [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
        value.to_string(),
    )
        .into_response();
    response
        .extensions_mut()
        .insert(Authenticated(authenticated));
    response
}
