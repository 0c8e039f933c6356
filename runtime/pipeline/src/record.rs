//! Between the pipeline's verdicts and the state store's records.

use chrono::Utc;
use sha2::{Digest, Sha256};
use triage_core::Ticket;
use triage_state::{DecisionRecord, Outcome, TicketKey};

use crate::classify::Step;
use crate::decide::Verdict;

/// Digest of what the models read: same text, same decision.
pub fn fingerprint(ticket: &Ticket) -> String {
    hex::encode(Sha256::digest(ticket.text().as_bytes()))
}

/// The ticket's version as the system reports it (or its update time).
pub fn version_of(ticket: &Ticket) -> Option<String> {
    ticket
        .version
        .clone()
        .or_else(|| ticket.updated_at.map(|t| t.to_rfc3339()))
}

/// The audit record of a decision about to be carried out.
pub fn intent(
    key: TicketKey,
    ticket: &Ticket,
    steps: &[std::sync::Arc<Step>],
    verdicts: &[Verdict],
    action: &str,
) -> DecisionRecord {
    DecisionRecord {
        key,
        fingerprint: fingerprint(ticket),
        version_seen: version_of(ticket),
        version_after: None,
        verdicts: steps
            .iter()
            .zip(verdicts)
            .map(|(step, v)| triage_state::Verdict {
                field: v.field.as_str().to_owned(),
                model: step.model_name.clone(),
                model_version: step.model_version.clone(),
                label: v.label.clone(),
                confidence: v.confidence,
                value: v.value().map(str::to_owned),
            })
            .collect(),
        action: action.to_owned(),
        outcome: Outcome::Pending,
        error: None,
        attempts: 0,
        decided_at: Utc::now(),
    }
}

/// The verdicts a stored record holds, decided again under today's policy
/// (labels and confidences are the model's; the policy is deterministic).
pub fn verdicts_of(record: &DecisionRecord, steps: &[std::sync::Arc<Step>]) -> Vec<Verdict> {
    steps
        .iter()
        .filter_map(|step| {
            record
                .verdicts
                .iter()
                .find(|v| v.field == step.policy.field.as_str())
                .map(|v| step.policy.decide(&v.label, v.confidence))
        })
        .collect()
}
