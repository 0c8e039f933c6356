//! The configuration as the runtime uses it: checked, with paths resolved,
//! defaults filled in and secrets read. See `docs/config.md` for the file format.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use triage_core::TicketQuery;
use triage_gateway::{Credential, SecretSource};
use triage_pipeline::decide::{NoteTemplate, StepPolicy};

use crate::error::Location;
use crate::yaml::Pos;

/// A loaded `triage.yml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// Where decisions and watermarks are kept.
    pub state: StateConfig,
    /// The HTTP API.
    pub service: ServiceConfig,
    /// Models by name.
    pub models: BTreeMap<String, ModelConfig>,
    /// Ticket-system connections by name.
    pub connections: BTreeMap<String, ConnectionConfig>,
    /// Pipelines by name.
    pub pipelines: BTreeMap<String, PipelineConfig>,
    pub(crate) index: BTreeMap<String, Pos>,
}

impl Config {
    /// Where a key (`pipelines.main.steps[0].mapping`) is written, for problems
    /// found after loading. A key that is not in the file (a default) gets the
    /// location of its nearest written parent.
    pub fn locate(&self, key_path: &str) -> Location {
        let mut key = key_path;
        loop {
            if let Some(at) = self.index.get(key) {
                return Location {
                    file: self.path.clone(),
                    line: at.line,
                    column: at.col,
                };
            }
            match key.rfind(['.', '[']) {
                Some(cut) => key = &key[..cut],
                None => return Location::start_of(&self.path),
            }
        }
    }

    /// The directory relative paths were resolved against.
    pub fn dir(&self) -> &Path {
        self.path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }
}

/// The state store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateConfig {
    /// The SQLite database file (default `triage-state.db` next to the config).
    pub path: PathBuf,
}

/// The HTTP API of `triage serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    /// Address to listen on (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// Bearer token required by the API, if any (read when the service starts).
    pub token: Option<SecretSource>,
}

/// A model directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelConfig {
    /// The directory (`model.onnx`, `tokenizer.json`, labels).
    pub path: PathBuf,
    /// ONNX Runtime intra-op threads.
    pub threads: usize,
}

/// One part of a credential as written: read from somewhere, or a literal that is
/// not secret (Freshdesk's dummy Basic password `X`, a login name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// Read from the environment or a file.
    Source(SecretSource),
    /// Written in the file itself.
    Literal(String),
}

impl std::fmt::Display for SecretRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Source(SecretSource::Env(name)) => write!(f, "env {name}"),
            Self::Source(SecretSource::File(path)) => write!(f, "file {}", path.display()),
            Self::Literal(_) => f.write_str("the file"),
        }
    }
}

/// How a connection authenticates, as written (where each secret comes from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthConfig {
    /// HTTP Basic.
    Basic {
        /// User name or API key.
        username: SecretRef,
        /// Password.
        password: SecretRef,
    },
    /// `Authorization: Bearer …`.
    Bearer(SecretRef),
    /// Any header.
    Header {
        /// Header name.
        name: String,
        /// Header value.
        value: SecretRef,
    },
    /// Fields of the request itself (OTOBO/Znuny `UserLogin` + `Password`), in file order.
    Fields(Vec<(String, SecretRef)>),
}

impl AuthConfig {
    /// `basic`, `bearer` or `header NAME`, for reports.
    pub fn kind(&self) -> String {
        match self {
            Self::Basic { .. } => "basic".into(),
            Self::Bearer(_) => "bearer".into(),
            Self::Header { name, .. } => format!("header {name}"),
            Self::Fields(fields) => {
                let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
                format!("fields {}", names.join(", "))
            }
        }
    }

    /// Each secret part with its key (relative to `auth`), e.g. `basic.username`.
    pub fn parts(&self) -> Vec<(String, &SecretRef)> {
        match self {
            Self::Basic { username, password } => vec![
                ("basic.username".into(), username),
                ("basic.password".into(), password),
            ],
            Self::Bearer(token) => vec![("bearer".into(), token)],
            Self::Header { value, .. } => vec![("header.value".into(), value)],
            Self::Fields(fields) => fields
                .iter()
                .map(|(name, r)| (crate::read::join("fields", name), r))
                .collect(),
        }
    }
}

/// A ticket-system connection: the adapter, where it may connect, and its bounds.
#[derive(Debug, Clone)]
pub struct ConnectionConfig {
    /// The adapter component (`.wasm`).
    pub adapter: PathBuf,
    /// The adapter's expected sha256 (lower-case hex); a changed file is refused.
    pub sha256: Option<String>,
    /// The system's base URL; credentials go to its origin only.
    pub base_url: String,
    /// Further origins the adapter may reach (without credentials).
    pub allow_origins: Vec<String>,
    /// The credential, read from its sources when the file was loaded.
    pub credential: Option<Credential>,
    /// Where the credential came from (no values).
    pub auth: Option<AuthConfig>,
    /// Adapter settings (non-secret), passed to the adapter's `config`.
    pub settings: BTreeMap<String, String>,
    /// Bounds.
    pub limits: ConnectionLimits,
    /// Response fields and headers holding session material minted from the credential
    /// (`session_material`); `None`: the gateway's defaults (`SessionID`, `token`).
    pub session_material: Option<Vec<String>>,
}

/// Bounds of one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Sandbox instances, i.e. calls in flight at once (default 4).
    pub concurrency: u32,
    /// Requests a minute the gateway lets through, if limited.
    pub requests_per_minute: Option<u32>,
    /// Memory per sandbox instance in MiB (default 64).
    pub memory_mb: u64,
    /// Deadline of one adapter call (default 30 s).
    pub deadline: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        let sandbox = triage_host::SandboxLimits::default();
        Self {
            concurrency: sandbox.instances as u32,
            requests_per_minute: None,
            memory_mb: (sandbox.memory_bytes / (1024 * 1024)) as u64,
            deadline: sandbox.call_deadline,
        }
    }
}

/// "Only tickets updated since": a fixed instant or a window back from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// A fixed instant.
    At(DateTime<Utc>),
    /// This long before now (e.g. `7d`).
    Within(Duration),
}

impl Since {
    /// The instant this means at `now`.
    pub fn resolve(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match *self {
            Self::At(at) => at,
            Self::Within(d) => now - chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX),
        }
    }
}

/// One pipeline: what to fetch, how to classify and decide, what to write, how often.
#[derive(Debug, Clone)]
pub struct PipelineConfig {
    /// Its name (the key under `pipelines`).
    pub name: String,
    /// The connection (a key of `connections`).
    pub connection: String,
    /// The tickets to look at; `updated_since` is resolved when the file is loaded.
    pub query: TicketQuery,
    /// `source.since` as written (a window is relative to when it is resolved).
    pub since: Option<Since>,
    /// How often to run.
    pub every: Duration,
    /// Classification steps, in order.
    pub steps: Vec<StepConfig>,
    /// Write the decided field values.
    pub write_fields: bool,
    /// Tag added to tickets that were changed.
    pub tag: Option<String>,
    /// Internal note added to tickets that were changed.
    pub note: Option<NoteTemplate>,
    /// Decide and record, write nothing.
    pub dry_run: bool,
    /// Tickets classified per model call.
    pub batch: usize,
    /// Where `triage train --config … --pipeline …` reads labelled history.
    pub train: TrainSource,
}

/// `pipelines.NAME.train`: the labelled history a pipeline's models learn from.
#[derive(Debug, Clone)]
pub struct TrainSource {
    /// Statuses default to resolved and closed (tickets agents finished with);
    /// `updated_since` is resolved when the file is loaded.
    pub query: TicketQuery,
    /// `train.since` as written, or the default window (365 days).
    pub since: Since,
}

/// One classification step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepConfig {
    /// The model (a key of `models`).
    pub model: String,
    /// Field, thresholds, mapping and fallback.
    pub policy: StepPolicy,
}
