//! What a simulated Zammad system holds, in plain Rust types close to the wire shape (same
//! names, same ids); rendering to JSON lives in `render.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The group new tickets land in before triage (Zammad's default group is "Users").
pub const INBOX_GROUP: &str = "Users";

/// Zammad's default priorities; the second is `default_create`.
pub const DEFAULT_PRIORITIES: [&str; 3] = ["1 low", "2 normal", "3 high"];

/// Zammad's default states with their state types.
pub const DEFAULT_STATES: [(&str, &str); 6] = [
    ("new", "new"),
    ("open", "open"),
    ("pending reminder", "pending reminder"),
    ("closed", "closed"),
    ("merged", "merged"),
    ("pending close", "pending action"),
];

/// Article types the API accepts by name.
pub const ARTICLE_TYPES: [&str; 8] = [
    "email",
    "sms",
    "chat",
    "fax",
    "phone",
    "web",
    "note",
    "twitter status",
];

/// Article senders.
pub const SENDERS: [&str; 3] = ["Agent", "Customer", "System"];

/// The system user: `owner_id` 1 means "nobody".
pub const NOBODY: u64 = 1;
/// The agent who owns the API token.
pub const ME: u64 = 2;

/// A ticket as the system stores it. Tags live here too (Zammad keeps them apart, behind
/// `/tags`, and never renders them with the ticket).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: u64,
    pub number: String,
    pub title: String,
    pub group_id: u64,
    pub priority_id: u64,
    pub state_id: u64,
    /// [`NOBODY`] when unassigned.
    pub owner_id: u64,
    pub customer_id: u64,
    pub organization_id: Option<u64>,
    pub note: Option<String>,
    pub tags: Vec<String>,
    /// Custom object attributes, rendered as top-level keys.
    pub attributes: BTreeMap<String, serde_json::Value>,
    pub created_by_id: u64,
    pub updated_by_id: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One article (message or note) of a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: u64,
    pub ticket_id: u64,
    /// `email`, `note`, `web`, `phone`, …
    pub kind: String,
    /// `Agent`, `Customer` or `System`.
    pub sender: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    /// `text/plain` or `text/html`.
    pub content_type: String,
    /// Hidden from the customer (an email article is still sent).
    pub internal: bool,
    pub created_by_id: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A group: what Zammad calls a queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: u64,
    pub name: String,
    pub active: bool,
}

/// A priority (`1 low`, `2 normal`, `3 high`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priority {
    pub id: u64,
    pub name: String,
    pub default_create: bool,
}

/// A ticket state and its state type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub id: u64,
    pub name: String,
    pub state_type: String,
}

/// A user: the system user, agents and customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    pub login: String,
    pub firstname: String,
    pub lastname: String,
    pub email: String,
    pub agent: bool,
    pub organization_id: Option<u64>,
}

impl User {
    /// `Firstname Lastname`, as articles show the sender.
    pub fn fullname(&self) -> String {
        format!("{} {}", self.firstname, self.lastname)
            .trim()
            .to_owned()
    }
}

/// A custom ticket attribute (object manager attribute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// The key on the ticket, e.g. `triage_confidence`.
    pub name: String,
    pub display: String,
    pub kind: AttributeKind,
}

/// What values an attribute takes and how Zammad checks them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum AttributeKind {
    /// Free text, refused beyond `maxlength` characters.
    Input {
        maxlength: usize,
    },
    /// A select. Zammad does not check the value against the options.
    Select {
        options: Vec<String>,
    },
    /// An integer, refused outside `min..=max`.
    Integer {
        min: i64,
        max: i64,
    },
    Boolean,
}

impl Attribute {
    pub fn new(name: &str, display: &str, kind: AttributeKind) -> Self {
        Self {
            name: name.to_owned(),
            display: display.to_owned(),
            kind,
        }
    }
}
