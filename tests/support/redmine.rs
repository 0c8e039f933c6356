//! Redmine glue for the conformance suite: an in-process simulator on 127.0.0.1, the Python
//! `redmine.wasm` adapter (built with componentize-py) connected to it through the real host
//! and gateway (the API key injected as `X-Redmine-API-Key`), and the simulator as a
//! [`SimulatorProbe`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::{LoadedAdapter, WasmAdapter};
use triage_sim::freshdesk::Dataset;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::redmine::{RedmineSim, SimConfig, SimHandle};

use crate::conformance::{SimulatorProbe, SystemNote, SystemTicket};
use crate::sim_probe::{custom_field_patch, first_id, missing_id};
use crate::{Connection, load};

/// The header Redmine reads the API key from.
pub const KEY_HEADER: &str = "X-Redmine-API-Key";

/// A simulator holding `data`.
pub async fn start(data: Dataset) -> SimHandle {
    RedmineSim::start(SimConfig::default().with_data(data))
        .await
        .expect("the Redmine simulator starts")
}

/// A simulator with `n` generated issues.
pub async fn start_generated(n: usize, seed: u64) -> SimHandle {
    start(generate(&GenerateOptions::new(n, seed))).await
}

/// The connection an operator would configure: the simulator's origin, its API key as a
/// header credential, and `base_url` set to the server root.
pub fn connection(sim: &SimHandle) -> Connection {
    Connection {
        credential: Some(Credential::Header {
            name: KEY_HEADER.to_owned(),
            value: Secret::new(sim.api_key()),
        }),
        settings: BTreeMap::from([("base_url".to_owned(), sim.base_url().to_owned())]),
        ..Connection::to(sim.base_url())
    }
}

/// `dist/adapters/redmine.wasm`, compiled once per test binary: an 18 MB Python component
/// takes seconds to compile, and tests starting together would each compile it before the
/// first one fills the cache.
pub fn loaded() -> LoadedAdapter {
    static LOADED: OnceLock<LoadedAdapter> = OnceLock::new();
    LOADED.get_or_init(|| load("redmine")).clone()
}

/// The adapter connected to `sim`.
pub async fn connect(sim: &SimHandle) -> WasmAdapter {
    connection(sim).connect(&loaded()).await
}

/// The id of some issue.
pub fn some_ticket_id(sim: &SimHandle) -> String {
    first_id(sim.all_ticket_ids())
}

/// 60 generated issues, the adapter connected, and an issue's id.
pub async fn small() -> (SimHandle, WasmAdapter, String) {
    let sim = start_generated(60, 11).await;
    let adapter = connect(&sim).await;
    let id = some_ticket_id(&sim);
    (sim, adapter, id)
}

fn numeric(id: &str) -> u64 {
    crate::sim_probe::numeric(id, "Redmine")
}

impl SimulatorProbe for SimHandle {
    fn all_ticket_ids(&self) -> BTreeSet<String> {
        self.issues().iter().map(|i| i.id.to_string()).collect()
    }

    fn ticket(&self, id: &str) -> Option<SystemTicket> {
        let issue = self.issue(id.parse().ok()?)?;
        Some(SystemTicket {
            queue: self.project_name(issue.project_id),
            priority: Some(issue.priority_id.to_string()),
            tags: Vec::new(),
            // What the API shows: whole seconds (the simulator stores microseconds).
            updated_at: Some(triage_sim::freshdesk::whole_seconds(issue.updated_on)),
        })
    }

    fn set_ticket_tags(&self, _id: &str, _tags: &[String]) {
        panic!("Redmine has no tags; the adapter reports the capability as absent");
    }

    fn notes(&self, id: &str) -> Vec<SystemNote> {
        self.journals(numeric(id))
            .into_iter()
            .filter(|j| !j.notes.is_empty())
            .map(|j| SystemNote {
                body: j.notes,
                internal: j.private_notes,
            })
            .collect()
    }

    fn missing_ticket_id(&self) -> String {
        missing_id(self.issues().iter().map(|i| i.id))
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // "Language" is a list custom field of en/de.
        let patch = custom_field_patch("Language", serde_json::json!("xx"));
        (patch, "custom_fields.Language".to_owned())
    }

    crate::steer_simulator!(set_rate_limit);
}
