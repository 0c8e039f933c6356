//! The ticket model and adapter boundary as the rest of the runtime sees them.
//!
//! The WIT contract's types are converted into these once, in `triage-host`, so
//! that the pipeline, the service and the tests never touch wasmtime.
#![deny(missing_docs)]

mod adapter;
mod error;
mod ticket;

pub use adapter::{AdapterInfo, Capabilities, TicketAdapter};
pub use error::{AdapterError, FieldError, SandboxFault};
pub use ticket::{
    EntityRef, Note, Page, PriorityLevel, StatusCategory, TagOp, Ticket, TicketPatch, TicketQuery,
};
