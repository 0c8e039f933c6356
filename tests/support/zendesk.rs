//! Zendesk glue for the conformance suite: an in-process simulator on 127.0.0.1, the
//! `zendesk.wasm` adapter connected to it through the real host and gateway (the API token
//! injected as HTTP Basic `{email}/token:{token}`), and the simulator as a
//! [`SimulatorProbe`].

use std::collections::{BTreeMap, BTreeSet};

use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::WasmAdapter;
use triage_sim::freshdesk::Dataset;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::zendesk::{SimConfig, SimHandle, ZendeskSim};

use crate::conformance::{SimulatorProbe, SystemNote, SystemTicket};
use crate::sim_probe::{custom_field_patch, missing_id};
use crate::{Connection, load};

/// A simulator holding `data`.
pub async fn start(data: Dataset) -> SimHandle {
    ZendeskSim::start(SimConfig::default().with_data(data))
        .await
        .expect("the Zendesk simulator starts")
}

/// A simulator with `n` generated tickets (`spam_share` of them deleted).
pub async fn start_generated(n: usize, seed: u64, spam_share: f64) -> SimHandle {
    let options = GenerateOptions {
        spam_share,
        ..GenerateOptions::new(n, seed)
    };
    start(generate(&options)).await
}

/// The connection an operator would configure: the simulator's origin, `{email}/token` and
/// the API token as Basic credentials, and `base_url` set to the server root.
pub fn connection(sim: &SimHandle) -> Connection {
    Connection {
        credential: Some(Credential::Basic {
            user: Secret::new(format!("{}/token", sim.email())),
            password: Secret::new(sim.api_token()),
        }),
        settings: BTreeMap::from([("base_url".to_owned(), sim.base_url().to_owned())]),
        ..Connection::to(sim.base_url())
    }
}

/// `dist/adapters/zendesk.wasm`, connected to `sim`.
pub async fn connect(sim: &SimHandle) -> WasmAdapter {
    connection(sim).connect(&load("zendesk")).await
}

/// The id of some ticket the export lists that can still be updated (not closed).
pub fn some_ticket_id(sim: &SimHandle) -> String {
    let listed = sim.exported_ticket_ids();
    sim.tickets()
        .into_iter()
        .find(|t| listed.contains(&t.id) && t.status != "closed")
        .expect("the simulator holds an open ticket")
        .id
        .to_string()
}

/// 60 generated tickets, the adapter connected, and a ticket's id.
pub async fn small() -> (SimHandle, WasmAdapter, String) {
    let sim = start_generated(60, 11, 0.0).await;
    let adapter = connect(&sim).await;
    let id = some_ticket_id(&sim);
    (sim, adapter, id)
}

fn numeric(id: &str) -> u64 {
    crate::sim_probe::numeric(id, "Zendesk")
}

impl SimulatorProbe for SimHandle {
    /// What an export from the beginning returns now: live tickets changed before its cut-off
    /// (the last minute is held back, as Zendesk does).
    fn all_ticket_ids(&self) -> BTreeSet<String> {
        self.exported_ticket_ids()
            .into_iter()
            .map(|id| id.to_string())
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
            priority: t.priority,
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
        self.comments(numeric(id))
            .into_iter()
            .map(|c| SystemNote {
                body: c.body,
                internal: !c.public,
            })
            .collect()
    }

    fn missing_ticket_id(&self) -> String {
        missing_id(self.tickets().iter().map(|t| t.id))
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // "Language" is a drop-down of en/de in the default account.
        let id = self.field_id("Language").expect("the Language field");
        let patch = custom_field_patch(&id.to_string(), serde_json::json!("xx"));
        (patch, format!("custom_fields.{id}"))
    }

    crate::steer_simulator!(set_rate_limits);
}
