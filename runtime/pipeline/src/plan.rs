//! What a decision writes, reduced to what the ticket does not already show.
//!
//! Comparing against the ticket is what makes write-back idempotent: a write
//! that already landed (before a crash, say) plans to nothing the second time.

use triage_core::{EntityRef, Note, TagOp, Ticket, TicketPatch};

use crate::decide::{self, NoteTemplate, Verdict};

/// What a pipeline writes back.
#[derive(Debug, Clone, Default)]
pub struct WritePolicy {
    /// Set the classified fields (queue, priority).
    pub fields: bool,
    /// Tag added to tickets that triage changed.
    pub tag: Option<String>,
    /// Internal note explaining the decision.
    pub note: Option<NoteTemplate>,
    /// Decide and record, but write nothing.
    pub dry_run: bool,
}

/// The writes for one ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Field and tag changes still missing from the ticket.
    pub patch: TicketPatch,
    /// The note to add, if any.
    pub note: Option<Note>,
}

impl Plan {
    /// The writes `verdicts` call for on `ticket` under `policy`.
    pub fn new(policy: &WritePolicy, verdicts: &[Verdict], ticket: &Ticket) -> Self {
        let wanted = if policy.fields {
            decide::patch_for(verdicts, policy.tag.as_deref())
        } else {
            TicketPatch {
                tags: policy.tag.clone().map(|t| TagOp::Add(vec![t])),
                ..TicketPatch::default()
            }
        };
        let patch = missing_from(wanted, ticket, policy.fields);
        // A note explains a change; in note-only mode it is the whole output.
        let note = policy
            .note
            .as_ref()
            .filter(|_| !patch.is_empty() || !policy.fields)
            .map(|template| template.render(verdicts));
        Self { patch, note }
    }

    /// Short name of the writes for the audit trail.
    pub fn action(&self) -> &'static str {
        match (self.patch.is_empty(), self.note.is_some()) {
            (false, true) => "update+note",
            (false, false) => "update",
            (true, true) => "note",
            (true, false) => "none",
        }
    }
}

/// What of `patch` the ticket does not show yet (fields and added tags); empty
/// when an earlier attempt was applied in full.
pub fn missing(ticket: &Ticket, patch: &TicketPatch) -> TicketPatch {
    missing_from(patch.clone(), ticket, false)
}

/// The part of `wanted` that `ticket` does not show yet. When fields were asked
/// for and none is missing, the tag alone is not worth a write.
fn missing_from(wanted: TicketPatch, ticket: &Ticket, fields: bool) -> TicketPatch {
    let queue = wanted.queue.filter(|q| !same(ticket.queue.as_ref(), q));
    let priority = wanted
        .priority
        .filter(|p| !same(ticket.priority.as_ref(), p));
    let tags = match wanted.tags {
        Some(TagOp::Add(tags)) => {
            let absent: Vec<String> = tags
                .into_iter()
                .filter(|t| !ticket.tags.iter().any(|have| have.eq_ignore_ascii_case(t)))
                .collect();
            (!absent.is_empty()).then_some(TagOp::Add(absent))
        }
        other => other,
    };
    let tags = if fields && queue.is_none() && priority.is_none() {
        None
    } else {
        tags
    };
    TicketPatch {
        queue,
        priority,
        tags,
        ..wanted
    }
}

fn same(current: Option<&EntityRef>, target: &EntityRef) -> bool {
    let Some(current) = current else {
        return false;
    };
    match (&current.name, &target.name) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => current.id.is_some() && current.id == target.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{Field, StepPolicy};

    fn ticket(queue: &str, priority: &str, tags: &[&str]) -> Ticket {
        Ticket {
            id: "7".into(),
            queue: Some(EntityRef::named(queue)),
            priority: Some(EntityRef::named(priority)),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Ticket::default()
        }
    }

    fn verdicts() -> Vec<Verdict> {
        vec![
            StepPolicy::new(Field::Queue, 0.5).decide("IT Support", 0.9),
            StepPolicy::new(Field::Priority, 0.5).decide("high", 0.9),
        ]
    }

    fn policy() -> WritePolicy {
        WritePolicy {
            fields: true,
            tag: Some("triage".into()),
            note: Some(NoteTemplate::default()),
            dry_run: false,
        }
    }

    #[test]
    fn plans_only_what_is_missing() {
        let plan = Plan::new(&policy(), &verdicts(), &ticket("Billing", "High", &[]));
        assert_eq!(plan.patch.queue, Some(EntityRef::named("IT Support")));
        assert_eq!(plan.patch.priority, None, "High already matches high");
        assert_eq!(plan.patch.tags, Some(TagOp::Add(vec!["triage".into()])));
        assert_eq!(plan.action(), "update+note");
    }

    #[test]
    fn a_landed_update_plans_nothing() {
        let landed = ticket("it support", "high", &["triage"]);
        let plan = Plan::new(&policy(), &verdicts(), &landed);
        assert_eq!((plan.action(), plan.note), ("none", None));
        // Fields already right but the tag missing: still nothing to write.
        let right = ticket("IT Support", "High", &[]);
        assert!(Plan::new(&policy(), &verdicts(), &right).patch.is_empty());
    }

    #[test]
    fn a_retry_sends_only_what_an_earlier_attempt_did_not_apply() {
        let plan = Plan::new(&policy(), &verdicts(), &ticket("Billing", "Low", &[]));
        assert_eq!(
            missing(&ticket("Billing", "Low", &[]), &plan.patch),
            plan.patch
        );
        let tag_only = missing(&ticket("IT Support", "High", &[]), &plan.patch);
        let tag = TicketPatch {
            tags: Some(TagOp::Add(vec!["triage".into()])),
            ..TicketPatch::default()
        };
        assert_eq!(tag_only, tag);
        assert!(missing(&ticket("it support", "high", &["x", "Triage"]), &plan.patch).is_empty());
    }

    #[test]
    fn note_only_mode_writes_a_note_and_the_tag() {
        let mut p = policy();
        p.fields = false;
        let plan = Plan::new(&p, &verdicts(), &ticket("Billing", "Low", &[]));
        assert_eq!(plan.patch.queue, None);
        assert_eq!(plan.patch.tags, Some(TagOp::Add(vec!["triage".into()])));
        assert!(plan.note.is_some());
        p.tag = None;
        assert_eq!(
            Plan::new(&p, &verdicts(), &ticket("Billing", "Low", &[])).action(),
            "note"
        );
    }
}
