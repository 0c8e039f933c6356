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
//!
//! A dry run's value never reaches the ticket, so "still shows it" means nothing there.
//! Each write keeps the value the ticket showed when triage decided (`before`); once an
//! agent changes the field away from that, the shadow value is *settled*: an agreement
//! when the agent chose what triage would have written, a (shadow) correction otherwise.
//! Shadow accuracy is agreements over settled values.

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
    /// What the field showed when triage decided: `None` when it was empty.
    pub before: Option<String>,
}

impl FieldWrite {
    /// A write of `value` into `field`, which was empty before.
    pub fn new(field: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            value: value.into(),
            before: None,
        }
    }

    /// The same write into a field that showed `before`.
    pub fn over(mut self, before: Option<String>) -> Self {
        self.before = before;
        self
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
    /// Shadow only: an agent set the field to exactly this value (recorded already).
    pub agreed: bool,
    /// What the field showed when triage decided: `Some(None)` empty, `None` unknown
    /// (recorded before the store kept it).
    pub before: Option<Option<String>>,
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
    /// Shadow only: of those, how many an agent set to exactly this value.
    pub agreed: u64,
}

impl Agreement {
    /// Live: the share of written values no agent changed, 0..=1 (1 when nothing was
    /// written). Shadow: the share of settled values (an agent set the field) that agents
    /// set to what triage would have written (1 when none is settled yet).
    pub fn rate(&self) -> f64 {
        if self.shadow {
            let settled = self.agreed + self.corrected;
            return if settled == 0 {
                1.0
            } else {
                self.agreed as f64 / settled as f64
            };
        }
        if self.written == 0 {
            1.0
        } else {
            1.0 - self.corrected as f64 / self.written as f64
        }
    }
}
