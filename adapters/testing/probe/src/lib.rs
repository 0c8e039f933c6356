//! A test adapter. With no native query it is a well-behaved adapter for a plain
//! JSON ticket API (`GET /tickets` → `[{id, subject, body, ...}]`). With a native
//! query it misbehaves on purpose, so the tests can show the host contains it:
//!
//! | query            | does                                                     |
//! |------------------|----------------------------------------------------------|
//! | `fetch:URL`      | GET URL; subject = status, body = response body, tags = the request headers it sent |
//! | `requests:N:URL` | GET URL N times                                          |
//! | `loop`           | spins forever                                            |
//! | `alloc`          | allocates until it is stopped                            |
//! | `panic`          | panics                                                   |
//! | `flood:N:LEN`    | logs N info lines of LEN bytes each (for the output budget) |
//! | `settings`       | returns its settings as tags                             |
//! | `count`          | maps `GET /tickets` like the default but returns only the count (for the benchmark's breakdown) |
//!
//! Moves against the gateway (read-back, writes in read-only calls, public notes) are in
//! [`gateway_probes`].

pub mod gateway_probes;
pub mod map;

use triage_adapter_sdk::http::{Method, Request};
use triage_adapter_sdk::*;

/// The adapter (public so that native builds, which export nothing, keep it).
pub struct Probe;

impl Adapter for Probe {
    fn describe() -> AdapterInfo {
        AdapterInfo {
            name: "probe".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            system: "plain JSON ticket API (test)".into(),
            capabilities: Capabilities::TAGS,
            max_page_size: 100,
        }
    }

    fn find_tickets(query: TicketQuery, _cursor: Option<String>) -> AdapterResult<Page> {
        let native = query.native.unwrap_or_default();
        let tickets = if let Some(found) = gateway_probes::find(&native) {
            found?
        } else if native.is_empty() {
            let reply = Request::new(Method::Get, "/tickets").send()?.ok()?;
            map::page_from_json(&reply.body)?
        } else if let Some(url) = native.strip_prefix("fetch:") {
            vec![fetch(url)?]
        } else if let Some(rest) = native.strip_prefix("requests:") {
            let (n, url) = rest.split_once(':').unwrap_or(("0", ""));
            let n: u32 = n.parse().unwrap_or(0);
            for _ in 0..n {
                Request::new(Method::Get, url).send()?;
            }
            vec![ticket("done", format!("{n} requests"))]
        } else if native == "loop" {
            spin()
        } else if native == "alloc" {
            hoard()
        } else if native == "panic" {
            panic!("asked to panic")
        } else if let Some(rest) = native.strip_prefix("flood:") {
            let (n, len) = rest.split_once(':').unwrap_or((rest, "16"));
            let (n, len): (u32, usize) = (n.parse().unwrap_or(0), len.parse().unwrap_or(16));
            let line = "f".repeat(len);
            for _ in 0..n {
                log::info(&line);
            }
            vec![ticket("flooded", format!("{n} lines"))]
        } else if native == "count" {
            let reply = Request::new(Method::Get, "/tickets").send()?.ok()?;
            let mapped = map::page_from_json(&reply.body)?;
            vec![ticket("count", mapped.len().to_string())]
        } else if native == "settings" {
            let mut t = ticket("settings", "settings");
            t.tags = config::entries()
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            vec![t]
        } else {
            return Err(AdapterError::Unsupported(format!("query {native:?}")));
        };
        Ok(Page {
            tickets,
            next: None,
            total: None,
        })
    }

    fn get_ticket(id: String) -> AdapterResult<Ticket> {
        let reply = Request::new(Method::Get, format!("/tickets/{}", http::encode(&id)))
            .send()?
            .ok()?;
        map::ticket_from_json(&reply.body)
    }

    fn update_ticket(_id: String, _patch: TicketPatch) -> AdapterResult<Ticket> {
        Err(AdapterError::Unsupported("probe cannot update".into()))
    }

    fn add_note(id: String, note: Note) -> AdapterResult<Option<String>> {
        gateway_probes::add_note(&id, &note)
    }

    fn list_queues() -> AdapterResult<Vec<EntityRef>> {
        Ok(Vec::new())
    }

    fn list_priorities() -> AdapterResult<Vec<EntityRef>> {
        Ok(Vec::new())
    }
}

fn fetch(url: &str) -> AdapterResult<Ticket> {
    let request = Request::new(Method::Get, url).header("x-probe", "1");
    let sent: Vec<String> = vec!["accept: application/json".into(), "x-probe: 1".into()];
    match http::send_raw(request) {
        Ok(reply) => {
            let mut t = ticket("fetched", reply.status.to_string());
            t.body_text = Some(reply.text());
            t.tags = sent;
            t.tags.extend(
                reply
                    .headers
                    .iter()
                    .map(|(k, v)| format!("response {k}: {v}")),
            );
            Ok(t)
        }
        Err(e) => Err(errors::from_http(e)),
    }
}

#[allow(clippy::empty_loop)]
fn spin() -> ! {
    let mut n: u64 = 0;
    loop {
        n = std::hint::black_box(n.wrapping_add(1));
    }
}

fn hoard() -> ! {
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    loop {
        hoard.push(vec![1u8; 1 << 20]);
        std::hint::black_box(&hoard);
    }
}

export_adapter!(Probe);
