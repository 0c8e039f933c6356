//! The instance's state: tickets, articles, configuration objects, sessions and the hidden
//! true labels. One `Store` behind one mutex, like the other simulators: requests are short
//! and a single lock keeps every answer consistent.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::config::{SimConfig, TAG_VALUES};
use super::model::{
    Article, DEFAULT_PRIORITY_ID, DEFAULT_QUEUES, DynamicField, INBOX_QUEUE, Named, PRIORITIES,
    STATES, Ticket,
};
use crate::error::SimError;
use crate::freshdesk::{Dataset, Truth};

/// The agent every generated ticket belongs to (`root@localhost`, as on a fresh install).
pub const OWNER_ID: u64 = 1;

#[derive(Debug)]
pub struct Store {
    pub tickets: BTreeMap<u64, Ticket>,
    /// Ticket id → its articles, oldest first.
    pub articles: BTreeMap<u64, Vec<Article>>,
    pub queues: Vec<Named>,
    pub priorities: Vec<Named>,
    pub users: Vec<Named>,
    pub dynamic_fields: Vec<DynamicField>,
    pub truth: BTreeMap<u64, Truth>,
    /// SessionID → login.
    pub sessions: HashMap<String, String>,
    next_article_id: u64,
    next_session: u64,
}

impl Store {
    pub fn new(config: &SimConfig) -> Result<Self, SimError> {
        let named = |names: &mut dyn Iterator<Item = String>| -> Vec<Named> {
            names
                .enumerate()
                .map(|(i, name)| Named {
                    id: i as u64 + 1,
                    name,
                })
                .collect()
        };
        let queues = named(
            &mut DEFAULT_QUEUES
                .iter()
                .map(|q| (*q).to_owned())
                .chain(config.queues.iter().cloned()),
        );
        for (i, q) in queues.iter().enumerate() {
            if queues[..i].iter().any(|o| o.name == q.name) {
                return Err(SimError::Config(format!(
                    "queue {:?} is listed twice",
                    q.name
                )));
            }
        }
        let users = named(
            &mut std::iter::once("root@localhost".to_owned())
                .chain(config.agents.iter().map(|(login, _)| login.clone())),
        );
        let mut store = Self {
            tickets: BTreeMap::new(),
            articles: BTreeMap::new(),
            queues,
            priorities: named(&mut PRIORITIES.iter().map(|p| (*p).to_owned())),
            users,
            dynamic_fields: config.dynamic_fields.clone(),
            truth: config.data.truth.clone(),
            sessions: HashMap::new(),
            next_article_id: 1,
            next_session: 1,
        };
        store.load(&config.data)?;
        Ok(store)
    }

    /// Converts generated (Freshdesk-shaped) tickets: each arrives unclassified in `Raw` with
    /// priority `3 normal`, its text as the first article, its custom fields as dynamic fields.
    fn load(&mut self, data: &Dataset) -> Result<(), SimError> {
        let contacts: HashMap<u64, _> = data.contacts.iter().map(|c| (c.id, c)).collect();
        let inbox = self.queue_by_name(INBOX_QUEUE).map(|q| q.id).unwrap_or(1);
        let junk = self.queue_by_name("Junk").map_or(inbox, |q| q.id);
        for t in &data.tickets {
            if self.tickets.contains_key(&t.id) || t.id == 0 {
                return Err(SimError::Data(format!(
                    "duplicate or zero ticket id {}",
                    t.id
                )));
            }
            let contact = contacts.get(&t.requester_id);
            let email = contact.map_or_else(
                || format!("requester{}@customer.example", t.requester_id),
                |c| c.email.clone(),
            );
            let from = contact.map_or_else(|| email.clone(), |c| format!("{} <{}>", c.name, email));
            let state_id = match t.status {
                2 => 1,
                3 => 6,
                4 => 2,
                5 => 3,
                _ => 4,
            };
            let mut dynamic_fields = BTreeMap::new();
            for (cf, df) in [
                ("cf_order_number", "OrderNumber"),
                ("cf_language", "Language"),
                ("cf_support_plan", "SupportPlan"),
            ] {
                if let Some(Value::String(v)) = t.custom_fields.get(cf) {
                    dynamic_fields.insert(df.to_owned(), Value::String(v.clone()));
                }
            }
            if let Some(Value::Bool(vip)) = t.custom_fields.get("cf_vip") {
                dynamic_fields.insert("VIP".into(), Value::String(u8::from(*vip).to_string()));
            }
            let tags: Vec<Value> = t
                .tags
                .iter()
                .filter(|tag| TAG_VALUES.contains(&tag.as_str()))
                .map(|tag| Value::String(tag.clone()))
                .collect();
            if !tags.is_empty() {
                dynamic_fields.insert("Tags".into(), Value::Array(tags));
            }
            let ticket = Ticket {
                id: t.id,
                number: format!("{}10{:06}", t.created_at.format("%Y%m%d"), t.id),
                title: t.subject.clone(),
                queue_id: if t.spam { junk } else { inbox },
                priority_id: DEFAULT_PRIORITY_ID,
                state_id,
                type_id: match t.ticket_type.as_deref() {
                    Some("Incident" | "Problem") => 2,
                    _ => 1,
                },
                owner_id: OWNER_ID,
                customer_user: email.clone(),
                customer_id: t.company_id.map(|c| c.to_string()),
                created: t.created_at,
                changed: t.updated_at,
                dynamic_fields,
            };
            let article = Article {
                id: 0,
                ticket_id: t.id,
                from,
                to: "helpdesk@otobo.example".into(),
                subject: t.subject.clone(),
                body: t.description_text.clone(),
                content_type: "text/plain; charset=utf8".into(),
                sender_type: "customer".into(),
                channel: "Email".into(),
                visible_for_customer: true,
                created: t.created_at,
            };
            self.tickets.insert(t.id, ticket);
            self.add_article(article);
        }
        Ok(())
    }

    /// Stores an article with the next id; returns the id.
    pub fn add_article(&mut self, mut article: Article) -> u64 {
        article.id = self.next_article_id;
        self.next_article_id += 1;
        let id = article.id;
        self.articles
            .entry(article.ticket_id)
            .or_default()
            .push(article);
        id
    }

    /// A new session for `login`.
    pub fn create_session(&mut self, login: &str) -> String {
        let mut rng = crate::rng::Rng::new(self.next_session ^ 0x5E55_1011);
        self.next_session += 1;
        let id = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
        self.sessions.insert(id.clone(), login.to_owned());
        id
    }

    pub fn queue(&self, id: u64) -> Option<&Named> {
        self.queues.iter().find(|q| q.id == id)
    }

    pub fn queue_by_name(&self, name: &str) -> Option<&Named> {
        self.queues.iter().find(|q| q.name == name)
    }

    pub fn priority(&self, id: u64) -> Option<&Named> {
        self.priorities.iter().find(|p| p.id == id)
    }

    pub fn user(&self, id: u64) -> Option<&Named> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn dynamic_field(&self, name: &str) -> Option<&DynamicField> {
        self.dynamic_fields.iter().find(|f| f.name == name)
    }

    /// `(name, state type)` of a state id.
    pub fn state(&self, id: u64) -> Option<(&'static str, &'static str)> {
        STATES
            .iter()
            .find(|(i, ..)| *i == id)
            .map(|(_, name, kind)| (*name, *kind))
    }

    /// The ticket's latest change: any write bumps it, like `change_time`.
    pub fn touch(&mut self, id: u64, now: DateTime<Utc>) {
        if let Some(t) = self.tickets.get_mut(&id) {
            t.changed = now.max(t.changed);
        }
    }
}
