//! Everything that shapes one simulated OTOBO instance.

use std::net::{Ipv4Addr, SocketAddr};

use chrono::FixedOffset;

use super::model::{DynamicField, FieldKind};
use crate::faults::Faults;
use crate::freshdesk::{Dataset, QUEUES};
use crate::ratelimit::RateLimitConfig;

/// The agent login the simulator accepts unless told otherwise.
pub const DEFAULT_LOGIN: &str = "triage";
/// Its password.
pub const DEFAULT_PASSWORD: &str = "sim-otobo-password";
/// The server's zone unless told otherwise: CET, a fixed offset (no daylight saving), so that
/// an adapter that takes the zone-less times for UTC is visibly wrong.
pub const DEFAULT_UTC_OFFSET_SECS: i32 = 3600;

/// Tags the `Tags` multiselect accepts (a multiselect only takes its possible values).
pub const TAG_VALUES: [&str; 12] = [
    "web",
    "mobile",
    "phone-followup",
    "newsletter",
    "returning-customer",
    "vip",
    "triaged",
    "needs-triage",
    "keep-me",
    "set-by-an-agent",
    "escalated",
    "spam-suspect",
];

/// How to start a simulator. `SimConfig::default()`: the default queues plus the ten labelled
/// ones, one agent, no tickets, no rate limit, no faults, on `127.0.0.1` with an OS-assigned port.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; port 0 lets the OS choose.
    pub bind: SocketAddr,
    /// Agent accounts `(login, password)`; the first is the one the CLI prints.
    pub agents: Vec<(String, String)>,
    /// Queue names after OTOBO's defaults (Postmaster, Raw, Junk, Misc).
    pub queues: Vec<String>,
    /// Ticket dynamic fields.
    pub dynamic_fields: Vec<DynamicField>,
    /// The server's local time: every time in the API is local, without a zone.
    pub utc_offset: FixedOffset,
    /// Ids as JSON strings (`"TicketID":"42"`, as Perl often renders them) or numbers.
    pub ids_as_strings: bool,
    /// `Limit` when a search gives none (the GenericInterface's default).
    pub default_search_limit: usize,
    /// Initial tickets and true labels (generator output); converted on start.
    pub data: Dataset,
    /// The reverse proxy's limit in front of OTOBO (OTOBO itself has none).
    pub rate_limits: RateLimitConfig,
    pub faults: Faults,
    /// How many requests the log keeps (oldest dropped first).
    pub log_capacity: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            agents: vec![(DEFAULT_LOGIN.to_owned(), DEFAULT_PASSWORD.to_owned())],
            queues: QUEUES.iter().map(|q| (*q).to_owned()).collect(),
            dynamic_fields: default_dynamic_fields(),
            utc_offset: FixedOffset::east_opt(DEFAULT_UTC_OFFSET_SECS).expect("valid offset"),
            ids_as_strings: true,
            default_search_limit: 500,
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

    /// Uses this server zone.
    pub fn with_utc_offset(mut self, offset: FixedOffset) -> Self {
        self.utc_offset = offset;
        self
    }

    /// Starts with these faults.
    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Uses these proxy rate limits.
    pub fn with_rate_limits(mut self, limits: RateLimitConfig) -> Self {
        self.rate_limits = limits;
        self
    }
}

/// The generator's custom fields as dynamic fields, plus `Tags` (a multiselect) for adapters
/// that keep tags in a dynamic field.
pub fn default_dynamic_fields() -> Vec<DynamicField> {
    let list = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        DynamicField::new("OrderNumber", FieldKind::Text),
        DynamicField::new("Language", FieldKind::Dropdown(list(&["en", "de"]))),
        DynamicField::new(
            "SupportPlan",
            FieldKind::Dropdown(list(&["Basic", "Premium", "Enterprise"])),
        ),
        DynamicField::new("TriageConfidence", FieldKind::Text),
        DynamicField::new("VIP", FieldKind::Checkbox),
        DynamicField::new("Tags", FieldKind::Multiselect(list(&TAG_VALUES))),
    ]
}
