//! The simulator's records: what a Redmine instance holds, in plain Rust types close to the
//! wire shape (same names, same ids). Rendering to JSON lives in `render.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

/// A project. Project 1 is the inbox where new issues arrive; the others are the queues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: u64,
    pub name: String,
    /// The URL-safe name (`technical-support`); accepted wherever an id is.
    pub identifier: String,
    pub created_on: DateTime<Utc>,
}

/// An issue category; categories belong to one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: u64,
    pub project_id: u64,
    pub name: String,
}

/// An entry of an enumeration-like list (trackers, priorities).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: u64,
    pub name: String,
}

/// An issue status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub id: u64,
    pub name: String,
    pub is_closed: bool,
}

/// What values a custom field accepts. Redmine sends every value as a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldFormat {
    String,
    /// A float; the empty string clears it.
    Float,
    /// `"1"`, `"0"` or `""`.
    Bool,
    /// One of these values (or `""`).
    List(Vec<String>),
}

/// An issue custom field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomFieldDef {
    pub id: u64,
    pub name: String,
    pub format: FieldFormat,
}

impl CustomFieldDef {
    /// Whether Redmine would store `value` in this field.
    pub fn accepts(&self, value: &str) -> bool {
        match &self.format {
            FieldFormat::String => true,
            FieldFormat::Float => value.is_empty() || value.trim().parse::<f64>().is_ok(),
            FieldFormat::Bool => matches!(value, "" | "0" | "1"),
            FieldFormat::List(values) => value.is_empty() || values.iter().any(|v| v == value),
        }
    }
}

/// A user (issue authors; the API key's owner writes the notes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: u64,
    pub name: String,
}

/// A journal entry: a change set with optional notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    pub id: u64,
    pub user_id: u64,
    pub notes: String,
    /// Visible only to users allowed to see private notes (never to the customer).
    pub private_notes: bool,
    pub created_on: DateTime<Utc>,
    /// `(property, name, old value, new value)`, e.g. `("attr", "priority_id", "2", "4")`.
    pub details: Vec<(String, String, String, String)>,
}

/// Redmine's `Issue#description=`: every line end becomes CRLF (what the API then returns).
pub fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

/// A stored time as Redmine keeps it on SQLite and PostgreSQL: with microseconds (the API
/// renders whole seconds).
pub fn stored_time(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).expect("in range")
}

/// An issue as the instance stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub id: u64,
    pub project_id: u64,
    pub tracker_id: u64,
    pub status_id: u64,
    pub priority_id: u64,
    pub author_id: u64,
    pub assigned_to_id: Option<u64>,
    pub category_id: Option<u64>,
    pub subject: String,
    /// With CRLF line ends, as Redmine stores it.
    pub description: String,
    /// Custom field id → value (`""` when empty).
    pub custom_fields: BTreeMap<u64, String>,
    pub created_on: DateTime<Utc>,
    /// With microseconds: list filters and the sort see them, the API shows whole seconds.
    pub updated_on: DateTime<Utc>,
    pub closed_on: Option<DateTime<Utc>>,
    pub journals: Vec<Journal>,
}

/// Redmine's default priorities (`rake redmine:load_default_data`).
pub const PRIORITIES: [(u64, &str); 5] = [
    (1, "Low"),
    (2, "Normal"),
    (3, "High"),
    (4, "Urgent"),
    (5, "Immediate"),
];

/// The default priority of new issues.
pub const DEFAULT_PRIORITY: u64 = 2;

/// Redmine's default statuses: (id, name, is_closed).
pub const STATUSES: [(u64, &str, bool); 6] = [
    (1, "New", false),
    (2, "In Progress", false),
    (3, "Resolved", false),
    (4, "Feedback", false),
    (5, "Closed", true),
    (6, "Rejected", true),
];

/// Redmine's default trackers.
pub const TRACKERS: [(u64, &str); 3] = [(1, "Bug"), (2, "Feature"), (3, "Support")];

/// The inbox project's id, name and identifier.
pub const INBOX: (u64, &str, &str) = (1, "Helpdesk", "helpdesk");

/// The user who owns the default API key (an administrator).
pub const API_USER: (u64, &str) = (1, "Redmine Admin");
