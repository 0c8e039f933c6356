//! One pass of a pipeline over its query:
//!
//! ```text
//! reconcile ──► find (all pages) ──► corrections, skip decided ──► classify ──► decide ──► write ──► record
//! ```
//!
//! Exactly-once write-back rests on three rules:
//! - the query is listed completely before anything is written (systems page by
//!   offset over an order that our own writes change);
//! - every write is recorded as an intent in the state store first, and its
//!   outcome after; a ticket whose text was already decided is skipped;
//! - an intent left pending by a crash is resumed by comparing the ticket with
//!   the plan ([`Plan`]): a field update that already landed is not sent again.
//!
//! A retried update first looks at the ticket, since a failed attempt may have
//! been applied (a 504 after the write, a failing read after it).
//!
//! The one window left is a note: contract 0.1 cannot read notes back, so if
//! the process dies after the system accepted a note but before its answer
//! was recorded, the resumed intent writes the note again (at most one repeat
//! per ticket in flight). An idempotency key on notes belongs in contract 0.2.
//!
//! A listed ticket triage decided before is first compared with what triage
//! wrote into it ([`corrections`](crate::corrections)): an agent's change is
//! recorded once, and the ticket is left to agents from then on.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use futures::stream::{self, StreamExt};
use tokio_util::sync::CancellationToken;
use triage_core::{AdapterError, Ticket, TicketAdapter, TicketPatch, TicketQuery};
use triage_state::{DecisionRecord, Outcome as Recorded, StateError, StateStore, TicketKey};

use crate::classify::{Step, classify};
use crate::corrections::{notice, planned_writes};
use crate::decide::Verdict;
use crate::observe::PassObserver;
use crate::plan::{Plan, WritePolicy, missing};
use crate::record::{fingerprint, intent, verdicts_of, version_of};
use crate::retry::retrying;

/// One pipeline's pass, with everything it needs.
pub struct Pass {
    /// Pipeline name (state is kept per pipeline).
    pub pipeline: String,
    /// Connection name (recorded with each decision).
    pub connection: String,
    /// The ticket system.
    pub adapter: Arc<dyn TicketAdapter>,
    /// Classification steps, applied to every ticket.
    pub steps: Vec<Arc<Step>>,
    /// What to write.
    pub write: WritePolicy,
    /// Decisions and watermarks.
    pub store: Arc<dyn StateStore>,
    /// Tickets classified in one batch.
    pub batch: usize,
    /// Tickets written at the same time.
    pub concurrency: usize,
    /// Give up on a ticket after this many failed attempts (across runs).
    pub max_attempts: u32,
    /// Metrics, progress.
    pub observer: Arc<dyn PassObserver>,
    /// Stop after the tickets in flight (SIGTERM, reload).
    pub stop: CancellationToken,
}

/// What happened to one ticket in this pass.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Written (fields and/or note).
    Updated,
    /// Nothing to write (low confidence, or the ticket already shows it).
    Unchanged,
    /// Decided, deliberately not written.
    DryRun,
    /// Writing failed; a later pass retries it.
    Failed(AdapterError),
}

/// A ticket's decision, for reports.
#[derive(Debug, Clone)]
pub struct TicketRecord {
    /// Ticket id.
    pub id: String,
    /// Subject.
    pub subject: String,
    /// One verdict per step.
    pub verdicts: Vec<Verdict>,
    /// What happened.
    pub outcome: Outcome,
}

/// Counts for one pass.
#[derive(Debug, Default)]
pub struct Summary {
    /// Tickets the query listed.
    pub fetched: usize,
    /// Listed tickets already decided for the same text.
    pub skipped: usize,
    /// Intents left pending by an earlier crash, carried out now.
    pub resumed: usize,
    /// Tickets written.
    pub updated: usize,
    /// Tickets decided with nothing to write.
    pub unchanged: usize,
    /// Tickets decided in dry-run mode.
    pub dry_run: usize,
    /// Tickets whose write failed.
    pub failed: usize,
    /// Corrections by agents of what triage wrote, recorded in this pass.
    pub corrections: usize,
    /// Listed tickets left alone because an agent corrected what triage wrote.
    pub held: usize,
    /// The pass was stopped before the end; the watermark was kept.
    pub stopped: bool,
    /// Every decided ticket's record, in the order decided.
    pub records: Vec<TicketRecord>,
}

impl Summary {
    fn add(&mut self, record: TicketRecord) {
        match &record.outcome {
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::DryRun => self.dry_run += 1,
            Outcome::Failed(_) => self.failed += 1,
        }
        self.records.push(record);
    }
}

/// Why a pass stopped early.
#[derive(Debug, thiserror::Error)]
pub enum PassError {
    /// Listing tickets failed (after retries).
    #[error("finding tickets: {0}")]
    Find(AdapterError),
    /// A model failed.
    #[error("classifying: {0}")]
    Classify(#[from] triage_classifier::Error),
    /// The state store failed: writing on without records would lose exactly-once.
    #[error("state store: {0}")]
    State(#[from] StateError),
}

/// A listed ticket's work.
enum Work {
    /// Classify and decide.
    Fresh(Ticket),
    /// Carry out what an earlier, failed attempt decided.
    Retry(Ticket, Box<DecisionRecord>),
}

impl Pass {
    /// Run the pass for `query` (its `updated_since` is raised to the watermark).
    pub async fn run(&self, query: &TicketQuery) -> Result<Summary, PassError> {
        let write = self.write_policy();
        let mut summary = Summary::default();
        self.resume_pending(&write, &mut summary).await?;

        let mut query = query.clone();
        if let Some(mark) = self.store.watermark(&self.pipeline).await? {
            query.updated_since = query.updated_since.max(Some(mark.updated_since));
        }
        let listed = self.find_all(&query).await?;
        summary.fetched = listed.len();
        let newest = listed.iter().filter_map(|t| t.updated_at).max();
        let mut work = self.sort_out(listed, &mut summary).await?;
        self.add_earlier_failures(&mut work).await?;
        self.observer
            .listed(&self.pipeline, summary.fetched, work.len());

        let (fresh, retries): (Vec<Work>, Vec<Work>) =
            work.into_iter().partition(|w| matches!(w, Work::Fresh(_)));
        for work in retries {
            if self.stop.is_cancelled() {
                break;
            }
            if let Work::Retry(ticket, record) = work {
                let started = Instant::now();
                let done = self.retry(&write, &ticket, *record).await?;
                self.observer
                    .ticket_done(&self.pipeline, &done, started.elapsed());
                summary.add(done);
            }
        }
        let fresh: Vec<Ticket> = fresh
            .into_iter()
            .filter_map(|w| match w {
                Work::Fresh(t) => Some(t),
                Work::Retry(..) => None,
            })
            .collect();
        for chunk in fresh.chunks(self.batch.max(1)) {
            if self.stop.is_cancelled() {
                break;
            }
            let started = Instant::now();
            let verdicts = classify(&self.steps, chunk, self.observer.as_ref()).await?;
            let done: Vec<Result<TicketRecord, StateError>> =
                stream::iter(chunk.iter().cloned().zip(verdicts))
                    .map(|(ticket, verdicts)| {
                        let write = &write;
                        async move { self.decide(write, &ticket, verdicts).await }
                    })
                    .buffer_unordered(self.concurrency.max(1))
                    .collect()
                    .await;
            for record in done {
                let record = record?;
                self.observer
                    .ticket_done(&self.pipeline, &record, started.elapsed());
                summary.add(record);
            }
        }
        summary.stopped = self.stop.is_cancelled();
        if !summary.stopped
            && let Some(newest) = newest
        {
            self.store.set_watermark(&self.pipeline, newest).await?;
        }
        Ok(summary)
    }

    /// The write policy, less what the ticket system cannot do (an RT has no
    /// tags): asking for it would fail every update.
    fn write_policy(&self) -> WritePolicy {
        let capabilities = self.adapter.info().capabilities;
        let mut write = self.write.clone();
        if !capabilities.tags && write.tag.take().is_some() {
            tracing::warn!(pipeline = %self.pipeline, "the ticket system has no tags: writing without the tag");
        }
        if !capabilities.internal_notes && write.note.take().is_some() {
            tracing::warn!(pipeline = %self.pipeline, "the ticket system has no internal notes: writing without a note");
        }
        write
    }

    fn key(&self, ticket_id: &str) -> TicketKey {
        TicketKey::new(&self.pipeline, &self.connection, ticket_id)
    }

    async fn find_all(&self, query: &TicketQuery) -> Result<Vec<Ticket>, PassError> {
        let mut tickets = Vec::new();
        let mut cursor = None;
        loop {
            let page = retrying(|| self.adapter.find_tickets(query, cursor.clone()))
                .await
                .map_err(PassError::Find)?;
            tickets.extend(page.tickets);
            match page.next {
                Some(next) => cursor = Some(next),
                None => return Ok(tickets),
            }
        }
    }

    /// Which listed tickets need work; the rest are counted as skipped.
    async fn sort_out(
        &self,
        listed: Vec<Ticket>,
        summary: &mut Summary,
    ) -> Result<Vec<Work>, StateError> {
        let mut work = Vec::new();
        for ticket in listed {
            let latest = self.store.latest(&self.key(&ticket.id)).await?;
            let Some(latest) = latest else {
                work.push(Work::Fresh(ticket));
                continue;
            };
            let key = self.key(&ticket.id);
            let corrected = notice(&*self.store, &*self.observer, &key, &ticket).await?;
            summary.corrections += corrected.new;
            if corrected.held {
                // A human's choice stands: not decided, not written again.
                summary.held += 1;
                continue;
            }
            let same_text = latest.fingerprint == fingerprint(&ticket);
            match latest.outcome {
                _ if !same_text => work.push(Work::Fresh(ticket)),
                Recorded::Failed if latest.attempts < self.max_attempts => {
                    work.push(Work::Retry(ticket, Box::new(latest)));
                }
                // A dry run's decisions are carried out once dry_run is off.
                Recorded::DryRun if !self.write.dry_run => work.push(Work::Fresh(ticket)),
                _ => summary.skipped += 1,
            }
        }
        Ok(work)
    }

    /// Failed tickets the query no longer lists (the watermark moved past them).
    async fn add_earlier_failures(&self, work: &mut Vec<Work>) -> Result<(), StateError> {
        let listed: HashSet<String> = work
            .iter()
            .map(|w| match w {
                Work::Fresh(t) | Work::Retry(t, _) => t.id.clone(),
            })
            .collect();
        for key in self.store.failed(&self.pipeline, self.max_attempts).await? {
            if key.connection != self.connection || listed.contains(&key.ticket_id) {
                continue;
            }
            let Some(record) = self.store.latest(&key).await? else {
                continue;
            };
            match retrying(|| self.adapter.get_ticket(&key.ticket_id)).await {
                Ok(ticket) => work.push(Work::Retry(ticket, Box::new(record))),
                Err(e) => {
                    tracing::warn!(ticket = %key.ticket_id, "cannot re-read a failed ticket: {e}")
                }
            }
        }
        Ok(())
    }

    /// Intents a crash left between "decided" and "recorded": finish them.
    async fn resume_pending(
        &self,
        write: &WritePolicy,
        summary: &mut Summary,
    ) -> Result<(), StateError> {
        for record in self.store.pending(&self.pipeline).await? {
            if record.key.connection != self.connection {
                continue;
            }
            let ticket = match retrying(|| self.adapter.get_ticket(&record.key.ticket_id)).await {
                Ok(ticket) => ticket,
                Err(e) => {
                    let error = format!("resuming after a restart: {e}");
                    self.store
                        .finish(&record.key, Recorded::Failed, None, Some(error))
                        .await?;
                    continue;
                }
            };
            let verdicts = verdicts_of(&record, &self.steps);
            let plan = remaining(write, &record, &verdicts, &ticket);
            let outcome = self.carry_out(&record.key, &plan).await?;
            summary.resumed += 1;
            summary.add(TicketRecord {
                id: ticket.id.clone(),
                subject: ticket.subject.clone(),
                verdicts,
                outcome,
            });
        }
        Ok(())
    }

    /// Another attempt at a failed decision, under a new intent.
    async fn retry(
        &self,
        write: &WritePolicy,
        ticket: &Ticket,
        failed: DecisionRecord,
    ) -> Result<TicketRecord, StateError> {
        let verdicts = verdicts_of(&failed, &self.steps);
        let plan = remaining(write, &failed, &verdicts, ticket);
        let record = intent(
            failed.key.clone(),
            ticket,
            &self.steps,
            &verdicts,
            plan.action(),
        );
        let writes = planned_writes(&plan, &verdicts, ticket);
        self.store.begin_writing(&record, &writes).await?;
        let outcome = self.carry_out(&record.key, &plan).await?;
        self.count_written(&outcome, &writes);
        Ok(TicketRecord {
            id: ticket.id.clone(),
            subject: ticket.subject.clone(),
            verdicts,
            outcome,
        })
    }

    /// Decide one freshly classified ticket and carry the decision out.
    async fn decide(
        &self,
        write: &WritePolicy,
        ticket: &Ticket,
        verdicts: Vec<Verdict>,
    ) -> Result<TicketRecord, StateError> {
        let plan = Plan::new(write, &verdicts, ticket);
        let record = intent(
            self.key(&ticket.id),
            ticket,
            &self.steps,
            &verdicts,
            plan.action(),
        );
        let writes = planned_writes(&plan, &verdicts, ticket);
        self.store.begin_writing(&record, &writes).await?;
        let outcome = if write.dry_run {
            self.store
                .finish(&record.key, Recorded::DryRun, None, None)
                .await?;
            Outcome::DryRun
        } else {
            self.carry_out(&record.key, &plan).await?
        };
        self.count_written(&outcome, &writes);
        Ok(TicketRecord {
            id: ticket.id.clone(),
            subject: ticket.subject.clone(),
            verdicts,
            outcome,
        })
    }

    /// Tells the observer which fields a finished decision set (or, dry run, would have).
    fn count_written(&self, outcome: &Outcome, writes: &[triage_state::FieldWrite]) {
        let shadow = match outcome {
            Outcome::Updated => false,
            Outcome::DryRun => true,
            Outcome::Unchanged | Outcome::Failed(_) => return,
        };
        for w in writes {
            self.observer.written(&self.pipeline, &w.field, shadow);
        }
    }

    /// Write the plan, recording each step so a crash can resume after it.
    async fn carry_out(&self, key: &TicketKey, plan: &Plan) -> Result<Outcome, StateError> {
        if plan.patch.is_empty() && plan.note.is_none() {
            self.store
                .finish(key, Recorded::Unchanged, None, None)
                .await?;
            return Ok(Outcome::Unchanged);
        }
        let id = &key.ticket_id;
        let mut version_after = None;
        if !plan.patch.is_empty() {
            match self.update(id, &plan.patch).await {
                Ok(updated) => {
                    version_after = version_of(&updated);
                    // Still pending, but the update is done: a resume only notes.
                    self.store.update_landed(key, version_after.clone()).await?;
                }
                Err(e) => return self.failed(key, None, "update", e).await,
            }
        }
        if let Some(note) = &plan.note
            && let Err(e) = retrying(|| self.adapter.add_note(id, note)).await
        {
            return self.failed(key, version_after, "note", e).await;
        }
        self.store
            .finish(key, Recorded::Applied, version_after, None)
            .await?;
        Ok(Outcome::Updated)
    }

    /// Update with retries. An attempt that failed may still have been applied,
    /// in full or in part (a timeout or 5xx after the system wrote it, a tag
    /// call after the field update, the adapter's own read after the write), so
    /// every retry first reads the ticket and sends only what it lacks.
    async fn update(&self, id: &str, patch: &TicketPatch) -> Result<Ticket, AdapterError> {
        let mut first = true;
        retrying(|| {
            let retry = !std::mem::replace(&mut first, false);
            async move {
                if !retry {
                    return self.adapter.update_ticket(id, patch).await;
                }
                let current = self.adapter.get_ticket(id).await?;
                let rest = missing(&current, patch);
                if rest.is_empty() {
                    tracing::debug!(ticket = %id, "an earlier attempt was applied: not sent again");
                    return Ok(current);
                }
                self.adapter.update_ticket(id, &rest).await
            }
        })
        .await
    }

    async fn failed(
        &self,
        key: &TicketKey,
        version_after: Option<String>,
        what: &str,
        error: AdapterError,
    ) -> Result<Outcome, StateError> {
        tracing::warn!(pipeline = %self.pipeline, ticket = %key.ticket_id, "{what} failed: {error}");
        self.store
            .finish(
                key,
                Recorded::Failed,
                version_after,
                Some(format!("{what}: {error}")),
            )
            .await?;
        Ok(Outcome::Failed(error))
    }
}

/// What is left of a recorded decision's writes, judged from the ticket.
fn remaining(
    write: &WritePolicy,
    record: &DecisionRecord,
    verdicts: &[Verdict],
    ticket: &Ticket,
) -> Plan {
    let fresh = Plan::new(write, verdicts, ticket);
    let update_done = !record.action.starts_with("update") || record.version_after.is_some();
    Plan {
        patch: if update_done {
            TicketPatch::default()
        } else {
            fresh.patch
        },
        note: record
            .action
            .ends_with("note")
            .then(|| write.note.as_ref().map(|t| t.render(verdicts)))
            .flatten(),
    }
}
