//! GitLab glue for the conformance suite: an in-process simulator on 127.0.0.1, the
//! `gitlab.wasm` adapter connected to it through the real host and gateway (the token
//! injected as the `PRIVATE-TOKEN` header), and the simulator as a [`SimulatorProbe`].

use std::collections::{BTreeMap, BTreeSet};

use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::WasmAdapter;
use triage_sim::freshdesk::Dataset;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::gitlab::{GitlabSim, SimConfig, SimHandle, scoped_value};

use crate::conformance::{SimulatorProbe, SystemNote, SystemTicket};
use crate::sim_probe::{custom_field_patch, missing_id};
use crate::{Connection, load};

/// The adapter's default prefixes, which the simulator's labels use.
pub const QUEUE_PREFIX: &str = "queue::";
pub const PRIORITY_PREFIX: &str = "priority::";

/// A simulator holding `data`.
pub async fn start(data: Dataset) -> SimHandle {
    GitlabSim::start(SimConfig::default().with_data(data))
        .await
        .expect("the GitLab simulator starts")
}

/// A simulator with `n` generated issues (`spam_share` of the generated tickets are spam,
/// which the simulator leaves out).
pub async fn start_generated(n: usize, seed: u64, spam_share: f64) -> SimHandle {
    let options = GenerateOptions {
        spam_share,
        ..GenerateOptions::new(n, seed)
    };
    start(generate(&options)).await
}

/// The connection an operator would configure: the simulator's origin, the token as the
/// `PRIVATE-TOKEN` header, `base_url` set to the server root and `project` to its path.
pub fn connection(sim: &SimHandle) -> Connection {
    Connection {
        credential: Some(Credential::Header {
            name: "PRIVATE-TOKEN".into(),
            value: Secret::new(sim.token()),
        }),
        settings: BTreeMap::from([
            ("base_url".to_owned(), sim.base_url().to_owned()),
            ("project".to_owned(), sim.project_path()),
        ]),
        ..Connection::to(sim.base_url())
    }
}

/// `dist/adapters/gitlab.wasm`, connected to `sim`.
pub async fn connect(sim: &SimHandle) -> WasmAdapter {
    connection(sim).connect(&load("gitlab")).await
}

/// The iid of some open issue.
pub fn some_ticket_id(sim: &SimHandle) -> String {
    sim.issues()
        .into_iter()
        .find(|i| i.state == "opened")
        .expect("the simulator holds an open issue")
        .iid
        .to_string()
}

/// 60 generated issues, the adapter connected, and an issue's iid.
pub async fn small() -> (SimHandle, WasmAdapter, String) {
    let sim = start_generated(60, 11, 0.0).await;
    let adapter = connect(&sim).await;
    let id = some_ticket_id(&sim);
    (sim, adapter, id)
}

fn numeric(id: &str) -> u64 {
    crate::sim_probe::numeric(id, "GitLab")
}

fn is_tag(label: &str) -> bool {
    !label.starts_with(QUEUE_PREFIX) && !label.starts_with(PRIORITY_PREFIX)
}

impl SimulatorProbe for SimHandle {
    fn all_ticket_ids(&self) -> BTreeSet<String> {
        self.issue_iids()
            .into_iter()
            .map(|i| i.to_string())
            .collect()
    }

    /// The queue is the `queue::` label's value (the adapter's queue name), the priority the
    /// whole `priority::` label (the adapter's priority id), tags the other labels.
    fn ticket(&self, id: &str) -> Option<SystemTicket> {
        let i = SimHandle::issue(self, id.parse().ok()?)?;
        Some(SystemTicket {
            queue: scoped_value(&i.labels, QUEUE_PREFIX).map(str::to_owned),
            priority: i
                .labels
                .iter()
                .find(|l| l.starts_with(PRIORITY_PREFIX))
                .cloned(),
            tags: i.labels.iter().filter(|l| is_tag(l)).cloned().collect(),
            updated_at: Some(i.updated_at),
        })
    }

    /// Replaces the plain labels, keeping queue and priority labels.
    fn set_ticket_tags(&self, id: &str, tags: &[String]) {
        assert!(
            self.modify_issue(numeric(id), |i| {
                i.labels.retain(|l| !is_tag(l));
                i.labels.extend(tags.iter().cloned());
            }),
            "no issue {id}"
        );
    }

    fn notes(&self, id: &str) -> Vec<SystemNote> {
        SimHandle::notes(self, numeric(id))
            .into_iter()
            .map(|n| SystemNote {
                body: n.body,
                internal: n.internal,
            })
            .collect()
    }

    fn missing_ticket_id(&self) -> String {
        missing_id(self.issue_iids())
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // GitLab's model refuses a negative weight (400 `{"message":{"weight":[…]}}`).
        (
            custom_field_patch("weight", serde_json::json!(-1)),
            "custom_fields.weight".into(),
        )
    }

    crate::steer_simulator!(set_rate_limits);
}
