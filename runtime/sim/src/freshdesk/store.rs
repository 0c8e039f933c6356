//! The account's state: tickets, notes, groups, agents, requesters and the hidden true labels.
//!
//! One `Store` behind one mutex: requests are short and the data fits in memory, so a single
//! lock keeps every read consistent (a page never sees half an update) without any cleverness.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};

use super::config::SimConfig;
use super::model::{Agent, BUILTIN_STATUSES, Contact, CustomField, Group, Note, Ticket, Truth};
use crate::error::SimError;

/// Group ids start here: above `u32::MAX`, as on real accounts, so adapters must use 64 bits.
pub const GROUP_ID_BASE: u64 = 43_000_012_001;
/// Agent ids start here; the first agent owns the API key.
pub const AGENT_ID_BASE: u64 = 43_000_500_001;

/// Account settings that never change while it runs.
#[derive(Debug, Clone)]
pub struct Schema {
    /// `(id, agent label, customer label)` for 2–5 and the custom ones.
    pub statuses: Vec<(u32, String, String)>,
    pub ticket_types: Vec<String>,
    pub custom_fields: Vec<CustomField>,
}

impl Schema {
    pub fn from_config(config: &SimConfig) -> Result<Self, SimError> {
        let mut statuses: Vec<(u32, String, String)> = BUILTIN_STATUSES
            .iter()
            .map(|(id, a, c)| (*id, (*a).to_owned(), (*c).to_owned()))
            .collect();
        for (id, label) in &config.custom_statuses {
            if *id < 6 || statuses.iter().any(|s| s.0 == *id) {
                return Err(SimError::Config(format!(
                    "custom status id {id} must be ≥ 6 and unique"
                )));
            }
            statuses.push((*id, label.clone(), label.clone()));
        }
        for f in &config.custom_fields {
            if !f.name.starts_with("cf_") {
                return Err(SimError::Config(format!(
                    "custom field {} must start with cf_",
                    f.name
                )));
            }
        }
        Ok(Self {
            statuses,
            ticket_types: config.ticket_types.clone(),
            custom_fields: config.custom_fields.clone(),
        })
    }

    pub fn status_ids(&self) -> Vec<u32> {
        self.statuses.iter().map(|s| s.0).collect()
    }

    pub fn custom_field(&self, name: &str) -> Option<&CustomField> {
        self.custom_fields.iter().find(|f| f.name == name)
    }
}

/// The mutable state of one account.
#[derive(Debug)]
pub struct Store {
    pub tickets: BTreeMap<u64, Ticket>,
    pub contacts: HashMap<u64, Contact>,
    pub groups: Vec<Group>,
    pub agents: Vec<Agent>,
    /// Ticket id → its notes, oldest first.
    pub notes: BTreeMap<u64, Vec<Note>>,
    pub truth: BTreeMap<u64, Truth>,
    /// Bumped on every change to tickets; list caches compare it.
    pub version: u64,
    next_ticket_id: u64,
    next_note_id: u64,
}

impl Store {
    pub fn new(config: &SimConfig, now: DateTime<Utc>) -> Result<Self, SimError> {
        let created = now - Duration::days(800);
        let groups = config
            .groups
            .iter()
            .enumerate()
            .map(|(i, name)| Group {
                id: GROUP_ID_BASE + i as u64,
                name: name.clone(),
                description: Some(format!("Tickets for {name}")),
                created_at: created,
                updated_at: created,
            })
            .collect();
        let agents = ["Triage Bot", "Alex Morgan", "Jana Becker", "Sam Okafor"]
            .iter()
            .enumerate()
            .map(|(i, name)| Agent {
                id: AGENT_ID_BASE + i as u64,
                name: (*name).to_owned(),
                email: format!(
                    "{}@helpdesk.example",
                    name.to_ascii_lowercase().replace(' ', ".")
                ),
            })
            .collect();
        let mut store = Self {
            tickets: BTreeMap::new(),
            contacts: HashMap::new(),
            groups,
            agents,
            notes: BTreeMap::new(),
            truth: BTreeMap::new(),
            version: 0,
            next_ticket_id: 1,
            next_note_id: 1,
        };
        for c in &config.data.contacts {
            store.contacts.insert(c.id, c.clone());
        }
        for t in &config.data.tickets {
            store.insert_ticket(t.clone())?;
        }
        for (id, truth) in &config.data.truth {
            store.truth.insert(*id, truth.clone());
        }
        Ok(store)
    }

    /// Adds a ticket; id 0 means "assign the next id".
    pub fn insert_ticket(&mut self, mut ticket: Ticket) -> Result<u64, SimError> {
        if ticket.id == 0 {
            ticket.id = self.next_ticket_id;
        }
        if self.tickets.contains_key(&ticket.id) {
            return Err(SimError::Data(format!("duplicate ticket id {}", ticket.id)));
        }
        if !self.contacts.contains_key(&ticket.requester_id) {
            let id = ticket.requester_id;
            self.contacts.insert(
                id,
                Contact {
                    id,
                    name: format!("Requester {id}"),
                    email: format!("requester{id}@customer.example"),
                    company_id: None,
                },
            );
        }
        self.next_ticket_id = self.next_ticket_id.max(ticket.id + 1);
        let id = ticket.id;
        self.tickets.insert(id, ticket);
        self.version += 1;
        Ok(id)
    }

    pub fn next_note_id(&mut self) -> u64 {
        let id = self.next_note_id;
        self.next_note_id += 1;
        id
    }

    pub fn group(&self, id: u64) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn group_by_name(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// The agent who owns the API key.
    pub fn me(&self) -> &Agent {
        &self.agents[0]
    }
}
