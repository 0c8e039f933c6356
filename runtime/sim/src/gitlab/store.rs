//! The project's state: labels, users, issues and notes, built from a generated (or loaded)
//! data set, plus the `(updated_at, iid)` index that `order_by=updated_at` lists page through.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::config::SimConfig;
use super::model::{Issue, Label, Note, User, scope};
use crate::error::SimError;
use crate::freshdesk::{Dataset, QUEUES, Truth};

/// Global issue ids are the iid plus this (GitLab's `id` is instance-wide).
pub const ISSUE_ID_BASE: u64 = 120_000_000;
/// The token owner's user id.
pub const BOT_ID: u64 = 9_001;
/// GitLab's Support Bot: the author of Service Desk issues.
pub const SUPPORT_BOT_ID: u64 = 9_002;
/// Label ids start here.
const LABEL_ID_BASE: u64 = 70_001;
/// Note ids start here.
const NOTE_ID_BASE: u64 = 880_000_001;

#[derive(Debug)]
pub(crate) struct Store {
    pub project_id: u64,
    pub project_path: String,
    pub labels: Vec<Label>,
    pub users: BTreeMap<u64, User>,
    /// By iid.
    pub issues: BTreeMap<u64, Issue>,
    pub notes: BTreeMap<u64, Vec<Note>>,
    /// Keyed by iid (the generated ticket id).
    pub truth: BTreeMap<u64, Truth>,
    /// `(updated_at, iid)`: the order of `order_by=updated_at`.
    pub by_updated: BTreeSet<(DateTime<Utc>, u64)>,
    next_note: u64,
}

/// A time cut to milliseconds, GitLab's precision.
pub fn millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).expect("in range")
}

impl Store {
    pub fn new(config: &SimConfig) -> Result<Self, SimError> {
        let mut store = Self {
            project_id: config.project_id,
            project_path: config.project_path.clone(),
            labels: Vec::new(),
            users: BTreeMap::from([
                (
                    BOT_ID,
                    User {
                        id: BOT_ID,
                        username: "triage-bot".into(),
                        name: "Triage Bot".into(),
                    },
                ),
                (
                    SUPPORT_BOT_ID,
                    User {
                        id: SUPPORT_BOT_ID,
                        username: "support-bot".into(),
                        name: "GitLab Support Bot".into(),
                    },
                ),
            ]),
            issues: BTreeMap::new(),
            notes: BTreeMap::new(),
            truth: BTreeMap::new(),
            by_updated: BTreeSet::new(),
            next_note: NOTE_ID_BASE,
        };
        for q in &config.queues {
            if store.label(&format!("queue::{q}")).is_some() {
                return Err(SimError::Config(format!("queue {q:?} is listed twice")));
            }
            store.ensure_label(&format!("queue::{q}"));
        }
        for p in &config.priorities {
            store.ensure_label(&format!("priority::{p}"));
        }
        store.insert_dataset(&config.data)?;
        Ok(store)
    }

    /// Adds generated tickets as Service Desk issues (their id is the iid). Spam and deleted
    /// tickets are left out: GitLab deletes issues for good.
    pub fn insert_dataset(&mut self, data: &Dataset) -> Result<(), SimError> {
        let emails: BTreeMap<u64, &str> = data
            .contacts
            .iter()
            .map(|c| (c.id, c.email.as_str()))
            .collect();
        for t in &data.tickets {
            if self.issues.contains_key(&t.id) {
                return Err(SimError::Data(format!("ticket id {} is used twice", t.id)));
            }
            if t.spam || t.deleted {
                continue;
            }
            let mut labels: Vec<String> = t.tags.clone();
            let priority =
                ["low", "medium", "high", "urgent"][(t.priority.clamp(1, 4) - 1) as usize];
            labels.push(format!("priority::{priority}"));
            let queue = t
                .group_id
                .and_then(|g| g.checked_sub(crate::freshdesk::GROUP_ID_BASE))
                .and_then(|i| QUEUES.get(i as usize));
            if let Some(q) = queue {
                labels.push(format!("queue::{q}"));
            }
            let closed = matches!(t.status, 4 | 5);
            self.insert_issue(Issue {
                id: ISSUE_ID_BASE + t.id,
                iid: t.id,
                title: t.subject.clone(),
                description: t.description_text.clone(),
                state: if closed { "closed" } else { "opened" }.into(),
                labels,
                author_id: SUPPORT_BOT_ID,
                service_desk_reply_to: emails.get(&t.requester_id).map(|e| (*e).to_owned()),
                confidential: true,
                weight: None,
                due_date: None,
                created_at: t.created_at,
                updated_at: t.updated_at,
                closed_at: closed.then_some(t.updated_at),
            });
        }
        self.truth.extend(
            data.truth
                .iter()
                .filter(|(id, _)| self.issues.contains_key(id))
                .map(|(id, t)| (*id, t.clone())),
        );
        Ok(())
    }

    /// Adds an issue as it is (iid 0: the next free iid; labels are created as needed and
    /// sorted). Returns its iid.
    pub fn insert_issue(&mut self, mut issue: Issue) -> u64 {
        if issue.iid == 0 {
            issue.iid = self.issues.keys().next_back().map_or(1, |iid| iid + 1);
        }
        if issue.id == 0 {
            issue.id = ISSUE_ID_BASE + issue.iid;
        }
        for l in &issue.labels {
            self.ensure_label(l);
        }
        issue.labels.sort();
        issue.labels.dedup();
        self.by_updated.insert((issue.updated_at, issue.iid));
        self.notes.entry(issue.iid).or_default();
        let iid = issue.iid;
        self.issues.insert(iid, issue);
        iid
    }

    /// The label with this name (GitLab matches label titles exactly on issues).
    pub fn label(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }

    /// Creates the label unless it exists, as an issue update naming a new label does.
    pub fn ensure_label(&mut self, name: &str) {
        if self.label(name).is_none() {
            let color = match scope(name) {
                Some("queue") => "#1068bf",
                Some("priority") => "#dc143c",
                _ => "#6699cc",
            };
            self.labels.push(Label {
                id: LABEL_ID_BASE + self.labels.len() as u64,
                name: name.to_owned(),
                color: color.into(),
                description: None,
            });
        }
    }

    /// A fresh note id.
    pub fn next_note_id(&mut self) -> u64 {
        let id = self.next_note;
        self.next_note += 1;
        id
    }

    /// Records a change to issue `iid` at `now`: `updated_at` and the list order move.
    pub fn touch(&mut self, iid: u64, now: DateTime<Utc>) {
        let Some(i) = self.issues.get_mut(&iid) else {
            return;
        };
        self.by_updated.remove(&(i.updated_at, iid));
        i.updated_at = millis(now);
        self.by_updated.insert((i.updated_at, iid));
    }

    /// Re-keys an issue changed behind the API's back.
    pub fn reindex(&mut self, iid: u64, old: DateTime<Utc>) {
        self.by_updated.remove(&(old, iid));
        if let Some(i) = self.issues.get(&iid) {
            self.by_updated.insert((i.updated_at, iid));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{GenerateOptions, generate};

    #[test]
    fn generated_tickets_become_service_desk_issues() {
        let config = SimConfig::default().with_data(generate(&GenerateOptions::new(50, 3)));
        let store = Store::new(&config).unwrap();
        assert_eq!(store.issues.len(), 50);
        assert_eq!(store.by_updated.len(), 50);
        let i = store.issues.values().next().unwrap();
        assert_eq!(i.id, ISSUE_ID_BASE + i.iid);
        assert!(i.labels.iter().any(|l| l.starts_with("priority::")));
        assert!(i.service_desk_reply_to.is_some());
        assert!(store.label("queue::Billing and Payments").is_some());
        assert_eq!(
            store
                .labels
                .iter()
                .filter(|l| scope(&l.name) == Some("queue"))
                .count(),
            10
        );
        assert_eq!(
            store
                .labels
                .iter()
                .filter(|l| scope(&l.name) == Some("priority"))
                .count(),
            4
        );
    }
}
