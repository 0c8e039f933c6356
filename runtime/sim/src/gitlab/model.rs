//! The simulator's records: what a GitLab project holds, close to the API v4 wire shape.
//! Rendering lives in `render.rs`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An issue. `iid` is its number within the project (what people and the API paths use);
/// `id` is global.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub id: u64,
    pub iid: u64,
    pub title: String,
    /// Markdown.
    pub description: String,
    /// `opened` or `closed`.
    pub state: String,
    /// Label names, sorted (GitLab lists them by title).
    pub labels: Vec<String>,
    pub author_id: u64,
    /// The requester's address for Service Desk issues.
    pub service_desk_reply_to: Option<String>,
    pub confidential: bool,
    pub weight: Option<u64>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Milliseconds, as GitLab reports them.
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A comment on an issue; `internal` notes are visible to project members only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: u64,
    pub issue_iid: u64,
    pub body: String,
    pub internal: bool,
    pub author_id: u64,
    pub created_at: DateTime<Utc>,
}

/// A project label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub id: u64,
    pub name: String,
    pub color: String,
    pub description: Option<String>,
}

/// A user: the API's token owner, the Support Bot or a requester.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    pub username: String,
    pub name: String,
}

/// The scope of a scoped label (`queue` for `queue::billing`, `a::b` for `a::b::c`): GitLab
/// keeps one label per scope on an issue. `None` for a plain label.
pub fn scope(label: &str) -> Option<&str> {
    label
        .rfind("::")
        .map(|i| &label[..i])
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_everything_before_the_last_separator() {
        assert_eq!(scope("queue::billing"), Some("queue"));
        assert_eq!(scope("a::b::c"), Some("a::b"));
        assert_eq!(scope("plain"), None);
        assert_eq!(scope("::x"), None);
    }
}
