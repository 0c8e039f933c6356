//! The account's state: groups, users, ticket fields, tickets and comments, built from a
//! generated (or loaded) data set, plus the `(generated_timestamp, id)` index that incremental
//! exports page through.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::config::SimConfig;
use super::model::{Comment, FieldKind, Group, Ticket, TicketField, User};
use crate::error::SimError;
use crate::freshdesk::{Dataset, Truth, whole_seconds};

/// Group ids start here (Zendesk ids are large numbers).
pub const GROUP_ID_BASE: u64 = 360_000_100_001;
/// Custom ticket field ids start here.
pub const FIELD_ID_BASE: u64 = 360_000_200_001;
/// The API agent's user id.
pub const AGENT_ID: u64 = 360_000_300_001;
/// Comment (and audit) ids start here.
const COMMENT_ID_BASE: u64 = 360_100_000_001;

/// Generated custom field keys, in the order of [`super::default_custom_fields`].
const FIELD_KEYS: [&str; 5] = [
    "cf_order_number",
    "cf_language",
    "cf_support_plan",
    "cf_triage_confidence",
    "cf_vip",
];

#[derive(Debug)]
pub(crate) struct Store {
    pub groups: Vec<Group>,
    pub fields: Vec<TicketField>,
    pub users: BTreeMap<u64, User>,
    pub tickets: BTreeMap<u64, Ticket>,
    pub comments: BTreeMap<u64, Vec<Comment>>,
    pub truth: BTreeMap<u64, Truth>,
    /// `(generated_timestamp, id)` of every ticket: the export order.
    pub by_stamp: BTreeSet<(i64, u64)>,
    next_id: u64,
}

impl Store {
    pub fn new(config: &SimConfig, now: DateTime<Utc>) -> Result<Self, SimError> {
        let created_at = whole_seconds(now) - chrono::Duration::days(400);
        let mut groups: Vec<Group> = Vec::new();
        for (i, name) in config.queues.iter().enumerate() {
            if groups.iter().any(|g| g.name == *name) {
                return Err(SimError::Config(format!("queue {name:?} is listed twice")));
            }
            groups.push(Group {
                id: GROUP_ID_BASE + i as u64,
                name: name.clone(),
                created_at,
            });
        }
        let fields = config
            .custom_fields
            .iter()
            .enumerate()
            .map(|(i, (title, kind))| TicketField {
                id: FIELD_ID_BASE + i as u64,
                title: title.clone(),
                kind: kind.clone(),
            })
            .collect();
        let agent = User {
            id: AGENT_ID,
            name: "Triage Bot".into(),
            email: config.email.clone(),
            role: "agent".into(),
        };
        let mut store = Self {
            groups,
            fields,
            users: BTreeMap::from([(AGENT_ID, agent)]),
            tickets: BTreeMap::new(),
            comments: BTreeMap::new(),
            truth: BTreeMap::new(),
            by_stamp: BTreeSet::new(),
            next_id: COMMENT_ID_BASE,
        };
        store.insert_dataset(&config.data)?;
        Ok(store)
    }

    /// Adds generated tickets (with their first comment) and their requesters.
    pub fn insert_dataset(&mut self, data: &Dataset) -> Result<(), SimError> {
        for c in &data.contacts {
            self.users.insert(
                c.id,
                User {
                    id: c.id,
                    name: c.name.clone(),
                    email: c.email.clone(),
                    role: "end-user".into(),
                },
            );
        }
        for t in &data.tickets {
            if self.tickets.contains_key(&t.id) {
                return Err(SimError::Data(format!("ticket id {} is used twice", t.id)));
            }
            let ticket = self.ticket_from(t);
            self.insert_ticket(ticket);
        }
        self.truth.extend(data.truth.clone());
        Ok(())
    }

    /// Adds a ticket as it is (id 0: the next free id), with its description as the first,
    /// public comment. Returns its id.
    pub fn insert_ticket(&mut self, mut t: Ticket) -> u64 {
        if t.id == 0 {
            t.id = self.tickets.keys().next_back().map_or(1, |id| id + 1);
        }
        let comment = Comment {
            id: self.next_id(),
            ticket_id: t.id,
            body: t.description.clone(),
            html_body: format!("<p>{}</p>", super::render::escape(&t.description)),
            public: true,
            author_id: t.requester_id,
            created_at: t.created_at,
        };
        self.comments.insert(t.id, vec![comment]);
        self.users.entry(t.requester_id).or_insert_with(|| User {
            id: t.requester_id,
            name: format!("Customer {}", t.requester_id),
            email: format!("customer{}@example.invalid", t.requester_id),
            role: "end-user".into(),
        });
        self.by_stamp.insert((t.generated_timestamp, t.id));
        let id = t.id;
        self.tickets.insert(id, t);
        id
    }

    fn ticket_from(&self, t: &crate::freshdesk::Ticket) -> Ticket {
        // Freshdesk statuses: 2 open, 3 pending, 4 resolved, 5 closed, 6+ custom. A generated
        // open ticket nobody has touched is Zendesk's "new".
        let status = match t.status {
            2 if t.group_id.is_none() && t.responder_id.is_none() => "new",
            2 => "open",
            3 => "pending",
            4 => "solved",
            5 => "closed",
            _ => "hold",
        };
        let priority = match t.priority {
            1 => "low",
            2 => "normal",
            3 => "high",
            _ => "urgent",
        };
        let ticket_type = match t.ticket_type.as_deref() {
            Some("Question" | "Refund") => Some("question"),
            Some("Incident") => Some("incident"),
            Some("Problem") => Some("problem"),
            Some("Feature Request") => Some("task"),
            _ => None,
        };
        let custom_fields = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let generated = FIELD_KEYS
                    .get(i)
                    .and_then(|k| t.custom_fields.get(*k))
                    .cloned()
                    .unwrap_or(Value::Null);
                let value = match (&f.kind, generated) {
                    (FieldKind::Tagger(_), Value::String(s)) => Value::String(s.to_lowercase()),
                    (FieldKind::Checkbox, Value::Null) => Value::Bool(false),
                    (_, v) => v,
                };
                (f.id, value)
            })
            .collect();
        Ticket {
            id: t.id,
            subject: t.subject.clone(),
            description: t.description_text.clone(),
            status: status.into(),
            priority: Some(priority.into()),
            ticket_type: ticket_type.map(str::to_owned),
            group_id: t.group_id,
            assignee_id: None,
            requester_id: t.requester_id,
            tags: t.tags.clone(),
            custom_fields,
            deleted: t.spam || t.deleted,
            created_at: t.created_at,
            updated_at: t.updated_at,
            generated_timestamp: t.updated_at.timestamp(),
        }
    }

    /// A fresh comment/audit id.
    pub fn next_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Records a change to ticket `id` at `now`: `updated_at` and the export key move.
    pub fn touch(&mut self, id: u64, now: DateTime<Utc>) {
        let Some(t) = self.tickets.get_mut(&id) else {
            return;
        };
        self.by_stamp.remove(&(t.generated_timestamp, id));
        t.updated_at = whole_seconds(now);
        t.generated_timestamp = t.updated_at.timestamp();
        self.by_stamp.insert((t.generated_timestamp, id));
    }

    /// Re-keys a ticket changed behind the API's back (its stamp may have moved).
    pub fn reindex(&mut self, id: u64, old_stamp: i64) {
        self.by_stamp.remove(&(old_stamp, id));
        if let Some(t) = self.tickets.get(&id) {
            self.by_stamp.insert((t.generated_timestamp, id));
        }
    }

    /// A live (not deleted) ticket.
    pub fn live(&self, id: u64) -> Option<&Ticket> {
        self.tickets.get(&id).filter(|t| !t.deleted)
    }

    pub fn group(&self, id: u64) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn field(&self, id: u64) -> Option<&TicketField> {
        self.fields.iter().find(|f| f.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{GenerateOptions, generate};

    #[test]
    fn generated_tickets_become_zendesk_tickets() {
        let config = SimConfig::default().with_data(generate(&GenerateOptions::new(50, 3)));
        let store = Store::new(&config, Utc::now()).unwrap();
        assert_eq!(store.tickets.len(), 50);
        assert_eq!(store.by_stamp.len(), 50);
        assert_eq!(store.groups.len(), 10);
        let t = store.tickets.values().next().unwrap();
        assert_eq!(t.custom_fields.len(), 5);
        assert_eq!(t.priority.as_deref(), Some("low"));
        let lang = &t.custom_fields[&(FIELD_ID_BASE + 1)];
        assert!(lang == "en" || lang == "de", "{lang}");
        assert!(t.custom_fields[&(FIELD_ID_BASE + 4)].is_boolean());
        assert_eq!(store.comments[&t.id].len(), 1);
        assert!(store.users.contains_key(&t.requester_id));
    }

    #[test]
    fn touching_moves_a_ticket_to_the_end_of_the_export() {
        let config = SimConfig::default().with_data(generate(&GenerateOptions::new(5, 3)));
        let mut store = Store::new(&config, Utc::now()).unwrap();
        let first = store.by_stamp.iter().next().unwrap().1;
        store.touch(first, Utc::now() + chrono::Duration::days(1));
        assert_eq!(store.by_stamp.iter().next_back().unwrap().1, first);
        assert_eq!(store.by_stamp.len(), 5);
    }
}
