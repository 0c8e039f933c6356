//! The canonical ticket model (mirrors `types` in the WIT contract).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A native entity (queue, priority, status, user) by id, name, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntityRef {
    /// Native id.
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
}

impl EntityRef {
    /// A reference by name only.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            id: None,
            name: Some(name.into()),
        }
    }

    /// A reference by id only.
    pub fn with_id(id: impl Into<String>) -> Self {
        Self {
            id: Some(id.into()),
            name: None,
        }
    }
}

/// Canonical priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PriorityLevel {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Urgent.
    Urgent,
}

/// Canonical status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusCategory {
    /// Not yet looked at.
    New,
    /// Being worked on.
    Open,
    /// Waiting on someone.
    Pending,
    /// Solved, may reopen.
    Resolved,
    /// Done.
    Closed,
    /// A custom status with no canonical meaning.
    Other,
}

/// One ticket, as an adapter maps it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// Native primary key.
    pub id: String,
    /// Human-facing number, where it differs from the id.
    pub number: Option<String>,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body_text: Option<String>,
    /// HTML body.
    pub body_html: Option<String>,
    /// Queue (Freshdesk group, Zammad group, OTOBO queue, ...).
    pub queue: Option<EntityRef>,
    /// Native priority.
    pub priority: Option<EntityRef>,
    /// Canonical priority.
    pub priority_level: Option<PriorityLevel>,
    /// Native status.
    pub status: Option<EntityRef>,
    /// Canonical status.
    pub status_category: Option<StatusCategory>,
    /// Native ticket type.
    pub ticket_type: Option<EntityRef>,
    /// Tags, in the system's order.
    pub tags: Vec<String>,
    /// Custom fields by native name.
    pub custom_fields: BTreeMap<String, serde_json::Value>,
    /// Agent the ticket is assigned to.
    pub assignee: Option<EntityRef>,
    /// Customer who raised it.
    pub requester: Option<EntityRef>,
    /// Creation time.
    pub created_at: Option<DateTime<Utc>>,
    /// Last change.
    pub updated_at: Option<DateTime<Utc>>,
    /// Opaque version for optimistic checks.
    pub version: Option<String>,
    /// The native object.
    pub raw: Option<serde_json::Value>,
}

impl Ticket {
    /// Subject and body as one text, the way classifiers read a ticket.
    pub fn text(&self) -> String {
        match self.body_text.as_deref().filter(|b| !b.trim().is_empty()) {
            Some(body) => format!("{}\n\n{}", self.subject, body),
            None => self.subject.clone(),
        }
    }
}

/// A change to the tag list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagOp {
    /// Add these, keep the rest.
    Add(Vec<String>),
    /// Remove these, keep the rest.
    Remove(Vec<String>),
    /// Replace the whole list.
    Replace(Vec<String>),
}

/// The fields to change; unset fields are left alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketPatch {
    /// New queue.
    pub queue: Option<EntityRef>,
    /// New priority.
    pub priority: Option<EntityRef>,
    /// Tag change.
    pub tags: Option<TagOp>,
    /// Custom fields to set.
    pub custom_fields: BTreeMap<String, serde_json::Value>,
    /// Refuse with `conflict` when the ticket's version differs.
    pub if_version: Option<String>,
}

impl TicketPatch {
    /// True when the patch would change nothing.
    pub fn is_empty(&self) -> bool {
        self.queue.is_none()
            && self.priority.is_none()
            && self.tags.is_none()
            && self.custom_fields.is_empty()
    }
}

/// An internal note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Subject, for systems whose notes have one.
    pub subject: Option<String>,
    /// The text.
    pub body: String,
    /// Whether `body` is HTML.
    pub html: bool,
}

/// What to look for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketQuery {
    /// Queues to search; empty for all.
    pub queues: Vec<EntityRef>,
    /// Statuses to search; empty for any.
    pub statuses: Vec<StatusCategory>,
    /// Only tickets updated at or after this instant.
    pub updated_since: Option<DateTime<Utc>>,
    /// A query in the system's own language.
    pub native: Option<String>,
    /// Page size hint.
    pub page_size: u32,
}

impl Default for TicketQuery {
    fn default() -> Self {
        Self {
            queues: Vec::new(),
            statuses: Vec::new(),
            updated_since: None,
            native: None,
            page_size: 100,
        }
    }
}

/// One page of results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The tickets on this page.
    pub tickets: Vec<Ticket>,
    /// Cursor for the next page; `None` on the last one.
    pub next: Option<String>,
    /// Total matches, when the system tells.
    pub total: Option<u64>,
}
