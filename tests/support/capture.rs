//! One process-wide log capture per test binary. `tracing` allows one global subscriber a
//! process, with one filter, so every suite of a binary shares it; the filter is the
//! binary's (its `main.rs` names it), and a second filter is refused loudly.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Starts capturing with `filter` (once a process; every call must pass the same filter).
pub fn start(filter: &'static str) {
    static INSTALLED: OnceLock<&'static str> = OnceLock::new();
    let installed = INSTALLED.get_or_init(|| {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(|| Capture)
            .with_ansi(false)
            .init();
        filter
    });
    assert_eq!(*installed, filter, "one log filter a test binary");
}

/// Bytes captured so far.
pub fn len() -> usize {
    LOGS.lock().unwrap().len()
}

/// Everything captured from byte `start` on.
pub fn since(start: usize) -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap()[start..]).into_owned()
}
