//! The simulator's records: what a Freshdesk account holds, in plain Rust types.
//!
//! These are the values tests inspect through the handle, so they stay close to the wire shape
//! (same names, same numeric codes) without being JSON: rendering lives in `render.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The ten queues every demo and test uses, in the order their group ids are handed out.
pub const QUEUES: [&str; 10] = [
    "Technical Support",
    "Product Support",
    "Customer Service",
    "IT Support",
    "Billing and Payments",
    "Returns and Exchanges",
    "Service Outages and Maintenance",
    "Sales and Pre-Sales",
    "Human Resources",
    "General Inquiry",
];

/// Freshdesk's built-in ticket types.
pub const DEFAULT_TICKET_TYPES: [&str; 5] = [
    "Question",
    "Incident",
    "Problem",
    "Feature Request",
    "Refund",
];

/// Valid `source` codes (email, portal, phone, chat, feedback widget, outbound email).
pub const SOURCES: [u32; 6] = [1, 2, 3, 7, 9, 10];

/// Built-in statuses: (id, agent label, customer label).
pub const BUILTIN_STATUSES: [(u32, &str, &str); 4] = [
    (2, "Open", "Being Processed"),
    (3, "Pending", "Awaiting your Reply"),
    (4, "Resolved", "This ticket has been Resolved"),
    (5, "Closed", "This ticket has been Closed"),
];

/// Ticket priority, 1–4 on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low = 1,
    Medium = 2,
    High = 3,
    Urgent = 4,
}

impl Priority {
    /// All four, lowest first.
    pub const ALL: [Priority; 4] = [Self::Low, Self::Medium, Self::High, Self::Urgent];

    /// The wire code (1–4).
    pub fn code(self) -> u32 {
        self as u32
    }

    /// From the wire code.
    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Lower-case name: low, medium, high, urgent.
    pub fn name(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    /// Parses a name (any case) or a code.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|p| p.name() == s || p.code().to_string() == s)
    }
}

/// A ticket as the account stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: u64,
    pub subject: String,
    /// HTML body.
    pub description: String,
    /// Plain-text body.
    pub description_text: String,
    pub status: u32,
    pub priority: u32,
    pub source: u32,
    #[serde(rename = "type")]
    pub ticket_type: Option<String>,
    pub group_id: Option<u64>,
    pub responder_id: Option<u64>,
    pub requester_id: u64,
    pub company_id: Option<u64>,
    pub product_id: Option<u64>,
    pub tags: Vec<String>,
    /// Keys carry the `cf_` prefix.
    pub custom_fields: BTreeMap<String, serde_json::Value>,
    pub spam: bool,
    pub deleted: bool,
    pub is_escalated: bool,
    pub due_by: DateTime<Utc>,
    pub fr_due_by: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Ticket {
    /// An open, unassigned, low-priority portal ticket created (and last updated) at `at`;
    /// id 0 lets the store assign one. Change fields as needed before inserting it.
    pub fn new(subject: &str, text: &str, at: DateTime<Utc>) -> Self {
        let at = super::time::whole_seconds(at);
        let mut html = String::from("<div>");
        for c in text.chars() {
            match c {
                '&' => html.push_str("&amp;"),
                '<' => html.push_str("&lt;"),
                '>' => html.push_str("&gt;"),
                '\n' => html.push_str("<br>"),
                _ => html.push(c),
            }
        }
        html.push_str("</div>");
        Self {
            id: 0,
            subject: subject.to_owned(),
            description: html,
            description_text: text.to_owned(),
            status: 2,
            priority: 1,
            source: 2,
            ticket_type: None,
            group_id: None,
            responder_id: None,
            requester_id: 1,
            company_id: None,
            product_id: None,
            tags: Vec::new(),
            custom_fields: BTreeMap::new(),
            spam: false,
            deleted: false,
            is_escalated: false,
            due_by: at + chrono::Duration::days(3),
            fr_due_by: at + chrono::Duration::days(1),
            created_at: at,
            updated_at: at,
        }
    }
}

/// A requester (contact).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub company_id: Option<u64>,
}

/// A group, which is what a queue is called in Freshdesk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: u64,
    pub name: String,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An agent (a valid `responder_id`, and the author of API notes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    pub id: u64,
    pub name: String,
    pub email: String,
}

/// A note on a ticket (a conversation entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: u64,
    pub ticket_id: u64,
    /// HTML body as sent.
    pub body: String,
    /// The body with tags stripped.
    pub body_text: String,
    pub private: bool,
    pub incoming: bool,
    pub user_id: Option<u64>,
    pub notify_emails: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The label a generated or loaded ticket *should* get; never visible through the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    /// One of the group names (normally one of [`QUEUES`]).
    pub queue: String,
    pub priority: Priority,
}

/// A custom ticket field; `name` carries the `cf_` prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomField {
    pub name: String,
    pub label: String,
    pub kind: CustomFieldKind,
}

/// What values a custom field accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "choices")]
pub enum CustomFieldKind {
    Text,
    Paragraph,
    Number,
    Checkbox,
    Dropdown(Vec<String>),
}

impl CustomField {
    /// A field of the given kind.
    pub fn new(name: &str, label: &str, kind: CustomFieldKind) -> Self {
        Self {
            name: name.to_owned(),
            label: label.to_owned(),
            kind,
        }
    }
}

/// Tickets with their requesters and true labels: what a generator or a file provides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub tickets: Vec<Ticket>,
    pub contacts: Vec<Contact>,
    /// Ticket id → true label.
    pub truth: BTreeMap<u64, Truth>,
}
