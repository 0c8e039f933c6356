//! One ticket's path, as plain function calls on typed values:
//!
//! ```text
//! adapter.find-tickets ──► classify ──► decide ──► plan ──► adapter.update-ticket / add-note ──► record
//! ```
//!
//! [`decide`] is pure policy (thresholds, label → native value, fallback);
//! [`plan`] reduces a decision to the writes the ticket does not show yet;
//! [`pass`] walks a query through it once, recording every decision in the
//! state store so that no ticket is written twice, even across a crash.
//! [`corrections`] notices agents changing what triage wrote, so that their choice
//! stands and accuracy in production can be measured.
//! Scheduling many passes is the service's job.
#![deny(missing_docs)]

pub mod classify;
pub mod corrections;
pub mod decide;
pub mod observe;
pub mod pass;
pub mod plan;
pub mod record;
pub mod retry;

pub use classify::Step;
pub use decide::{Action, Fallback, Field, NoteTemplate, StepPolicy, Verdict};
pub use observe::{NoObserver, PassObserver};
pub use pass::{Outcome, Pass, PassError, Summary, TicketRecord};
pub use plan::WritePolicy;
pub use retry::retrying;
