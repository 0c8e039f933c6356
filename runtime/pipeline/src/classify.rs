//! The classify stage: each step's model over a chunk of tickets, in one batch.

use std::sync::Arc;
use std::time::Instant;

use triage_classifier::AsyncClassifier;
use triage_classifier::text::{TextForm, ticket_text};
use triage_core::Ticket;

use crate::decide::{StepPolicy, Verdict};
use crate::observe::PassObserver;

/// A classification step: a model and the policy for its field.
pub struct Step {
    /// The model's name in the configuration (recorded with each decision).
    pub model_name: String,
    /// The model's version (e.g. a digest of its files), recorded likewise.
    pub model_version: String,
    /// The model.
    pub model: AsyncClassifier,
    /// How its labels become field values.
    pub policy: StepPolicy,
}

/// One verdict per step for each ticket, in ticket order.
pub async fn classify(
    steps: &[Arc<Step>],
    tickets: &[Ticket],
    observer: &dyn PassObserver,
) -> Result<Vec<Vec<Verdict>>, triage_classifier::Error> {
    let mut verdicts = vec![Vec::with_capacity(steps.len()); tickets.len()];
    for step in steps {
        // Each model reads the text form it was trained on (cleaned unless its config says raw).
        let form = step.model.classifier().text_form();
        let texts: Vec<String> = tickets.iter().map(|t| model_text(t, form)).collect();
        let started = Instant::now();
        let predictions = step.model.classify_batch(texts).await?;
        observer.classified(&step.model_name, tickets.len(), started.elapsed());
        for (slot, p) in verdicts.iter_mut().zip(predictions) {
            slot.push(step.policy.decide(&p.label, p.confidence));
        }
    }
    Ok(verdicts)
}

/// The text a model of form `form` reads for `ticket` (shared with `triage train`).
pub fn model_text(ticket: &Ticket, form: TextForm) -> String {
    ticket_text(
        &ticket.subject,
        ticket.body_text.as_deref(),
        ticket.body_html.as_deref(),
        form,
    )
}
