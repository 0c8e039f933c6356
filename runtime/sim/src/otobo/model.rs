//! What an OTOBO instance holds, in plain Rust types: tickets, articles, and the
//! configuration objects (queues, priorities, states, dynamic fields) with OTOBO's default ids.
//! Rendering to the GenericInterface's JSON lives in `render.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::freshdesk::Priority as TruePriority;

/// An id with a name (queue, priority, state, user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: u64,
    pub name: String,
}

/// OTOBO's default queues, then the ten queues the generator labels tickets with.
pub const DEFAULT_QUEUES: [&str; 4] = ["Postmaster", "Raw", "Junk", "Misc"];

/// Where new (unclassified) tickets arrive.
pub const INBOX_QUEUE: &str = "Raw";

/// OTOBO's default priorities, ids 1–5.
pub const PRIORITIES: [&str; 5] = ["1 very low", "2 low", "3 normal", "4 high", "5 very high"];

/// The priority new tickets get (`3 normal`).
pub const DEFAULT_PRIORITY_ID: u64 = 3;

/// OTOBO's default states: (id, name, state type).
pub const STATES: [(u64, &str, &str); 9] = [
    (1, "new", "new"),
    (2, "closed successful", "closed"),
    (3, "closed unsuccessful", "closed"),
    (4, "open", "open"),
    (5, "removed", "removed"),
    (6, "pending reminder", "pending reminder"),
    (7, "pending auto close+", "pending auto"),
    (8, "pending auto close-", "pending auto"),
    (9, "merged", "merged"),
];

/// State types counted as open by `StateType=Open` (the viewable ones).
pub const OPEN_STATE_TYPES: [&str; 4] = ["new", "open", "pending reminder", "pending auto"];

/// OTOBO's default ticket types: (id, name).
pub const TICKET_TYPES: [(u64, &str); 2] = [(1, "Unclassified"), (2, "Incident")];

/// The OTOBO priority a true label corresponds to (the generator's four levels on OTOBO's five).
pub fn priority_id_for(p: TruePriority) -> u64 {
    match p {
        TruePriority::Low => 2,
        TruePriority::Medium => 3,
        TruePriority::High => 4,
        TruePriority::Urgent => 5,
    }
}

/// What values a dynamic field accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// Any string.
    Text,
    /// One of the possible values.
    Dropdown(Vec<String>),
    /// A list of possible values (`Value` is an array, or one string).
    Multiselect(Vec<String>),
    /// `0` or `1`.
    Checkbox,
}

/// A ticket dynamic field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynamicField {
    pub name: String,
    pub kind: FieldKind,
}

impl DynamicField {
    pub fn new(name: &str, kind: FieldKind) -> Self {
        Self {
            name: name.to_owned(),
            kind,
        }
    }
}

/// A ticket as the database stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: u64,
    /// `TicketNumber`, e.g. `2026112510000013`.
    pub number: String,
    pub title: String,
    pub queue_id: u64,
    pub priority_id: u64,
    pub state_id: u64,
    pub type_id: u64,
    pub owner_id: u64,
    pub customer_user: String,
    pub customer_id: Option<String>,
    pub created: DateTime<Utc>,
    pub changed: DateTime<Utc>,
    /// Name → value (a string, or an array for multiselect fields); unset fields are absent.
    pub dynamic_fields: BTreeMap<String, Value>,
}

/// An article: the first is the customer's message, later ones replies and notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: u64,
    pub ticket_id: u64,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// `text/plain; charset=utf8` or `text/html; charset=utf8`.
    pub content_type: String,
    /// `customer`, `agent` or `system`.
    pub sender_type: String,
    /// `Email`, `Phone`, `Internal`, …
    pub channel: String,
    pub visible_for_customer: bool,
    pub created: DateTime<Utc>,
}

impl Article {
    /// The MIME type part of `content_type`.
    pub fn mime_type(&self) -> &str {
        self.content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
    }
}
