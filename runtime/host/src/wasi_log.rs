//! Guest stdout/stderr (from WASI components) go to the log, tagged with the adapter.
//!
//! Bytes are gathered into lines, so one guest line is one log record however it was
//! written (a byte at a time or many lines at once); a line is cut at [`MAX_LOGGED`]
//! bytes and the rest of it skipped; each line is charged to the instance's
//! [`OutputBudget`]. A line still open when a call ends is logged then.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use wasmtime_wasi::cli::{IsTerminal, StdoutStream};

use crate::output::OutputBudget;

/// Longest line logged; the rest of a longer one is skipped.
const MAX_LOGGED: usize = 4096;

/// A line being gathered.
#[derive(Debug, Default)]
struct Pending {
    line: Vec<u8>,
}

/// One of an instance's output streams. Clones (one per stream the guest opens) share
/// the line being gathered.
#[derive(Clone)]
pub(crate) struct GuestOutput {
    adapter: Arc<str>,
    stream: &'static str,
    budget: OutputBudget,
    pending: Arc<Mutex<Pending>>,
}

impl GuestOutput {
    pub(crate) fn new(adapter: Arc<str>, stream: &'static str, budget: OutputBudget) -> Self {
        Self {
            adapter,
            stream,
            budget,
            pending: Arc::default(),
        }
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Add guest bytes; log each line they complete.
    fn write(&self, bytes: &[u8]) {
        let mut pending = self.pending();
        let mut parts = bytes.split(|b| *b == b'\n').peekable();
        while let Some(part) = parts.next() {
            let room = MAX_LOGGED.saturating_sub(pending.line.len());
            pending
                .line
                .extend_from_slice(&part[..part.len().min(room)]);
            // Every part but the last was followed by a newline.
            if parts.peek().is_some() {
                let line = std::mem::take(&mut pending.line);
                self.emit(&line);
            }
        }
    }

    /// Log the line still open, if any (at the end of a call).
    pub(crate) fn flush_line(&self) {
        let line = std::mem::take(&mut self.pending().line);
        self.emit(&line);
    }

    fn emit(&self, line: &[u8]) {
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end();
        if line.trim().is_empty() {
            return;
        }
        if self.budget.admit(line.len()) {
            tracing::info!(adapter = %self.adapter, stream = self.stream, "{line}");
        }
    }
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
        self.write(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Allowance, OutputBudget};

    fn output(lines: usize) -> (GuestOutput, OutputBudget) {
        let allowance = Allowance {
            lines,
            bytes: 1 << 20,
        };
        let budget = OutputBudget::new(allowance, allowance);
        (
            GuestOutput::new("t".into(), "stdout", budget.clone()),
            budget,
        )
    }

    #[test]
    fn a_line_written_a_byte_at_a_time_is_one_line() {
        let (out, budget) = output(1);
        for b in b"hello\n" {
            out.write(&[*b]);
        }
        // One line admitted; a second would be dropped.
        out.write(b"again\n");
        assert_eq!(budget.take_dropped().map(|d| d.lines), Some(1));
    }

    #[test]
    fn an_overlong_line_is_cut_and_counted_once() {
        let (out, budget) = output(1);
        out.write(&vec![b'x'; 3 * MAX_LOGGED]);
        out.write(&vec![b'y'; 3 * MAX_LOGGED]);
        assert!(out.pending().line.len() == MAX_LOGGED);
        out.write(b"\nnext\n");
        assert_eq!(budget.take_dropped().map(|d| d.lines), Some(1));
    }

    #[test]
    fn an_open_line_is_logged_when_the_call_ends() {
        let (out, budget) = output(1);
        out.write(b"no newline");
        out.flush_line();
        assert!(out.pending().line.is_empty());
        out.write(b"second\n");
        assert_eq!(budget.take_dropped().map(|d| d.lines), Some(1));
    }
}
