//! Zammad glue for the conformance suite: an in-process simulator on 127.0.0.1, the
//! `zammad.wasm` adapter connected to it through the real host and gateway (the token
//! injected as `Authorization: Token token=…`), and the simulator as a [`SimulatorProbe`].

use std::collections::{BTreeMap, BTreeSet};

use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::WasmAdapter;
use triage_sim::Fault;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::ratelimit::RateLimitConfig;
use triage_sim::zammad::{SimConfig, SimHandle, ZammadSim};

use crate::conformance::{ProbeFault, SimulatorProbe, SystemNote, SystemTicket};
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
    sim.all_ticket_ids()
        .into_iter()
        .next()
        .expect("the simulator holds tickets")
}

fn numeric(id: &str) -> u64 {
    id.parse().expect("Zammad ids are numbers")
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
        let max = self.tickets().iter().map(|t| t.id).max().unwrap_or(0);
        (max + 1_000_000).to_string()
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // `triage_confidence` is an integer attribute limited to 0–100 in the default system.
        let patch = TicketPatch {
            custom_fields: BTreeMap::from([(
                "triage_confidence".to_owned(),
                serde_json::json!(150),
            )]),
            ..TicketPatch::default()
        };
        (patch, "triage_confidence".to_owned())
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
