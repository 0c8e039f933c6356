//! Reports, as tags of one ticket, what WASI let it do. Under triage every
//! attempt must fail: `fs:denied`, `file:denied`, `env:0`, `args:0`.
//!
//! With the native query `flood:N`, it writes N short lines to stdout a byte at a time
//! and N to stderr in one write each (for the output budget) instead.
//!
//! Sockets are not tried here: Debian's wasi-libc (used for offline builds) is
//! a preview-1 libc without them. The host's WASI context allows no socket
//! address either (wasmtime-wasi's default check refuses all).

use triage_adapter_sdk::*;

/// The adapter (public so that native builds, which export nothing, keep it).
pub struct WasiProbe;

fn attempts() -> Vec<String> {
    println!("wasi-probe: hello from stdout");
    eprintln!("wasi-probe: hello from stderr");
    let fs = match std::fs::read_dir("/") {
        Ok(entries) => format!("fs:listed {}", entries.count()),
        Err(_) => "fs:denied".to_owned(),
    };
    let file = match std::fs::read_to_string("/etc/passwd") {
        Ok(_) => "file:read".to_owned(),
        Err(_) => "file:denied".to_owned(),
    };
    let env = format!("env:{}", std::env::vars().count());
    let args = format!("args:{}", std::env::args().count());
    vec![fs, file, env, args]
}

fn flood(lines: u32) -> Vec<String> {
    use std::io::Write;
    let mut out = std::io::stdout();
    for _ in 0..lines {
        for b in b"o\n" {
            let _ = out.write_all(&[*b]);
            let _ = out.flush();
        }
    }
    for _ in 0..lines {
        eprintln!("e");
    }
    vec![format!("flooded:{lines}")]
}

impl Adapter for WasiProbe {
    fn describe() -> AdapterInfo {
        AdapterInfo {
            name: "wasi-probe".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            system: "none (test)".into(),
            capabilities: Capabilities::empty(),
            max_page_size: 1,
        }
    }

    fn find_tickets(query: TicketQuery, _cursor: Option<String>) -> AdapterResult<Page> {
        let mut t = ticket("wasi", "what WASI allowed");
        t.tags = match query
            .native
            .as_deref()
            .and_then(|q| q.strip_prefix("flood:"))
        {
            Some(n) => flood(n.parse().unwrap_or(0)),
            None => attempts(),
        };
        Ok(Page {
            tickets: vec![t],
            next: None,
            total: None,
        })
    }

    fn get_ticket(_id: String) -> AdapterResult<Ticket> {
        Err(AdapterError::Unsupported("test adapter".into()))
    }

    fn update_ticket(_id: String, _patch: TicketPatch) -> AdapterResult<Ticket> {
        Err(AdapterError::Unsupported("test adapter".into()))
    }

    fn add_note(_id: String, _note: Note) -> AdapterResult<Option<String>> {
        Err(AdapterError::Unsupported("test adapter".into()))
    }

    fn list_queues() -> AdapterResult<Vec<EntityRef>> {
        Ok(Vec::new())
    }

    fn list_priorities() -> AdapterResult<Vec<EntityRef>> {
        Ok(Vec::new())
    }
}

export_adapter!(WasiProbe);
