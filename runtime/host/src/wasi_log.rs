//! Guest stdout/stderr (from WASI components) go to the log, tagged with the adapter.

use std::pin::Pin;
use std::task::{Context, Poll};

use wasmtime_wasi::cli::{IsTerminal, StdoutStream};

/// Longest line logged from one write; the rest is dropped so a chatty guest
/// cannot flood the operator's log.
const MAX_LOGGED: usize = 4096;

#[derive(Clone)]
pub(crate) struct GuestOutput {
    pub(crate) adapter: String,
    pub(crate) stream: &'static str,
}

impl IsTerminal for GuestOutput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for GuestOutput {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl tokio::io::AsyncWrite for GuestOutput {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let shown = String::from_utf8_lossy(&buf[..buf.len().min(MAX_LOGGED)]);
        for line in shown.lines().filter(|l| !l.trim().is_empty()) {
            tracing::info!(adapter = %self.adapter, stream = self.stream, "{line}");
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
