//! Freshdesk glue for the conformance suite: an in-process simulator on 127.0.0.1, the
//! `freshdesk.wasm` adapter connected to it through the real host and gateway (the API
//! key injected as HTTP Basic), and the simulator as a [`SimulatorProbe`].

use std::collections::{BTreeMap, BTreeSet};

use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::WasmAdapter;
use triage_sim::Fault;
use triage_sim::freshdesk::{Dataset, FreshdeskSim, RateLimitConfig, SimConfig, SimHandle};
use triage_sim::generate::{GenerateOptions, generate};

use crate::conformance::{ProbeFault, SimulatorProbe, SystemNote, SystemTicket};
use crate::{Connection, load};

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
    sim.all_ticket_ids()
        .into_iter()
        .next()
        .expect("the simulator holds tickets")
}

fn numeric(id: &str) -> u64 {
    id.parse().expect("Freshdesk ids are numbers")
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
        let max = self.tickets().iter().map(|t| t.id).max().unwrap_or(0);
        (max + 1_000_000).to_string()
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // `cf_language` is a dropdown of en/de in the default account.
        let patch = TicketPatch {
            custom_fields: BTreeMap::from([("cf_language".to_owned(), serde_json::json!("xx"))]),
            ..TicketPatch::default()
        };
        (patch, "custom_fields.cf_language".to_owned())
    }

    fn set_rate_limit(&self, per_window: Option<u32>) -> bool {
        self.set_rate_limits(
            per_window.map_or_else(RateLimitConfig::unlimited, RateLimitConfig::per_minute),
        );
        true
    }

    fn set_faults(&self, next: &[ProbeFault]) -> bool {
        self.push_faults(next.iter().map(|f| match f {
            ProbeFault::Status(s) => Fault::Status(*s),
            ProbeFault::Drop => Fault::Drop,
        }));
        true
    }

    fn clear_faults(&self) {
        SimHandle::clear_faults(self);
    }
}
