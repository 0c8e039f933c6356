//! Everything that shapes one simulated GitLab project.

use std::net::{Ipv4Addr, SocketAddr};

use crate::faults::Faults;
use crate::freshdesk::{Dataset, QUEUES};
use crate::ratelimit::RateLimitConfig;

/// The personal access token accepted (as `PRIVATE-TOKEN` or Bearer) unless told otherwise.
pub const DEFAULT_TOKEN: &str = "glpat-sim-gitlab-token";
/// The project's numeric id unless told otherwise.
pub const DEFAULT_PROJECT_ID: u64 = 4_242;
/// The project's full path unless told otherwise.
pub const DEFAULT_PROJECT_PATH: &str = "support/helpdesk";

/// How to start a simulator. `SimConfig::default()` gives one project with a `queue::` label
/// per queue and `priority::low|medium|high|urgent`, no issues, no rate limit and no faults,
/// on `127.0.0.1` with an OS-assigned port.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; port 0 lets the OS choose.
    pub bind: SocketAddr,
    /// The token accepted as `PRIVATE-TOKEN: …` or `Authorization: Bearer …`.
    pub token: String,
    pub project_id: u64,
    /// `group/project`: the API also takes it URL-encoded in place of the id.
    pub project_path: String,
    /// Queue names; each becomes a project label `queue::<name>`.
    pub queues: Vec<String>,
    /// Priority names, lowest first; each becomes `priority::<name>`.
    pub priorities: Vec<String>,
    /// Initial issues (generated), requesters and true labels.
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
            token: DEFAULT_TOKEN.to_owned(),
            project_id: DEFAULT_PROJECT_ID,
            project_path: DEFAULT_PROJECT_PATH.to_owned(),
            queues: QUEUES.iter().map(|q| (*q).to_owned()).collect(),
            priorities: ["low", "medium", "high", "urgent"]
                .map(str::to_owned)
                .to_vec(),
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
