//! The store trait the scheduler, the CLI and the service API use.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::{
    Agreement, Correction, CorrectionQuery, DecisionRecord, FieldWrite, HistoryQuery, Outcome,
    StateError, TicketKey, Watermark, WrittenValue,
};

/// Where decisions and watermarks live. Implementations must be safe to share across tasks.
#[async_trait::async_trait]
pub trait StateStore: Send + Sync {
    /// The latest decision for the ticket, if any.
    async fn latest(&self, key: &TicketKey) -> Result<Option<DecisionRecord>, StateError>;

    /// Write-ahead: record the intent before writing to the ticket system (outcome Pending).
    ///
    /// The store sets `attempts` itself: one more than the previous record for the same key
    /// when that record has the same fingerprint (a retry of the same decision), else 1 (a new
    /// text is a new decision). The given record's `outcome` is stored as it is (normally
    /// `Pending`) and its `attempts` is ignored.
    async fn begin(&self, record: &DecisionRecord) -> Result<(), StateError> {
        self.begin_writing(record, &[]).await
    }

    /// [`begin`](Self::begin), recording in the same transaction the field values the
    /// decision writes (dry run: would write). They count once the decision is finished
    /// `Applied` or `DryRun`.
    async fn begin_writing(
        &self,
        record: &DecisionRecord,
        writes: &[FieldWrite],
    ) -> Result<(), StateError>;

    /// Final outcome of the latest record for this key (Applied/Unchanged/DryRun/Failed), with
    /// version_after and error. Earlier records of the key are left as they are.
    async fn finish(
        &self,
        key: &TicketKey,
        outcome: Outcome,
        version_after: Option<String>,
        error: Option<String>,
    ) -> Result<(), StateError>;

    /// A step of the latest (Pending) record is done: the ticket system accepted
    /// the field update and reports `version_after`. The record stays Pending until
    /// [`finish`](Self::finish); a resume after a crash then skips the update.
    async fn update_landed(
        &self,
        key: &TicketKey,
        version_after: Option<String>,
    ) -> Result<(), StateError>;

    /// Records left Pending by a crash (for reconciliation at start-up): tickets of the
    /// pipeline whose latest record is Pending, oldest first.
    async fn pending(&self, pipeline: &str) -> Result<Vec<DecisionRecord>, StateError>;

    /// Tickets whose latest outcome is Failed, to retry on a later run (attempts <
    /// max_attempts), oldest first.
    async fn failed(&self, pipeline: &str, max_attempts: u32)
    -> Result<Vec<TicketKey>, StateError>;

    /// The pipeline's resume point, if one was recorded.
    async fn watermark(&self, pipeline: &str) -> Result<Option<Watermark>, StateError>;

    /// Records the pipeline's resume point (replacing the previous one), stamped with now.
    async fn set_watermark(
        &self,
        pipeline: &str,
        updated_since: DateTime<Utc>,
    ) -> Result<(), StateError>;

    /// Decisions of the audit trail matching the query, newest first, at most `limit`.
    async fn history(&self, query: &HistoryQuery) -> Result<Vec<DecisionRecord>, StateError>;

    /// Counts of latest outcomes per pipeline (for `triage history --summary` and the API):
    /// every outcome's `as_str()` is a key, with 0 where no ticket has it.
    async fn counts(&self, pipeline: &str) -> Result<BTreeMap<String, u64>, StateError>;

    /// The newest counted write of each field of the ticket (live or shadow), with
    /// whether an agent's correction of it is recorded; empty when triage wrote nothing.
    async fn written(&self, key: &TicketKey) -> Result<Vec<WrittenValue>, StateError>;

    /// Records that the ticket's `field` now shows `current` instead of the newest value
    /// triage wrote into it. Only the first correction per ticket and field is kept:
    /// returns it when it is new, `None` when one was recorded before or nothing was
    /// written.
    async fn record_correction(
        &self,
        key: &TicketKey,
        field: &str,
        current: Option<String>,
        observed_at: DateTime<Utc>,
    ) -> Result<Option<Correction>, StateError>;

    /// Records that an agent set the ticket's `field` to exactly the value of its newest
    /// shadow (dry-run) write. Only the first per ticket and field is kept: returns
    /// whether it is new (`false` too when the newest write is not a shadow one).
    async fn record_agreement(
        &self,
        key: &TicketKey,
        field: &str,
        observed_at: DateTime<Utc>,
    ) -> Result<bool, StateError>;

    /// Recorded corrections, newest first.
    async fn corrections(&self, query: &CorrectionQuery) -> Result<Vec<Correction>, StateError>;

    /// Per field, written value and mode (live, shadow): how many values the pipeline's
    /// decisions taken since `since` wrote, how many of those agents corrected and (shadow)
    /// how many agents set to the same value.
    async fn agreement(
        &self,
        pipeline: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<Agreement>, StateError>;
}
