//! The records the store keeps.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::StateError;

/// Identifies one ticket within one pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TicketKey {
    /// The pipeline's name from the configuration.
    pub pipeline: String,
    /// The connection (ticket system account) the ticket lives in.
    pub connection: String,
    /// The ticket's id in that system.
    pub ticket_id: String,
}

impl TicketKey {
    /// A key from its three parts.
    pub fn new(
        pipeline: impl Into<String>,
        connection: impl Into<String>,
        ticket_id: impl Into<String>,
    ) -> Self {
        Self {
            pipeline: pipeline.into(),
            connection: connection.into(),
            ticket_id: ticket_id.into(),
        }
    }
}

impl fmt::Display for TicketKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}",
            self.pipeline, self.connection, self.ticket_id
        )
    }
}

/// What the pipeline decided for one ticket, and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// The ticket.
    pub key: TicketKey,
    /// sha256 of the classified text; same text ⇒ already decided.
    pub fingerprint: String,
    /// Ticket version/updated_at when read.
    pub version_seen: Option<String>,
    /// Version after our write, if any.
    pub version_after: Option<String>,
    /// One per classified field.
    pub verdicts: Vec<Verdict>,
    /// What was done, e.g. "update+note", "note", "none", "fallback".
    pub action: String,
    /// What became of it.
    pub outcome: Outcome,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// How many times this decision (same key, same fingerprint) was begun; set by the store.
    pub attempts: u32,
    /// When the decision was taken.
    pub decided_at: DateTime<Utc>,
}

/// One classified field of a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The ticket field classified (e.g. "priority").
    pub field: String,
    /// The model's name.
    pub model: String,
    /// The model's version.
    pub model_version: String,
    /// The label the model chose.
    pub label: String,
    /// The model's confidence in the label, 0..=1.
    pub confidence: f32,
    /// Native value written, if any.
    pub value: Option<String>,
}

/// What became of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Recorded before writing; not finished (yet).
    Pending,
    /// Written to the ticket system.
    Applied,
    /// Nothing needed writing.
    Unchanged,
    /// Dry run: decided but deliberately not written.
    DryRun,
    /// The write failed; may be retried on a later run.
    Failed,
}

impl Outcome {
    /// Every outcome, in declaration order.
    pub const ALL: [Outcome; 5] = [
        Outcome::Pending,
        Outcome::Applied,
        Outcome::Unchanged,
        Outcome::DryRun,
        Outcome::Failed,
    ];

    /// The name stored in the database and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Applied => "applied",
            Outcome::Unchanged => "unchanged",
            Outcome::DryRun => "dry_run",
            Outcome::Failed => "failed",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = StateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| StateError::UnknownOutcome(s.to_owned()))
    }
}

/// Per-pipeline resume point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watermark {
    /// The pipeline's name.
    pub pipeline: String,
    /// Tickets updated at or after this time still need looking at.
    pub updated_since: DateTime<Utc>,
    /// When the watermark was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// Which decisions `history` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryQuery {
    /// Only this pipeline's decisions.
    pub pipeline: Option<String>,
    /// Only decisions about tickets with this id.
    pub ticket_id: Option<String>,
    /// Only decisions with this outcome (of the audit-trail row, not the ticket's latest).
    pub outcome: Option<Outcome>,
    /// At most this many rows (0 returns none).
    pub limit: usize,
}

impl Default for HistoryQuery {
    /// No filter, the 50 newest decisions.
    fn default() -> Self {
        Self {
            pipeline: None,
            ticket_id: None,
            outcome: None,
            limit: 50,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_names_round_trip_and_match_serde() {
        for o in Outcome::ALL {
            assert_eq!(o.as_str().parse::<Outcome>().unwrap(), o);
            assert_eq!(
                serde_json::to_string(&o).unwrap(),
                format!("\"{}\"", o.as_str())
            );
        }
        let err = "done".parse::<Outcome>().unwrap_err();
        assert!(err.to_string().contains("\"done\""), "{err}");
    }
}
