//! Errors. Each names the file, line and column, and the key path at fault
//! (`pipelines.inbox.steps[0].mapping`), never a secret's value.

use std::path::{Path, PathBuf};

/// A place in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The configuration file.
    pub file: PathBuf,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

impl Location {
    /// The start of `file`.
    pub fn start_of(file: &Path) -> Self {
        Self {
            file: file.to_owned(),
            line: 1,
            column: 1,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One problem found in a configuration: `FILE:LINE:COL: key.path: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {}{message}", key_prefix(.key))]
pub struct Diagnostic {
    /// Where.
    pub location: Location,
    /// The key path (`connections.helpdesk.limits.deadline`); empty for the whole file.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

fn key_prefix(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("{key}: ")
    }
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{}: cannot read the configuration: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Syntax or validation errors, all of them, one per line.
    #[error("{}", lines(.0))]
    Invalid(Vec<Diagnostic>),
}

impl ConfigError {
    /// The individual problems (empty for a read error).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Self::Read { .. } => &[],
            Self::Invalid(all) => all,
        }
    }
}

fn lines(all: &[Diagnostic]) -> String {
    let lines: Vec<String> = all.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// Why a live part (adapter, gateway, model) could not be built from a loaded
/// configuration. Messages start with the location of the key that configured it.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// No such connection or model in the configuration.
    #[error("{}: no {what} named {name:?} in the configuration", file.display())]
    Unknown {
        /// The configuration file.
        file: PathBuf,
        /// `connection` or `model`.
        what: &'static str,
        /// The name asked for.
        name: String,
    },
    /// The adapter file could not be loaded (missing, changed against its pin,
    /// wrong contract, not a component) or could not start for this connection.
    #[error("{at}: {key}: {cause}")]
    Adapter {
        /// Where the adapter is configured.
        at: Location,
        /// Its key path.
        key: String,
        /// The host's reason, naming the file.
        cause: Box<triage_host::HostError>,
    },
    /// The model directory could not be loaded.
    #[error("{at}: {key}: {cause}")]
    Model {
        /// Where the model is configured.
        at: Location,
        /// Its key path.
        key: String,
        /// The classifier's reason.
        cause: Box<triage_classifier::Error>,
    },
    /// The gateway could not be set up (HTTP client).
    #[error("{at}: {key}: {message}")]
    Gateway {
        /// Where the connection is configured.
        at: Location,
        /// Its key path.
        key: String,
        /// Why.
        message: String,
    },
}
