//! Everything that shapes one simulated Zendesk account.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::model::FieldKind;
use crate::faults::Faults;
use crate::freshdesk::{Dataset, QUEUES};
use crate::ratelimit::RateLimitConfig;

/// The agent whose API token the simulator accepts unless told otherwise.
pub const DEFAULT_EMAIL: &str = "triage@example.invalid";
/// The API token accepted unless told otherwise.
pub const DEFAULT_API_TOKEN: &str = "sim-zendesk-api-token";
/// The OAuth access token accepted as `Authorization: Bearer` unless told otherwise.
pub const DEFAULT_OAUTH_TOKEN: &str = "sim-zendesk-oauth-token";

/// How to start a simulator. `SimConfig::default()` gives an account with one group per queue,
/// the generator's custom fields, no tickets, no rate limit and no faults, on `127.0.0.1` with
/// an OS-assigned port.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; port 0 lets the OS choose.
    pub bind: SocketAddr,
    /// The agent's email: Basic auth's user is `{email}/token`.
    pub email: String,
    /// The agent's API token (Basic auth's password).
    pub api_token: String,
    /// An OAuth access token, accepted as `Authorization: Bearer`.
    pub oauth_token: String,
    /// Group names; ids are assigned from [`super::GROUP_ID_BASE`] in this order.
    pub queues: Vec<String>,
    /// Custom ticket fields; ids are assigned from [`super::FIELD_ID_BASE`] in this order.
    pub custom_fields: Vec<(String, FieldKind)>,
    /// Initial tickets (generated), requesters and true labels.
    pub data: Dataset,
    /// The account's limit (one total per window; `X-Rate-Limit` reports it).
    pub rate_limits: RateLimitConfig,
    pub faults: Faults,
    /// Incremental exports leave out tickets changed within this long before the request
    /// (Zendesk: "within the minute prior to your request").
    pub export_lag: Duration,
    /// How many results `search.json` pages through at most (Zendesk: 1,000).
    pub search_window: u32,
    /// How many requests the log keeps (oldest dropped first).
    pub log_capacity: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            email: DEFAULT_EMAIL.to_owned(),
            api_token: DEFAULT_API_TOKEN.to_owned(),
            oauth_token: DEFAULT_OAUTH_TOKEN.to_owned(),
            queues: QUEUES.iter().map(|q| (*q).to_owned()).collect(),
            custom_fields: default_custom_fields(),
            data: Dataset::default(),
            rate_limits: RateLimitConfig::unlimited(),
            faults: Faults::none(),
            export_lag: Duration::from_secs(60),
            search_window: 1000,
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

    /// Uses this rate limit.
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

/// The generator's custom fields as Zendesk ticket fields, in id order: `cf_order_number`,
/// `cf_language`, `cf_support_plan`, `cf_triage_confidence` and `cf_vip`.
pub fn default_custom_fields() -> Vec<(String, FieldKind)> {
    let tagger = |v: &[&str]| FieldKind::Tagger(v.iter().map(|s| (*s).to_owned()).collect());
    vec![
        ("Order number".into(), FieldKind::Text),
        ("Language".into(), tagger(&["en", "de"])),
        (
            "Support plan".into(),
            tagger(&["basic", "premium", "enterprise"]),
        ),
        ("Triage confidence".into(), FieldKind::Decimal),
        ("VIP".into(), FieldKind::Checkbox),
    ]
}
