//! The instance's state: projects, enumerations, custom fields, users and issues, built from
//! a generated (or loaded) data set.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::config::{SimConfig, custom_field_defs};
use super::model::{
    API_USER, Category, CustomFieldDef, INBOX, Issue, Named, PRIORITIES, Project, STATUSES, Status,
    TRACKERS, User,
};
use crate::error::SimError;
use crate::freshdesk::{Dataset, Ticket, Truth};

/// Generated custom field keys and the Redmine field names they fill.
const FIELD_KEYS: [(&str, &str); 5] = [
    ("cf_order_number", "Order number"),
    ("cf_language", "Language"),
    ("cf_support_plan", "Support plan"),
    ("cf_triage_confidence", "Triage confidence"),
    ("cf_vip", "VIP"),
];

#[derive(Debug)]
pub(crate) struct Store {
    pub projects: Vec<Project>,
    pub categories: Vec<Category>,
    pub priorities: Vec<Named>,
    pub statuses: Vec<Status>,
    pub trackers: Vec<Named>,
    pub custom_fields: Vec<CustomFieldDef>,
    pub users: BTreeMap<u64, User>,
    pub issues: BTreeMap<u64, Issue>,
    pub truth: BTreeMap<u64, Truth>,
    /// Projects the key's user may not see: their issues answer 403.
    pub restricted: BTreeSet<u64>,
    next_journal: u64,
}

/// `Technical Support` → `technical-support`.
pub(crate) fn identifier(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

impl Store {
    pub fn new(config: &SimConfig, now: DateTime<Utc>) -> Result<Self, SimError> {
        let created_on = crate::freshdesk::whole_seconds(now) - chrono::Duration::days(400);
        let mut projects = vec![Project {
            id: INBOX.0,
            name: INBOX.1.to_owned(),
            identifier: INBOX.2.to_owned(),
            created_on,
        }];
        let mut categories = Vec::new();
        for (i, q) in config.queues.iter().enumerate() {
            if projects
                .iter()
                .any(|p| p.name == *q || p.identifier == identifier(q))
            {
                return Err(SimError::Config(format!("queue {q:?} is listed twice")));
            }
            projects.push(Project {
                id: INBOX.0 + 1 + i as u64,
                name: q.clone(),
                identifier: identifier(q),
                created_on,
            });
            categories.push(Category {
                id: 1 + i as u64,
                project_id: INBOX.0,
                name: q.clone(),
            });
        }
        let mut store = Self {
            projects,
            categories,
            priorities: PRIORITIES
                .iter()
                .map(|(id, n)| Named {
                    id: *id,
                    name: (*n).to_owned(),
                })
                .collect(),
            statuses: STATUSES
                .iter()
                .map(|(id, n, closed)| Status {
                    id: *id,
                    name: (*n).to_owned(),
                    is_closed: *closed,
                })
                .collect(),
            trackers: TRACKERS
                .iter()
                .map(|(id, n)| Named {
                    id: *id,
                    name: (*n).to_owned(),
                })
                .collect(),
            custom_fields: custom_field_defs(config),
            users: BTreeMap::from([(
                API_USER.0,
                User {
                    id: API_USER.0,
                    name: API_USER.1.to_owned(),
                },
            )]),
            issues: BTreeMap::new(),
            truth: BTreeMap::new(),
            restricted: BTreeSet::new(),
            next_journal: 1,
        };
        store.insert_dataset(&config.data)?;
        Ok(store)
    }

    /// Adds generated tickets as issues of the inbox project, their requesters as users.
    pub fn insert_dataset(&mut self, data: &Dataset) -> Result<(), SimError> {
        for c in &data.contacts {
            self.users.insert(
                c.id,
                User {
                    id: c.id,
                    name: c.name.clone(),
                },
            );
        }
        for t in &data.tickets {
            let issue = self.issue_from(t);
            if self.issues.insert(issue.id, issue).is_some() {
                return Err(SimError::Data(format!("issue id {} is used twice", t.id)));
            }
        }
        self.truth.extend(data.truth.clone());
        Ok(())
    }

    fn issue_from(&mut self, t: &Ticket) -> Issue {
        // Freshdesk statuses: 2 open, 3 pending, 4 resolved, 5 closed, 6+ custom.
        let status_id = match t.status {
            2 => 1,
            3 => 4,
            4 => 3,
            5 => 5,
            _ => 2,
        };
        let tracker_id = match t.ticket_type.as_deref() {
            Some("Incident" | "Problem") => 1,
            Some("Feature Request") => 2,
            _ => 3,
        };
        self.users.entry(t.requester_id).or_insert_with(|| User {
            id: t.requester_id,
            name: format!("Customer {}", t.requester_id),
        });
        let custom_fields = self
            .custom_fields
            .iter()
            .map(|f| {
                let key = FIELD_KEYS
                    .iter()
                    .find(|(_, name)| *name == f.name)
                    .map_or_else(
                        || format!("cf_{}", identifier(&f.name)),
                        |(k, _)| (*k).into(),
                    );
                let value = match t.custom_fields.get(&key) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Bool(b)) => if *b { "1" } else { "0" }.to_owned(),
                    Some(other) => other.to_string(),
                };
                (f.id, value)
            })
            .collect();
        let closed = self
            .statuses
            .iter()
            .any(|s| s.id == status_id && s.is_closed);
        Issue {
            id: t.id,
            project_id: INBOX.0,
            tracker_id,
            status_id,
            // Freshdesk's 1–4 (low…urgent) are Redmine's Low…Urgent ids.
            priority_id: u64::from(t.priority.clamp(1, 4)),
            author_id: t.requester_id,
            assigned_to_id: None,
            category_id: None,
            subject: t.subject.clone(),
            description: super::model::crlf(&t.description_text),
            custom_fields,
            created_on: t.created_at,
            // Generated times are whole seconds; a real database holds a fraction too
            // (a fixed one per issue, never zero, so runs of equal seconds sort by it).
            updated_on: t.updated_at
                + chrono::Duration::microseconds(1 + (t.id as i64 * 7_919) % 999_983),
            closed_on: closed.then_some(t.updated_at),
            journals: Vec::new(),
        }
    }

    /// A project by id or identifier.
    pub fn project(&self, key: &str) -> Option<&Project> {
        let key = key.trim();
        match key.parse::<u64>() {
            Ok(id) => self.projects.iter().find(|p| p.id == id),
            Err(_) => self.projects.iter().find(|p| p.identifier == key),
        }
    }

    pub fn project_by_id(&self, id: u64) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    pub fn status(&self, id: u64) -> Option<&Status> {
        self.statuses.iter().find(|s| s.id == id)
    }

    pub fn priority(&self, id: u64) -> Option<&Named> {
        self.priorities.iter().find(|p| p.id == id)
    }

    pub fn tracker(&self, id: u64) -> Option<&Named> {
        self.trackers.iter().find(|t| t.id == id)
    }

    pub fn category(&self, id: u64) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn custom_field(&self, id: u64) -> Option<&CustomFieldDef> {
        self.custom_fields.iter().find(|f| f.id == id)
    }

    /// Whether the key's user may see this issue.
    pub fn visible(&self, issue: &Issue) -> bool {
        !self.restricted.contains(&issue.project_id)
    }

    /// The next journal id.
    pub fn journal_id(&mut self) -> u64 {
        let id = self.next_journal;
        self.next_journal += 1;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{GenerateOptions, generate};

    #[test]
    fn identifiers_are_url_safe() {
        assert_eq!(identifier("Technical Support"), "technical-support");
        assert_eq!(
            identifier("Service Outages and Maintenance"),
            "service-outages-and-maintenance"
        );
        assert_eq!(identifier("  A/B  "), "a-b");
    }

    #[test]
    fn generated_tickets_become_inbox_issues() {
        let config = SimConfig::default().with_data(generate(&GenerateOptions::new(50, 3)));
        let store = Store::new(&config, Utc::now()).unwrap();
        assert_eq!(store.issues.len(), 50);
        assert_eq!(store.projects.len(), 11);
        assert_eq!(store.categories.len(), 10);
        let issue = store.issues.values().next().unwrap();
        assert_eq!(issue.project_id, INBOX.0);
        assert_eq!(issue.custom_fields.len(), 5);
        assert!(["en", "de"].contains(&issue.custom_fields[&2].as_str()));
        assert!(["0", "1"].contains(&issue.custom_fields[&5].as_str()));
        assert!(store.users.contains_key(&issue.author_id));
    }
}
