//! One ticket's path, as plain function calls on typed values:
//!
//! ```text
//! adapter.find-tickets ──► classify ──► decide ──► adapter.update-ticket / add-note
//! ```
//!
//! [`decide`] is pure policy (thresholds, label → native value, fallback);
//! [`drain`] walks a query's pages through it once. Scheduling, the state store
//! and the configuration file build on these (see the service issue).
#![deny(missing_docs)]

pub mod decide;
pub mod drain;

pub use decide::{Action, Fallback, Field, StepPolicy, Verdict};
pub use drain::{Drain, DrainError, Outcome, Step, Summary, TicketRecord, retrying};
