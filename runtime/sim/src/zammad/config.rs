//! Everything that shapes one simulated Zammad system.

use std::net::{Ipv4Addr, SocketAddr};

use super::model::{Attribute, AttributeKind, DEFAULT_PRIORITIES, INBOX_GROUP};
use crate::faults::Faults;
use crate::freshdesk::{Dataset, QUEUES};
use crate::ratelimit::RateLimitConfig;

/// The API token a simulator accepts unless told otherwise.
pub const DEFAULT_TOKEN: &str = "sim-zammad-api-token";

/// Elasticsearch's default `index.max_result_window`: search pages ending beyond it are empty.
pub const DEFAULT_SEARCH_WINDOW: usize = 10_000;

/// How to start a simulator. `SimConfig::default()` gives an empty system with the inbox group
/// plus the ten queues, Zammad's priorities and states, an agent token without admin rights,
/// no rate limit and no faults, on `127.0.0.1` with an OS-assigned port.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; port 0 lets the OS choose.
    pub bind: SocketAddr,
    /// The token accepted as `Authorization: Token token=…` (or `Bearer …`).
    pub token: String,
    /// Whether the token's user is an admin: admins may list `/groups` and see raw error texts;
    /// agents get 403 there and `Error ID …: Please contact your administrator.` instead.
    pub admin: bool,
    /// Group names; ids are assigned in this order. The first is where new tickets land.
    pub groups: Vec<String>,
    /// Priority names, lowest first; ids from 1. The middle one is the default.
    pub priorities: Vec<String>,
    /// Custom ticket attributes.
    pub attributes: Vec<Attribute>,
    /// Initial tickets (the generator's data set, converted on start).
    pub data: Dataset,
    pub rate_limits: RateLimitConfig,
    pub faults: Faults,
    /// How many requests the log keeps (oldest dropped first).
    pub log_capacity: usize,
    /// Elasticsearch's `max_result_window`: a search page whose end lies beyond it is empty.
    pub search_window: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        let mut groups = vec![INBOX_GROUP.to_owned()];
        groups.extend(QUEUES.iter().map(|q| (*q).to_owned()));
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            token: DEFAULT_TOKEN.to_owned(),
            admin: false,
            groups,
            priorities: DEFAULT_PRIORITIES.iter().map(|p| (*p).to_owned()).collect(),
            attributes: default_attributes(),
            data: Dataset::default(),
            rate_limits: RateLimitConfig::unlimited(),
            faults: Faults::none(),
            log_capacity: 100_000,
            search_window: DEFAULT_SEARCH_WINDOW,
        }
    }
}

impl SimConfig {
    /// Uses this data set.
    pub fn with_data(mut self, data: Dataset) -> Self {
        self.data = data;
        self
    }

    /// Uses this token.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// Gives the token's user admin rights.
    pub fn as_admin(mut self) -> Self {
        self.admin = true;
        self
    }

    /// Uses these rate limits.
    pub fn with_rate_limits(mut self, limits: RateLimitConfig) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Starts with these faults.
    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Uses this search result window.
    pub fn with_search_window(mut self, window: usize) -> Self {
        self.search_window = window;
        self
    }
}

/// The custom attributes of the default system, matching the generator's `cf_*` fields
/// without the prefix, so every validation path exists.
pub fn default_attributes() -> Vec<Attribute> {
    let select = |v: &[&str]| AttributeKind::Select {
        options: v.iter().map(|s| (*s).to_owned()).collect(),
    };
    vec![
        Attribute::new(
            "order_number",
            "Order number",
            AttributeKind::Input { maxlength: 120 },
        ),
        Attribute::new("language", "Language", select(&["en", "de"])),
        Attribute::new(
            "support_plan",
            "Support plan",
            select(&["Basic", "Premium", "Enterprise"]),
        ),
        Attribute::new(
            "triage_confidence",
            "Triage confidence",
            AttributeKind::Integer { min: 0, max: 100 },
        ),
        Attribute::new("vip", "VIP customer", AttributeKind::Boolean),
    ]
}
