//! Everything that shapes one simulated Freshdesk account.

use std::net::{Ipv4Addr, SocketAddr};

use super::model::{CustomField, CustomFieldKind, DEFAULT_TICKET_TYPES, Dataset, QUEUES};
use crate::faults::Faults;
use crate::ratelimit::RateLimitConfig;

/// The API key a simulator accepts unless told otherwise.
pub const DEFAULT_API_KEY: &str = "sim-freshdesk-api-key";

/// How to start a simulator. `SimConfig::default()` gives an empty account with the ten queues,
/// no rate limit and no faults on `127.0.0.1` with an OS-assigned port.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; port 0 lets the OS choose.
    pub bind: SocketAddr,
    /// The key accepted as the Basic-auth user name (any password).
    pub api_key: String,
    /// Group (queue) names; ids are assigned in this order.
    pub groups: Vec<String>,
    /// Custom statuses `(id ≥ 6, label)` on top of 2–5.
    pub custom_statuses: Vec<(u32, String)>,
    /// Allowed ticket `type` values.
    pub ticket_types: Vec<String>,
    /// Custom ticket fields (names with the `cf_` prefix).
    pub custom_fields: Vec<CustomField>,
    /// Initial tickets, requesters and true labels.
    pub data: Dataset,
    pub rate_limits: RateLimitConfig,
    pub faults: Faults,
    /// How many requests the log keeps (oldest dropped first).
    pub log_capacity: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            api_key: DEFAULT_API_KEY.to_owned(),
            groups: QUEUES.iter().map(|q| (*q).to_owned()).collect(),
            custom_statuses: vec![
                (6, "Waiting on Customer".to_owned()),
                (7, "Waiting on Third Party".to_owned()),
            ],
            ticket_types: DEFAULT_TICKET_TYPES
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
            custom_fields: default_custom_fields(),
            data: Dataset::default(),
            rate_limits: RateLimitConfig::unlimited(),
            faults: Faults::none(),
            log_capacity: 100_000,
        }
    }
}

impl SimConfig {
    /// Uses this data set.
    pub fn with_data(mut self, data: Dataset) -> Self {
        self.data = data;
        self
    }

    /// Uses this API key.
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
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
}

/// The custom fields of the default account: a free-text order number, a language dropdown, a
/// support-plan dropdown, a numeric score and a checkbox, so every validation path exists.
pub fn default_custom_fields() -> Vec<CustomField> {
    let dropdown =
        |v: &[&str]| CustomFieldKind::Dropdown(v.iter().map(|s| (*s).to_owned()).collect());
    vec![
        CustomField::new("cf_order_number", "Order number", CustomFieldKind::Text),
        CustomField::new("cf_language", "Language", dropdown(&["en", "de"])),
        CustomField::new(
            "cf_support_plan",
            "Support plan",
            dropdown(&["Basic", "Premium", "Enterprise"]),
        ),
        CustomField::new(
            "cf_triage_confidence",
            "Triage confidence",
            CustomFieldKind::Number,
        ),
        CustomField::new("cf_vip", "VIP customer", CustomFieldKind::Checkbox),
    ]
}
