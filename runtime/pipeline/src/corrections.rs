//! Noticing agents' corrections of what triage wrote.
//!
//! The pass sees a ticket's current fields in what `find-tickets` returns: a ticket triage
//! handled comes back whenever it is updated (its `updated_at` passes the watermark), and
//! an agent moving it to another queue is such an update. So every listed ticket triage
//! decided before is compared, field by field, with the newest value triage wrote into it
//! (or, in a dry run, would have written): a difference is a correction, recorded once.
//! A ticket with a correction is the agent's from then on: it is not classified or
//! written again, even when its text changes. Tickets the query no longer lists (a query
//! that filters on the queue triage set, say) are not seen again, so their corrections
//! are not noticed; a query over open tickets sees them all.
//!
//! Dry-run (shadow) values never reached the ticket, so they are compared only once an
//! agent changed the field away from what it showed when triage decided (kept with each
//! write): the agent's value is then an agreement when it is what triage would have
//! written, a shadow correction otherwise. Either settles the field, and the ticket is
//! the agent's from then on, as after a live correction. Shadow values recorded before
//! the store kept the earlier value are not compared.

use chrono::Utc;
use triage_core::{EntityRef, Ticket};
use triage_state::{FieldWrite, StateError, StateStore, TicketKey};

use crate::decide::{Field, Verdict};
use crate::observe::PassObserver;
use crate::plan::Plan;

/// What the ticket shows now in `field`: `Some(None)` when it is empty, `None` when it
/// cannot be compared (an unknown field, or a value without a name).
pub fn current_value(ticket: &Ticket, field: &str) -> Option<Option<String>> {
    let value = match field {
        "queue" => ticket.queue.as_ref(),
        "priority" => ticket.priority.as_ref(),
        _ => return None,
    };
    match value {
        None => Some(None),
        Some(EntityRef { name: Some(n), .. }) => Some(Some(n.clone())),
        Some(_) => None,
    }
}

/// Records the corrections `ticket` shows of what triage wrote into it; returns whether
/// the ticket has any correction (now or from an earlier pass) and is left to agents.
pub async fn notice(
    store: &dyn StateStore,
    observer: &dyn PassObserver,
    key: &TicketKey,
    ticket: &Ticket,
) -> Result<Corrected, StateError> {
    let mut held = false;
    let mut new = 0;
    for written in store.written(key).await? {
        if written.corrected || written.agreed {
            held = true;
            continue;
        }
        let Some(current) = current_value(ticket, &written.field) else {
            continue;
        };
        let same = |a: Option<&str>, b: Option<&str>| match (a, b) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a == b,
        };
        if written.shadow {
            // Untouched since triage decided (or not known): nothing to compare yet.
            let Some(before) = &written.before else {
                continue;
            };
            if same(current.as_deref(), before.as_deref()) {
                continue;
            }
            if same(current.as_deref(), Some(&written.value)) {
                held = true;
                if store
                    .record_agreement(key, &written.field, Utc::now())
                    .await?
                {
                    observer.agreed(key, &written.field, &written.value);
                }
                continue;
            }
        } else if same(current.as_deref(), Some(&written.value)) {
            continue;
        }
        held = true;
        if let Some(correction) = store
            .record_correction(key, &written.field, current, Utc::now())
            .await?
        {
            tracing::info!(
                pipeline = %key.pipeline,
                ticket = %key.ticket_id,
                field = %correction.field,
                written = %correction.written,
                current = correction.current.as_deref().unwrap_or(""),
                shadow = correction.shadow,
                "an agent changed what triage wrote: recorded, and the ticket is left to agents"
            );
            observer.corrected(&correction);
            new += 1;
        }
    }
    Ok(Corrected { held, new })
}

/// What [`notice`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrected {
    /// The ticket has a correction: triage leaves it alone.
    pub held: bool,
    /// Corrections recorded by this call.
    pub new: usize,
}

/// The field values `plan` sets (dry run: would set) into `ticket`, each with what the
/// field shows now, for the audit trail.
pub fn planned_writes(plan: &Plan, verdicts: &[Verdict], ticket: &Ticket) -> Vec<FieldWrite> {
    verdicts
        .iter()
        .filter_map(|v| {
            let planned = match v.field {
                Field::Queue => plan.patch.queue.is_some(),
                Field::Priority => plan.patch.priority.is_some(),
            };
            let value = v.value().filter(|_| planned)?;
            let before = current_value(ticket, v.field.as_str()).flatten();
            Some(FieldWrite::new(v.field.as_str(), value).over(before))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::StepPolicy;
    use crate::plan::WritePolicy;

    fn ticket(queue: Option<EntityRef>) -> Ticket {
        Ticket {
            id: "1".into(),
            queue,
            priority: Some(EntityRef::named("Low")),
            ..Ticket::default()
        }
    }

    #[test]
    fn current_values_by_name_only() {
        assert_eq!(
            current_value(&ticket(Some(EntityRef::named("Sales"))), "queue"),
            Some(Some("Sales".into()))
        );
        assert_eq!(current_value(&ticket(None), "queue"), Some(None));
        let by_id = EntityRef {
            id: Some("7".into()),
            name: None,
        };
        assert_eq!(current_value(&ticket(Some(by_id)), "queue"), None);
        assert_eq!(current_value(&ticket(None), "type"), None);
        assert_eq!(
            current_value(&ticket(None), "priority"),
            Some(Some("Low".into()))
        );
    }

    #[test]
    fn planned_writes_are_the_fields_the_plan_sets() {
        let verdicts = vec![
            StepPolicy::new(Field::Queue, 0.5).decide("Sales", 0.9),
            StepPolicy::new(Field::Priority, 0.5).decide("low", 0.9),
        ];
        let policy = WritePolicy {
            fields: true,
            ..WritePolicy::default()
        };
        // Priority already shows "Low": only the queue is written.
        let plan = Plan::new(&policy, &verdicts, &ticket(None));
        assert_eq!(
            planned_writes(&plan, &verdicts, &ticket(None)),
            [FieldWrite::new("queue", "Sales")]
        );
        let routed = ticket(Some(EntityRef::named("Inbox")));
        let plan = Plan::new(&policy, &verdicts, &routed);
        assert_eq!(
            planned_writes(&plan, &verdicts, &routed),
            [FieldWrite::new("queue", "Sales").over(Some("Inbox".into()))]
        );
        // Below the threshold with nothing to fall back to: nothing planned.
        let unsure = vec![StepPolicy::new(Field::Queue, 0.95).decide("Sales", 0.9)];
        let plan = Plan::new(&policy, &unsure, &ticket(None));
        assert!(planned_writes(&plan, &unsure, &ticket(None)).is_empty());
        // Note-only mode sets no field.
        let notes = WritePolicy::default();
        assert!(
            planned_writes(
                &Plan::new(&notes, &verdicts, &ticket(None)),
                &verdicts,
                &ticket(None)
            )
            .is_empty()
        );
    }
}
