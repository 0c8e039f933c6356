//! A small HTTP/1.1 accept loop around an axum router.
//!
//! Why not `axum::serve`: fault injection must be able to close a connection without sending
//! anything, from inside a handler. Each connection here gets a [`ConnKill`] in its request
//! extensions; notifying it makes the connection task drop the socket mid-request.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::Service;

/// Closes the connection the request came on, without a reply.
#[derive(Clone, Debug)]
pub(crate) struct ConnKill(pub Arc<Notify>);

/// Serves `router` on `listener` until `shutdown` changes or is dropped.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(stream, router.clone(), shutdown.clone()));
            }
            _ = shutdown.changed() => break,
        }
    }
}

async fn connection(
    stream: tokio::net::TcpStream,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let kill = Arc::new(Notify::new());
    let handle = ConnKill(kill.clone());
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(handle.clone());
        let mut router = router.clone();
        async move { router.call(req.map(Body::new)).await }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
        _ = shutdown.changed() => {}
    }
}
