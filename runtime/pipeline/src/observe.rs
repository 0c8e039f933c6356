//! Hooks for whoever watches a pass: metrics, a progress bar. Default no-ops.

use std::time::Duration;

use triage_state::{Correction, TicketKey};

use crate::pass::TicketRecord;

/// Told what a pass does as it does it.
pub trait PassObserver: Send + Sync {
    /// The query listed `tickets` tickets, `to_decide` of them need a decision.
    fn listed(&self, _pipeline: &str, _tickets: usize, _to_decide: usize) {}
    /// A model classified `tickets` tickets in `took`.
    fn classified(&self, _model: &str, _tickets: usize, _took: Duration) {}
    /// A ticket is done; `took` runs from its classification to its record.
    fn ticket_done(&self, _pipeline: &str, _record: &TicketRecord, _took: Duration) {}
    /// A decision set `field` (`shadow`: a dry run's, which would have set it).
    fn written(&self, _pipeline: &str, _field: &str, _shadow: bool) {}
    /// An agent's correction of what triage wrote was recorded (once per ticket and field).
    fn corrected(&self, _correction: &Correction) {}
    /// An agent set a field to exactly what a dry run would have written (once per ticket
    /// and field).
    fn agreed(&self, _key: &TicketKey, _field: &str, _value: &str) {}
}

/// Watches nothing.
pub struct NoObserver;

impl PassObserver for NoObserver {}
