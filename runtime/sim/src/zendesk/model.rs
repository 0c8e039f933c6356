//! The simulator's records: what a Zendesk Support account holds, in plain Rust types close to
//! the wire shape (same names, same string enums). Rendering lives in `render.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Zendesk's four fixed priorities, lowest first (a ticket may also have none).
pub const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

/// The statuses an agent can set, in workflow order. `deleted` only shows in exports.
pub const STATUSES: [&str; 6] = ["new", "open", "pending", "hold", "solved", "closed"];

/// Ticket types.
pub const TICKET_TYPES: [&str; 4] = ["question", "incident", "problem", "task"];

/// A ticket as the account stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: u64,
    pub subject: String,
    /// The first comment's plain text (Zendesk's `description`).
    pub description: String,
    /// One of [`STATUSES`].
    pub status: String,
    /// One of [`PRIORITIES`], or none.
    pub priority: Option<String>,
    #[serde(rename = "type")]
    pub ticket_type: Option<String>,
    pub group_id: Option<u64>,
    pub assignee_id: Option<u64>,
    pub requester_id: u64,
    pub tags: Vec<String>,
    /// Custom field id → value (`null` when unset).
    pub custom_fields: BTreeMap<u64, serde_json::Value>,
    /// Soft-deleted: gone from the API except as `status: deleted` in exports.
    pub deleted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Seconds; bumped by every change, the key of incremental exports.
    pub generated_timestamp: i64,
}

/// A comment on a ticket; `public: false` is an internal note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: u64,
    pub ticket_id: u64,
    /// Plain text as sent (or the HTML with tags stripped).
    pub body: String,
    pub html_body: String,
    pub public: bool,
    pub author_id: u64,
    pub created_at: DateTime<Utc>,
}

/// A group: what triage calls a queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: u64,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// A user: the API agent or a requester.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub email: String,
    /// `end-user`, `agent` or `admin`.
    pub role: String,
}

/// What values a custom ticket field accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "options")]
pub enum FieldKind {
    Text,
    Decimal,
    Checkbox,
    /// A drop-down: values are the options' tag names.
    Tagger(Vec<String>),
}

impl FieldKind {
    /// The `type` Zendesk reports in `GET /ticket_fields`.
    pub fn wire_type(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Decimal => "decimal",
            Self::Checkbox => "checkbox",
            Self::Tagger(_) => "tagger",
        }
    }
}

/// A custom ticket field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketField {
    pub id: u64,
    pub title: String,
    pub kind: FieldKind,
}
