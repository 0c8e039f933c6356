//! How well a classifier did on a generated backlog: visible group/priority against the truth.
//!
//! The demo's headline number. It lives next to the state so the CLI and tests compute it the
//! same way.

use super::store::Store;

/// Counts over the tickets that have a true label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accuracy {
    /// Tickets with a true label.
    pub labelled: usize,
    /// Of those, tickets whose group is set (taken as "classified").
    pub classified: usize,
    /// Classified tickets whose group is the true queue.
    pub queue_correct: usize,
    /// Classified tickets whose priority is the true priority.
    pub priority_correct: usize,
}

impl Accuracy {
    /// Share of classified tickets in the right queue (0 when none are classified).
    pub fn queue_rate(&self) -> f64 {
        ratio(self.queue_correct, self.classified)
    }

    /// Share of classified tickets with the right priority.
    pub fn priority_rate(&self) -> f64 {
        ratio(self.priority_correct, self.classified)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

pub(crate) fn measure(store: &Store) -> Accuracy {
    let mut acc = Accuracy::default();
    for (id, truth) in &store.truth {
        let Some(t) = store.tickets.get(id) else {
            continue;
        };
        acc.labelled += 1;
        let Some(group) = t.group_id.and_then(|g| store.group(g)) else {
            continue;
        };
        acc.classified += 1;
        if group.name == truth.queue {
            acc.queue_correct += 1;
        }
        if t.priority == truth.priority.code() {
            acc.priority_correct += 1;
        }
    }
    acc
}
