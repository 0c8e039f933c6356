//! Everything that shapes one simulated Redmine instance.

use std::net::{Ipv4Addr, SocketAddr};

use super::model::{CustomFieldDef, FieldFormat};
use crate::faults::Faults;
use crate::freshdesk::{Dataset, QUEUES};
use crate::ratelimit::RateLimitConfig;

/// The API key a simulator accepts unless told otherwise.
pub const DEFAULT_API_KEY: &str = "sim-redmine-api-key";

/// How to start a simulator. `SimConfig::default()` gives an instance with the inbox project,
/// one project per queue (and the same names as categories of the inbox), no issues, no rate
/// limit and no faults on `127.0.0.1` with an OS-assigned port.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; port 0 lets the OS choose.
    pub bind: SocketAddr,
    /// The key accepted in `X-Redmine-API-Key` (or `?key=`).
    pub api_key: String,
    /// Queue names: a project each (ids 2, 3, …) and a category each in the inbox project.
    pub queues: Vec<String>,
    /// Issue custom fields; ids are assigned from 1 in this order.
    pub custom_fields: Vec<(String, FieldFormat)>,
    /// Initial issues (generated tickets), authors and true labels.
    pub data: Dataset,
    /// The reverse proxy's limit (Redmine itself has none); only `total` and `window` apply.
    pub rate_limit: RateLimitConfig,
    pub faults: Faults,
    /// How many requests the log keeps (oldest dropped first).
    pub log_capacity: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            api_key: DEFAULT_API_KEY.to_owned(),
            queues: QUEUES.iter().map(|q| (*q).to_owned()).collect(),
            custom_fields: default_custom_fields(),
            data: Dataset::default(),
            rate_limit: RateLimitConfig::unlimited(),
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

    /// Uses this rate limit.
    pub fn with_rate_limit(mut self, limit: RateLimitConfig) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Starts with these faults.
    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }
}

/// The generator's custom fields as Redmine issue custom fields, in id order: the generated
/// `cf_order_number`, `cf_language`, `cf_support_plan`, `cf_triage_confidence` and `cf_vip`.
pub fn default_custom_fields() -> Vec<(String, FieldFormat)> {
    let list = |v: &[&str]| FieldFormat::List(v.iter().map(|s| (*s).to_owned()).collect());
    vec![
        ("Order number".into(), FieldFormat::String),
        ("Language".into(), list(&["en", "de"])),
        (
            "Support plan".into(),
            list(&["Basic", "Premium", "Enterprise"]),
        ),
        ("Triage confidence".into(), FieldFormat::Float),
        ("VIP".into(), FieldFormat::Bool),
    ]
}

/// The custom field definitions with their ids.
pub(crate) fn custom_field_defs(config: &SimConfig) -> Vec<CustomFieldDef> {
    config
        .custom_fields
        .iter()
        .enumerate()
        .map(|(i, (name, format))| CustomFieldDef {
            id: i as u64 + 1,
            name: name.clone(),
            format: format.clone(),
        })
        .collect()
}
