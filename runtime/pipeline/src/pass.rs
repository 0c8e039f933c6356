//! One pass over a query: list its tickets, classify them in batches, decide,
//! write back.
//! A failing ticket is recorded and the rest go on.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use triage_classifier::{AsyncClassifier, Prediction};
use triage_core::{AdapterError, Ticket, TicketAdapter, TicketQuery};

use crate::decide::{self, StepPolicy, Verdict};

/// Attempts for one write when the system says "later" (rate limit, 5xx).
const ATTEMPTS: u32 = 6;

/// A classification step: a model and the policy for its field.
pub struct Step {
    /// The model.
    pub model: AsyncClassifier,
    /// How its labels become field values.
    pub policy: StepPolicy,
}

/// One pass over a query's tickets.
pub struct Drain {
    /// The ticket system.
    pub adapter: Arc<dyn TicketAdapter>,
    /// Classification steps, applied to every ticket.
    pub steps: Vec<Arc<Step>>,
    /// Tag added to tickets that were changed.
    pub tag: Option<String>,
    /// Add an internal note explaining the decision.
    pub note: bool,
    /// Decide but write nothing.
    pub dry_run: bool,
}

/// What happened to one ticket.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Fields were written.
    Updated,
    /// Nothing to write (low confidence everywhere, or dry run).
    Unchanged,
    /// Writing failed; the ticket is left for a later run.
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
    /// Tickets the adapter returned.
    pub fetched: usize,
    /// Tickets written.
    pub updated: usize,
    /// Tickets left as they were.
    pub unchanged: usize,
    /// Tickets whose write failed.
    pub failed: usize,
    /// Every ticket's record, in the order seen.
    pub records: Vec<TicketRecord>,
}

/// Why a pass stopped early.
#[derive(Debug, thiserror::Error)]
pub enum DrainError {
    /// Listing tickets failed (after retries).
    #[error("finding tickets: {0}")]
    Find(AdapterError),
    /// A model failed.
    #[error("classifying: {0}")]
    Classify(#[from] triage_classifier::Error),
}

impl Drain {
    /// Run the pass for `query`.
    ///
    /// The query's tickets are listed completely before anything is written:
    /// systems page by offset over an order that our own writes change (a
    /// Freshdesk update moves the ticket to the end of an `updated_at` listing),
    /// so writing while paging would skip some tickets and revisit others.
    pub async fn run(&self, query: &TicketQuery) -> Result<Summary, DrainError> {
        let tickets = self.find_all(query).await?;
        let mut summary = Summary {
            fetched: tickets.len(),
            ..Summary::default()
        };
        let batch = (query.page_size as usize).max(1);
        for chunk in tickets.chunks(batch) {
            let verdicts = self.classify(chunk).await?;
            for (ticket, verdicts) in chunk.iter().zip(verdicts) {
                let outcome = self.write(ticket, &verdicts).await;
                match &outcome {
                    Outcome::Updated => summary.updated += 1,
                    Outcome::Unchanged => summary.unchanged += 1,
                    Outcome::Failed(e) => {
                        tracing::warn!(ticket = %ticket.id, "write-back failed: {e}");
                        summary.failed += 1;
                    }
                }
                summary.records.push(TicketRecord {
                    id: ticket.id.clone(),
                    subject: ticket.subject.clone(),
                    verdicts,
                    outcome,
                });
            }
        }
        Ok(summary)
    }

    async fn find_all(&self, query: &TicketQuery) -> Result<Vec<Ticket>, DrainError> {
        let mut tickets = Vec::new();
        let mut cursor = None;
        loop {
            let page = retrying(|| self.adapter.find_tickets(query, cursor.clone()))
                .await
                .map_err(DrainError::Find)?;
            tickets.extend(page.tickets);
            match page.next {
                Some(next) => cursor = Some(next),
                None => return Ok(tickets),
            }
        }
    }

    /// Each step classifies a chunk of tickets in one batch.
    async fn classify(&self, tickets: &[Ticket]) -> Result<Vec<Vec<Verdict>>, DrainError> {
        let texts: Vec<String> = tickets.iter().map(Ticket::text).collect();
        let mut verdicts = vec![Vec::with_capacity(self.steps.len()); tickets.len()];
        for step in &self.steps {
            let predictions: Vec<Prediction> = step.model.classify_batch(texts.clone()).await?;
            for (slot, p) in verdicts.iter_mut().zip(predictions) {
                slot.push(step.policy.decide(&p.label, p.confidence));
            }
        }
        Ok(verdicts)
    }

    async fn write(&self, ticket: &Ticket, verdicts: &[Verdict]) -> Outcome {
        let patch = decide::patch_for(verdicts, self.tag.as_deref());
        if self.dry_run || patch.is_empty() {
            return Outcome::Unchanged;
        }
        if let Err(e) = retrying(|| self.adapter.update_ticket(&ticket.id, &patch)).await {
            return Outcome::Failed(e);
        }
        if self.note {
            let note = decide::note_for(verdicts);
            if let Err(e) = retrying(|| self.adapter.add_note(&ticket.id, &note)).await {
                return Outcome::Failed(e);
            }
        }
        Outcome::Updated
    }
}

/// Retry what the system says to retry: after `Retry-After` when given, else
/// with exponential backoff and jitter.
pub async fn retrying<T, F, Fut>(mut call: F) -> Result<T, AdapterError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AdapterError>>,
{
    let mut attempt = 0;
    loop {
        match call().await {
            Err(e) if e.is_retryable() && attempt + 1 < ATTEMPTS => {
                let wait = match &e {
                    AdapterError::RateLimited(Some(after)) => *after,
                    _ => backoff(attempt),
                };
                tracing::debug!(attempt, ?wait, "retrying after: {e}");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(200) * 2u32.pow(attempt.min(6));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    // Up to +50 % jitter so that retries of many tickets do not line up.
    base + base.mul_f64(f64::from(nanos % 1000) / 2000.0)
}
