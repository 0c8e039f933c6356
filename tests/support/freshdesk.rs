//! Freshdesk glue for the conformance suite: an in-process simulator on 127.0.0.1, the
//! `freshdesk.wasm` adapter connected to it through the real host and gateway (the API
//! key injected as HTTP Basic), and the simulator as a [`SimulatorProbe`].

use std::collections::{BTreeMap, BTreeSet};

use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::WasmAdapter;
use triage_sim::freshdesk::{Dataset, FreshdeskSim, SimConfig, SimHandle};
use triage_sim::generate::{GenerateOptions, generate};

use crate::conformance::{SimulatorProbe, SystemNote, SystemTicket};
use crate::sim_probe::{custom_field_patch, first_id, missing_id};
use crate::{Connection, load};

/// An agent moves ticket `id` to group `group` through the API, as a person would
/// (an update the next pass lists, unlike a change made behind the simulator's back).
pub async fn agent_moves(sim: &SimHandle, id: u64, group: u64) {
    let answer = reqwest::Client::new()
        .put(format!("{}/api/v2/tickets/{id}", sim.base_url()))
        .header("Authorization", sim.auth_header())
        .json(&serde_json::json!({ "group_id": group }))
        .send()
        .await
        .expect("the simulator answers");
    assert!(answer.status().is_success(), "{}", answer.status());
}

/// A simulator holding `data`.
pub async fn start(data: Dataset) -> SimHandle {
    FreshdeskSim::start(SimConfig::default().with_data(data))
        .await
        .expect("the Freshdesk simulator starts")
}

/// A simulator with `n` generated tickets.
pub async fn start_generated(n: usize, seed: u64) -> SimHandle {
    start(generate(&GenerateOptions::new(n, seed))).await
}

/// The connection an operator would configure: the simulator's origin, its API key as
/// the Basic user (any password), and `base_url` set to the server root.
pub fn connection(sim: &SimHandle) -> Connection {
    Connection {
        credential: Some(Credential::Basic {
            user: Secret::new(sim.api_key()),
            password: Secret::new("X"),
        }),
        settings: BTreeMap::from([("base_url".to_owned(), sim.base_url().to_owned())]),
        ..Connection::to(sim.base_url())
    }
}

/// `dist/adapters/freshdesk.wasm`, connected to `sim`.
pub async fn connect(sim: &SimHandle) -> WasmAdapter {
    connection(sim).connect(&load("freshdesk")).await
}

/// The id of some ticket the API lists (not spam, not deleted).
pub fn some_ticket_id(sim: &SimHandle) -> String {
    first_id(sim.all_ticket_ids())
}

/// 60 generated tickets, the adapter connected, and a ticket's id.
pub async fn small() -> (SimHandle, WasmAdapter, String) {
    let sim = start_generated(60, 11).await;
    let adapter = connect(&sim).await;
    let id = some_ticket_id(&sim);
    (sim, adapter, id)
}

fn numeric(id: &str) -> u64 {
    crate::sim_probe::numeric(id, "Freshdesk")
}

impl SimulatorProbe for SimHandle {
    fn all_ticket_ids(&self) -> BTreeSet<String> {
        self.tickets()
            .into_iter()
            .filter(|t| !t.spam && !t.deleted)
            .map(|t| t.id.to_string())
            .collect()
    }

    fn ticket(&self, id: &str) -> Option<SystemTicket> {
        let t = SimHandle::ticket(self, id.parse().ok()?)?;
        let queue = t
            .group_id
            .and_then(|g| self.groups().into_iter().find(|x| x.id == g))
            .map(|g| g.name);
        Some(SystemTicket {
            queue,
            priority: Some(t.priority.to_string()),
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

    fn notes(&self, id: &str) -> Vec<SystemNote> {
        SimHandle::notes(self, numeric(id))
            .into_iter()
            .map(|n| SystemNote {
                body: n.body,
                internal: n.private,
            })
            .collect()
    }

    fn missing_ticket_id(&self) -> String {
        missing_id(self.tickets().iter().map(|t| t.id))
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // `cf_language` is a dropdown of en/de in the default account.
        let patch = custom_field_patch("cf_language", serde_json::json!("xx"));
        (patch, "custom_fields.cf_language".to_owned())
    }

    crate::steer_simulator!(set_rate_limits);
}
