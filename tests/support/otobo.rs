//! OTOBO glue for the conformance suite: an in-process simulator on 127.0.0.1 serving both
//! route styles, the `otobo.wasm` adapter connected to one of them through the real host and
//! gateway (the agent's `UserLogin`/`Password` injected as request fields), and the simulator
//! as a [`SimulatorProbe`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::WasmAdapter;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::otobo::{OtoboSim, RouteStyle, SimConfig, SimHandle};

use crate::conformance::{SimulatorProbe, SystemNote, SystemTicket};
use crate::sim_probe::{custom_field_patch, missing_id};
use crate::{Connection, load};

/// The dynamic field the tests keep tags in.
pub const TAG_FIELD: &str = "Tags";

/// A simulator with this configuration.
pub async fn start(config: SimConfig) -> SimHandle {
    OtoboSim::start(config)
        .await
        .expect("the OTOBO simulator starts")
}

/// A simulator with `n` generated tickets.
pub async fn start_generated(n: usize, seed: u64) -> SimHandle {
    start(SimConfig::default().with_data(generate(&GenerateOptions::new(n, seed)))).await
}

/// `+01:00` for the simulator's zone, as the `timezone` setting takes it.
pub fn timezone(sim: &SimHandle) -> String {
    let secs = sim.utc_offset().local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

/// The agent's login as field credentials.
pub fn credential(login: &str, password: &str) -> Credential {
    Credential::fields([
        ("UserLogin", Secret::new(login)),
        ("Password", Secret::new(password)),
    ])
    .expect("two distinct fields")
}

/// The connection an operator would configure: the web service URL of `style` as the base,
/// the agent's login injected by the host, the server's zone, the queue names (OTOBO cannot
/// list them) and the tag field.
pub fn connection(sim: &SimHandle, style: RouteStyle) -> Connection {
    let queues: Vec<String> = sim.queues().into_iter().map(|q| q.name).collect();
    Connection {
        credential: Some(credential(sim.login(), sim.password())),
        settings: BTreeMap::from([
            ("route_style".to_owned(), style.name().to_owned()),
            ("timezone".to_owned(), timezone(sim)),
            ("queues".to_owned(), queues.join(",")),
            ("tag_field".to_owned(), TAG_FIELD.to_owned()),
        ]),
        ..Connection::to(&sim.webservice_url(style))
    }
}

/// `dist/adapters/otobo.wasm`, connected to `sim`'s web service of `style`.
pub async fn connect(sim: &SimHandle, style: RouteStyle) -> WasmAdapter {
    connection(sim, style).connect(&load("otobo")).await
}

/// The id of some ticket.
pub fn some_ticket_id(sim: &SimHandle) -> String {
    sim.tickets()
        .first()
        .expect("the simulator holds tickets")
        .id
        .to_string()
}

/// 60 generated tickets, the adapter connected in route style `style`, and a ticket's id.
pub async fn small(style: RouteStyle) -> (SimHandle, WasmAdapter, String) {
    let sim = start_generated(60, 11).await;
    let adapter = connect(&sim, style).await;
    let id = some_ticket_id(&sim);
    (sim, adapter, id)
}

fn numeric(id: &str) -> u64 {
    crate::sim_probe::numeric(id, "OTOBO")
}

impl SimulatorProbe for SimHandle {
    fn all_ticket_ids(&self) -> BTreeSet<String> {
        self.tickets().iter().map(|t| t.id.to_string()).collect()
    }

    fn ticket(&self, id: &str) -> Option<SystemTicket> {
        let t = SimHandle::ticket(self, id.parse().ok()?)?;
        let tags = match t.dynamic_fields.get(TAG_FIELD) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        Some(SystemTicket {
            queue: self.queue_name(t.queue_id),
            priority: Some(t.priority_id.to_string()),
            tags,
            updated_at: Some(t.changed),
        })
    }

    fn set_ticket_tags(&self, id: &str, tags: &[String]) {
        let value = Value::Array(tags.iter().cloned().map(Value::String).collect());
        assert!(
            self.set_dynamic_field(numeric(id), TAG_FIELD, value),
            "no ticket {id}"
        );
    }

    /// Notes are the articles agents wrote.
    fn notes(&self, id: &str) -> Vec<SystemNote> {
        self.articles(numeric(id))
            .into_iter()
            .filter(|a| a.sender_type == "agent")
            .map(|a| SystemNote {
                body: a.body,
                internal: !a.visible_for_customer,
            })
            .collect()
    }

    fn missing_ticket_id(&self) -> String {
        missing_id(self.tickets().iter().map(|t| t.id))
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // `Language` is a dropdown of en/de.
        let patch = custom_field_patch("Language", serde_json::json!("xx"));
        (patch, "custom_fields.Language".to_owned())
    }

    crate::steer_simulator!(set_rate_limits);
}
