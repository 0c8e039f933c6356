//! Errors of the state store.

use std::path::PathBuf;

use crate::model::TicketKey;

/// Why a state-store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The directory that should hold the database could not be created.
    #[error("cannot create the directory of state database {path}: {source}")]
    CreateDir {
        /// The database path asked for.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The database could not be opened or configured.
    #[error("cannot open state database {path}: {source}")]
    Open {
        /// The database path.
        path: String,
        /// The underlying SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// A schema migration failed; the database stays at the version before it.
    #[error("state database {path}: migration to schema version {version} failed: {source}")]
    Migration {
        /// The database path.
        path: String,
        /// The schema version the failed migration leads to.
        version: u32,
        /// The underlying SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by a newer triage whose schema this one does not know.
    #[error(
        "state database {path} has schema version {found}, newer than the {known} this triage \
         knows; use a newer triage or another database"
    )]
    TooNew {
        /// The database path.
        path: String,
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        known: u32,
    },
    /// A query failed.
    #[error("state database {path}: {source}")]
    Database {
        /// The database path.
        path: String,
        /// The underlying SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// A stored value could not be read back (hand-edited or damaged database).
    #[error("state database {path}: corrupt value in {what}: {detail}")]
    Corrupt {
        /// The database path.
        path: String,
        /// Which column or table held it.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// `finish` was called for a ticket that has no decision.
    #[error("no decision recorded for ticket {key}")]
    NotFound {
        /// The ticket asked for.
        key: TicketKey,
    },
    /// `finish` was given `Pending`, which is not a final outcome.
    #[error("`finish` needs a final outcome, not `pending` (ticket {key})")]
    NotFinal {
        /// The ticket asked for.
        key: TicketKey,
    },
    /// A string that names no [`Outcome`](crate::Outcome).
    #[error("unknown outcome {0:?} (expected pending, applied, unchanged, dry_run or failed)")]
    UnknownOutcome(String),
    /// The blocking task that ran the query panicked or was cancelled.
    #[error("state store task failed: {0}")]
    Task(String),
}
