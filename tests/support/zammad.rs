//! Zammad glue for the conformance suite: an in-process simulator on 127.0.0.1, the
//! `zammad.wasm` adapter connected to it through the real host and gateway (the token
//! injected as `Authorization: Token token=…`), and the simulator as a [`SimulatorProbe`].

use std::collections::{BTreeMap, BTreeSet};

use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::WasmAdapter;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::zammad::{SimConfig, SimHandle, ZammadSim};

use crate::conformance::{SimulatorProbe, SystemNote, SystemTicket};
use crate::sim_probe::{custom_field_patch, first_id, missing_id};
use crate::{Connection, load};

/// A simulator started from `config`.
pub async fn start(config: SimConfig) -> SimHandle {
    ZammadSim::start(config)
        .await
        .expect("the Zammad simulator starts")
}

/// A simulator with `n` generated tickets, reached with an agent's token (no admin rights).
pub async fn start_generated(n: usize, seed: u64) -> SimHandle {
    start(SimConfig::default().with_data(generate(&GenerateOptions::new(n, seed)))).await
}

/// The same, with an admin's token (may list `/groups`, sees raw error texts).
pub async fn start_generated_admin(n: usize, seed: u64) -> SimHandle {
    start(
        SimConfig::default()
            .with_data(generate(&GenerateOptions::new(n, seed)))
            .as_admin(),
    )
    .await
}

/// The connection an operator would configure: the simulator's origin, its token injected
/// as the `Authorization` header, and `base_url` set to the server root.
pub fn connection(sim: &SimHandle) -> Connection {
    Connection {
        credential: Some(Credential::Header {
            name: "Authorization".into(),
            value: Secret::new(sim.auth_header()),
        }),
        settings: BTreeMap::from([("base_url".to_owned(), sim.base_url().to_owned())]),
        ..Connection::to(sim.base_url())
    }
}

/// `dist/adapters/zammad.wasm`, connected to `sim`.
pub async fn connect(sim: &SimHandle) -> WasmAdapter {
    connection(sim).connect(&load("zammad")).await
}

/// The id of some ticket.
pub fn some_ticket_id(sim: &SimHandle) -> String {
    first_id(sim.all_ticket_ids())
}

/// 60 generated tickets, the adapter connected with an admin's token (so `list-queues` has
/// group ids for the shared checks), and a ticket's id.
pub async fn small() -> (SimHandle, WasmAdapter, String) {
    let sim = start_generated_admin(60, 11).await;
    let adapter = connect(&sim).await;
    let id = some_ticket_id(&sim);
    (sim, adapter, id)
}

/// The same with an agent's token, as a triage bot normally has.
pub async fn small_as_agent() -> (SimHandle, WasmAdapter, String) {
    let sim = start_generated(60, 11).await;
    let adapter = connect(&sim).await;
    let id = some_ticket_id(&sim);
    (sim, adapter, id)
}

fn numeric(id: &str) -> u64 {
    crate::sim_probe::numeric(id, "Zammad")
}

impl SimulatorProbe for SimHandle {
    fn all_ticket_ids(&self) -> BTreeSet<String> {
        self.tickets()
            .into_iter()
            .map(|t| t.id.to_string())
            .collect()
    }

    fn ticket(&self, id: &str) -> Option<SystemTicket> {
        let t = SimHandle::ticket(self, id.parse().ok()?)?;
        let queue = self
            .groups()
            .into_iter()
            .find(|g| g.id == t.group_id)
            .map(|g| g.name);
        Some(SystemTicket {
            queue,
            priority: Some(t.priority_id.to_string()),
            tags: t.tags,
            updated_at: Some(t.updated_at),
        })
    }

    fn set_ticket_tags(&self, id: &str, tags: &[String]) {
        assert!(
            self.modify_ticket(numeric(id), |t| t.tags = tags.to_vec()),
            "no ticket {id}"
        );
    }

    /// Every article after the ticket's opening message. An internal *email* article is still
    /// sent to the customer, so only other internal articles count as internal.
    fn notes(&self, id: &str) -> Vec<SystemNote> {
        self.articles(numeric(id))
            .into_iter()
            .skip(1)
            .map(|a| SystemNote {
                internal: a.internal && a.kind != "email",
                body: a.body,
            })
            .collect()
    }

    fn missing_ticket_id(&self) -> String {
        missing_id(self.tickets().iter().map(|t| t.id))
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // `triage_confidence` is an integer attribute limited to 0–100 in the default system.
        let patch = custom_field_patch("triage_confidence", serde_json::json!(150));
        (patch, "triage_confidence".to_owned())
    }

    crate::steer_simulator!(set_rate_limits);
}
