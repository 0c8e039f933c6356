//! The state store: every decision the pipeline takes, kept as an audit trail, and a
//! per-pipeline watermark so that a restart resumes where it stopped.
//!
//! The store sits behind the async [`StateStore`] trait so that a shared PostgreSQL
//! implementation can later back several replicas; [`SqliteStore`] is the embedded
//! default. rusqlite is blocking, so `SqliteStore` runs each call on tokio's blocking
//! pool against one connection behind a mutex (SQLite serialises writers anyway).
//!
//! Crash safety relies on write-ahead use of the store: [`StateStore::begin`] records
//! the intent (outcome `Pending`) before the ticket system is written,
//! [`StateStore::finish`] records what became of it, and [`StateStore::pending`] lists
//! what a crash left in between, for reconciliation at start-up.
//!
//! Beside the audit trail the store keeps the field values decisions wrote and the
//! agents' later corrections of them (see [`Correction`]): accuracy in production,
//! measured as the share of written values nobody changed, and labelled examples for
//! `triage train`.
#![deny(missing_docs)]

mod corrections;
mod error;
mod model;
mod sqlite;
mod store;

pub use corrections::{Agreement, Correction, CorrectionQuery, FieldWrite, WrittenValue};
pub use error::StateError;
pub use model::{DecisionRecord, HistoryQuery, Outcome, TicketKey, Verdict, Watermark};
pub use sqlite::SqliteStore;
pub use store::StateStore;
