//! The wasmtime host: loads adapter components and runs each call inside limits.
//!
//! One [`Sandbox`] (engine, compiled-component cache, epoch ticker) serves every
//! adapter. [`Sandbox::load`] checks a component against the contract versions this
//! runtime speaks and pre-instantiates it; [`WasmAdapter`] is the runtime's
//! [`triage_core::TicketAdapter`] over it. Guest faults (trap, deadline, memory)
//! become [`triage_core::AdapterError::Sandbox`] for that call only.
#![deny(missing_docs)]

mod adapter;
mod bindings;
mod cache;
pub mod contract;
pub mod declared;
mod error;
mod footprint;
mod guest_state;
mod inspect;
mod limits;
pub mod output;
mod sandbox;
mod wasi_log;

pub use adapter::{AdapterSettings, FaultSink, WasmAdapter};
pub use error::HostError;
pub use footprint::Footprint;
pub use inspect::{ComponentReport, inspect_file};
pub use limits::{MAX_CORE_INSTANCES, MAX_MEMORIES, MAX_TABLES, SandboxLimits};
pub use sandbox::{LoadedAdapter, Sandbox, SandboxConfig};
