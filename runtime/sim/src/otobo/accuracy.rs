//! Visible queue/priority against the hidden truth, as for the other simulators: a ticket
//! counts as classified once it has left the inbox queue (`Raw`).

use super::model::{INBOX_QUEUE, priority_id_for};
use super::store::Store;
use crate::freshdesk::Accuracy;

pub(crate) fn measure(store: &Store) -> Accuracy {
    let mut acc = Accuracy::default();
    for (id, truth) in &store.truth {
        let Some(t) = store.tickets.get(id) else {
            continue;
        };
        acc.labelled += 1;
        let Some(queue) = store.queue(t.queue_id).filter(|q| q.name != INBOX_QUEUE) else {
            continue;
        };
        acc.classified += 1;
        acc.queue_correct += usize::from(queue.name == truth.queue);
        acc.priority_correct += usize::from(t.priority_id == priority_id_for(truth.priority));
    }
    acc
}
