//! The system's state behind one mutex (requests are short and the data fits in memory), and
//! the import of the generator's data set into Zammad's shapes.
//!
//! Import choices: the generator's Freshdesk-shaped tickets become Zammad tickets with the same
//! ids, a separate ticket number, the first article holding the HTML description, and custom
//! fields `cf_x` as attributes `x`. Freshdesk's default priority (Low) maps to Zammad's default
//! (`2 normal`), since both mean "not triaged yet"; spam and deleted tickets are not imported
//! (Zammad has neither flag). Tickets without a group go to the inbox group.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::config::SimConfig;
use super::model::{
    Article, Attribute, DEFAULT_STATES, Group, ME, NOBODY, Priority, State, Ticket, User,
};
use crate::error::SimError;
use crate::freshdesk::{self, Dataset, GROUP_ID_BASE, QUEUES, Truth};

/// Customer user ids start here (agents and the system user come first).
pub const CUSTOMER_ID_BASE: u64 = 100;

/// The mutable state of one system.
#[derive(Debug)]
pub struct Store {
    pub tickets: BTreeMap<u64, Ticket>,
    /// Ticket id → its articles, oldest first.
    pub articles: BTreeMap<u64, Vec<Article>>,
    pub groups: Vec<Group>,
    pub priorities: Vec<Priority>,
    pub states: Vec<State>,
    pub users: BTreeMap<u64, User>,
    pub attributes: Vec<Attribute>,
    pub truth: BTreeMap<u64, Truth>,
    /// Bumped on every change to tickets.
    pub version: u64,
    next_ticket_id: u64,
    next_article_id: u64,
    next_user_id: u64,
}

fn user(id: u64, login: &str, first: &str, last: &str, agent: bool) -> User {
    User {
        id,
        login: login.to_owned(),
        firstname: first.to_owned(),
        lastname: last.to_owned(),
        email: if id == NOBODY {
            String::new()
        } else {
            login.to_owned()
        },
        agent,
        organization_id: None,
    }
}

impl Store {
    pub fn new(config: &SimConfig) -> Result<Self, SimError> {
        if config.groups.is_empty() || config.priorities.is_empty() {
            return Err(SimError::Config(
                "a Zammad system needs at least one group and one priority".into(),
            ));
        }
        let groups = config
            .groups
            .iter()
            .enumerate()
            .map(|(i, name)| Group {
                id: i as u64 + 1,
                name: name.clone(),
                active: true,
            })
            .collect();
        let default_priority = (config.priorities.len() - 1) / 2;
        let priorities = config
            .priorities
            .iter()
            .enumerate()
            .map(|(i, name)| Priority {
                id: i as u64 + 1,
                name: name.clone(),
                default_create: i == default_priority,
            })
            .collect();
        let states = DEFAULT_STATES
            .iter()
            .enumerate()
            .map(|(i, (name, kind))| State {
                id: i as u64 + 1,
                name: (*name).to_owned(),
                state_type: (*kind).to_owned(),
            })
            .collect();
        let users = [
            user(NOBODY, "-", "-", "", false),
            user(ME, "triage-bot@helpdesk.example", "Triage", "Bot", true),
            user(3, "alex.morgan@helpdesk.example", "Alex", "Morgan", true),
            user(4, "jana.becker@helpdesk.example", "Jana", "Becker", true),
        ]
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
        let mut store = Self {
            tickets: BTreeMap::new(),
            articles: BTreeMap::new(),
            groups,
            priorities,
            states,
            users,
            attributes: config.attributes.clone(),
            truth: BTreeMap::new(),
            version: 0,
            next_ticket_id: 1,
            next_article_id: 1,
            next_user_id: CUSTOMER_ID_BASE,
        };
        store.import(&config.data)?;
        Ok(store)
    }

    /// Adds the tickets of a generated or loaded data set (see the module docs).
    pub fn import(&mut self, data: &Dataset) -> Result<(), SimError> {
        let mut customers: HashMap<u64, u64> = HashMap::new();
        for c in &data.contacts {
            let id = self.add_customer(&c.name, &c.email);
            customers.insert(c.id, id);
        }
        for t in data.tickets.iter().filter(|t| !t.spam && !t.deleted) {
            let customer_id = match customers.get(&t.requester_id) {
                Some(id) => *id,
                None => {
                    let id = self.add_customer(
                        &format!("Requester {}", t.requester_id),
                        &format!("requester{}@customer.example", t.requester_id),
                    );
                    customers.insert(t.requester_id, id);
                    id
                }
            };
            self.import_ticket(t, customer_id)?;
            if let Some(truth) = data.truth.get(&t.id) {
                self.truth.insert(t.id, truth.clone());
            }
        }
        Ok(())
    }

    fn add_customer(&mut self, name: &str, email: &str) -> u64 {
        let id = self.next_user_id;
        self.next_user_id += 1;
        let (first, last) = name.split_once(' ').unwrap_or((name, ""));
        let mut u = user(id, &email.to_ascii_lowercase(), first, last, false);
        u.email = email.to_owned();
        self.users.insert(id, u);
        id
    }

    fn import_ticket(&mut self, t: &freshdesk::Ticket, customer_id: u64) -> Result<(), SimError> {
        if self.tickets.contains_key(&t.id) {
            return Err(SimError::Data(format!("duplicate ticket id {}", t.id)));
        }
        let group_id = t
            .group_id
            .and_then(|g| g.checked_sub(GROUP_ID_BASE))
            .and_then(|i| QUEUES.get(i as usize))
            .and_then(|name| self.group_by_name(name))
            .map_or(self.groups[0].id, |g| g.id);
        let priority_id = match t.priority {
            3 | 4 => self.priorities.last().map(|p| p.id),
            _ => None,
        }
        .unwrap_or_else(|| self.default_priority());
        let state = match t.status {
            2 if t.updated_at == t.created_at => "new",
            2 => "open",
            3 => "pending reminder",
            4 | 5 => "closed",
            _ => "pending close",
        };
        let attributes = t
            .custom_fields
            .iter()
            .filter_map(|(k, v)| {
                let name = k.strip_prefix("cf_").unwrap_or(k);
                self.attribute(name).map(|_| (name.to_owned(), v.clone()))
            })
            .collect();
        let created = super::time::millis(t.created_at);
        let ticket = Ticket {
            id: t.id,
            number: (30_000 + t.id).to_string(),
            title: t.subject.clone(),
            group_id,
            priority_id,
            state_id: self.state_by_name(state).map_or(1, |s| s.id),
            owner_id: NOBODY,
            customer_id,
            organization_id: None,
            note: None,
            tags: t.tags.clone(),
            attributes,
            created_by_id: customer_id,
            updated_by_id: customer_id,
            created_at: created,
            updated_at: super::time::millis(t.updated_at),
        };
        let customer = &self.users[&customer_id];
        let from = format!("{} <{}>", customer.fullname(), customer.email);
        let (kind, sender) = match t.source {
            2 | 9 => ("web", "Customer"),
            3 => ("phone", "Customer"),
            7 => ("chat", "Customer"),
            10 => ("email", "Agent"),
            _ => ("email", "Customer"),
        };
        let article = Article {
            id: self.next_article_id(),
            ticket_id: t.id,
            kind: kind.to_owned(),
            sender: sender.to_owned(),
            from: Some(from),
            to: Some("support@helpdesk.example".to_owned()),
            subject: Some(t.subject.clone()),
            body: t.description.clone(),
            content_type: "text/html".to_owned(),
            internal: false,
            created_by_id: customer_id,
            created_at: created,
            updated_at: created,
        };
        self.next_ticket_id = self.next_ticket_id.max(t.id + 1);
        self.articles.entry(t.id).or_default().push(article);
        self.tickets.insert(t.id, ticket);
        self.version += 1;
        Ok(())
    }

    pub fn next_article_id(&mut self) -> u64 {
        let id = self.next_article_id;
        self.next_article_id += 1;
        id
    }

    /// Changes a ticket's last update time (the API's writes all do).
    pub fn touch(&mut self, id: u64, at: DateTime<Utc>) {
        if let Some(t) = self.tickets.get_mut(&id) {
            t.updated_at = at.max(t.updated_at);
            t.updated_by_id = ME;
            self.version += 1;
        }
    }

    pub fn group(&self, id: u64) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn group_by_name(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    pub fn priority(&self, id: u64) -> Option<&Priority> {
        self.priorities.iter().find(|p| p.id == id)
    }

    pub fn default_priority(&self) -> u64 {
        self.priorities
            .iter()
            .find(|p| p.default_create)
            .map_or(1, |p| p.id)
    }

    pub fn state(&self, id: u64) -> Option<&State> {
        self.states.iter().find(|s| s.id == id)
    }

    pub fn state_by_name(&self, name: &str) -> Option<&State> {
        self.states.iter().find(|s| s.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The login a user is rendered with (`-` for the system user).
    pub fn login(&self, id: u64) -> Option<&str> {
        self.users.get(&id).map(|u| u.login.as_str())
    }

    /// A user by login or email (how Zammad resolves `owner`/`customer` names).
    pub fn user_by_name(&self, name: &str) -> Option<&User> {
        let name = name.to_ascii_lowercase();
        self.users
            .values()
            .find(|u| u.login == name || u.email.eq_ignore_ascii_case(&name))
    }

    /// The priority a true label corresponds to: by name (low / normal / high), else the
    /// lowest, middle or highest priority.
    pub fn priority_for(&self, p: freshdesk::Priority) -> Option<u64> {
        let word = match p {
            freshdesk::Priority::Low => "low",
            freshdesk::Priority::Medium => "normal",
            freshdesk::Priority::High | freshdesk::Priority::Urgent => "high",
        };
        self.priorities
            .iter()
            .find(|x| {
                x.name
                    .split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case(word))
            })
            .map(|x| x.id)
    }
}
