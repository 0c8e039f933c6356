//! A recording HTTP server on 127.0.0.1 with an OS-assigned port: serves a few
//! fixed routes and remembers every request it saw, headers included.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Method.
    pub method: String,
    /// Path and query.
    pub uri: String,
    /// Headers, lower-case names.
    pub headers: Vec<(String, String)>,
}

#[derive(Default)]
struct Shared {
    seen: Vec<Seen>,
    tickets: serde_json::Value,
    redirect_to: Option<String>,
}

/// A running test server.
#[derive(Clone)]
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
}

impl TestServer {
    /// Start serving:
    /// - `GET /tickets`: the ticket list set with [`TestServer::set_tickets`];
    /// - `GET /tickets/{id}`: one of them (`/tickets/{id}/notes` and the like: `ok`);
    /// - `GET /big/{bytes}`: a body of that many bytes;
    /// - `GET /redirect`: 302 to the URL set with [`TestServer::redirect_to`];
    /// - `/echo`: the request's headers and query as JSON, like a debug endpoint (httpbin's
    ///   `/anything`) would return them;
    /// - anything else: 200 `ok`.
    pub async fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let app = Router::new()
            .fallback(any(handle))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        Self { addr, shared }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.lock().unwrap().seen.clone()
    }

    /// The list `GET /tickets` serves.
    pub fn set_tickets(&self, tickets: serde_json::Value) {
        self.shared.lock().unwrap().tickets = tickets;
    }

    /// Where `GET /redirect` points.
    pub fn redirect_to(&self, url: &str) {
        self.shared.lock().unwrap().redirect_to = Some(url.to_owned());
    }
}

async fn handle(State(shared): State<Arc<Mutex<Shared>>>, request: Request) -> Response {
    let (parts, _body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let mut state = shared.lock().unwrap();
    state.seen.push(Seen {
        method: parts.method.to_string(),
        uri: parts.uri.to_string(),
        headers: headers(&parts.headers),
    });
    if path == "/echo" {
        let echoed: serde_json::Map<String, serde_json::Value> = headers(&parts.headers)
            .into_iter()
            .map(|(k, v)| (k, v.into()))
            .collect();
        let query = parts.uri.query().map(str::to_owned);
        return json(serde_json::json!({"headers": echoed, "query": query}).to_string());
    }
    if path == "/tickets" {
        return json(state.tickets.to_string());
    }
    if let Some(id) = path.strip_prefix("/tickets/")
        && !id.contains('/')
    {
        let found = state.tickets.as_array().and_then(|all| {
            all.iter()
                .find(|t| t["id"].to_string().trim_matches('"') == id)
        });
        return match found {
            Some(t) => json(t.to_string()),
            None => (StatusCode::NOT_FOUND, "").into_response(),
        };
    }
    if let Some(n) = path.strip_prefix("/big/") {
        let n: usize = n.parse().unwrap_or(0);
        return Bytes::from(vec![b'x'; n]).into_response();
    }
    if path == "/redirect"
        && let Some(to) = &state.redirect_to
    {
        return (StatusCode::FOUND, [(header::LOCATION, to.clone())]).into_response();
    }
    "ok".into_response()
}

fn json(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn headers(map: &HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}
