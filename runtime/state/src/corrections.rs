//! What triage wrote into ticket fields, and what agents later changed it to.
//!
//! A decision that sets fields records them as [`FieldWrite`]s together with its intent
//! ([`StateStore::begin_writing`](crate::StateStore::begin_writing)). A write counts once
//! its decision is finished `applied` (live) or `dry_run` (shadow: what triage *would*
//! have written); a pending or failed decision wrote nothing that counts.
//!
//! When a later pass finds a ticket whose field no longer shows what triage wrote, that
//! is a [`Correction`]: recorded once per ticket and field, and from then on the ticket
//! belongs to the agent (the pipeline no longer decides it). [`Agreement`] is the share
//! of written values per field and value that no agent corrected.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::TicketKey;

/// A field value a decision writes (or, in a dry run, would write).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldWrite {
    /// The ticket field (`queue`, `priority`).
    pub field: String,
    /// The native value (queue name, priority name).
    pub value: String,
}

impl FieldWrite {
    /// A write of `value` into `field`.
    pub fn new(field: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            value: value.into(),
        }
    }
}

/// The newest counted write of one field of one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenValue {
    /// The ticket field.
    pub field: String,
    /// What triage wrote (or would have).
    pub value: String,
    /// Only a dry run's: never actually written.
    pub shadow: bool,
    /// When the decision that wrote it was taken.
    pub written_at: DateTime<Utc>,
    /// An agent's correction of this field is recorded already.
    pub corrected: bool,
}

/// An agent changed a field triage had written (or, shadow, would have written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The ticket.
    pub key: TicketKey,
    /// The ticket field.
    pub field: String,
    /// What triage wrote (or would have).
    pub written: String,
    /// What the ticket shows now; `None` when the field was cleared.
    pub current: Option<String>,
    /// The written value came from a dry run: a shadow disagreement.
    pub shadow: bool,
    /// When triage decided the written value.
    pub written_at: DateTime<Utc>,
    /// The pass that noticed the change.
    pub observed_at: DateTime<Utc>,
}

/// Which corrections `corrections` returns.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CorrectionQuery {
    /// Only this pipeline's.
    pub pipeline: Option<String>,
    /// Only observed at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// At most this many, newest first; `None` for all (the training export).
    pub limit: Option<usize>,
}

/// How often agents left one written value standing, over a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// The ticket field.
    pub field: String,
    /// The value triage wrote (the label, in the system's native name).
    pub value: String,
    /// Dry-run (would-have-written) figures rather than live ones.
    pub shadow: bool,
    /// Values written in the window.
    pub written: u64,
    /// Of those, how many an agent changed.
    pub corrected: u64,
}

impl Agreement {
    /// The share of written values no agent changed, 0..=1 (1 when nothing was written).
    pub fn rate(&self) -> f64 {
        if self.written == 0 {
            1.0
        } else {
            1.0 - self.corrected as f64 / self.written as f64
        }
    }
}
