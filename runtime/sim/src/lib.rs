//! Ticket-system simulators for the demo and the tests.
//!
//! The real helpdesks cannot be reached from here, yet adapters must be proven against everything
//! they can trip on: paging caps, validation bodies, rate limits, flaky networks. A simulator is a
//! real HTTP server on 127.0.0.1 that follows the documented behaviour closely (each
//! system's adapter documents the behaviour relied on, with its evidence, in its module docs), plus a handle to read its state and steer its faults.
//!
//! ```no_run
//! # async fn demo() -> Result<(), triage_sim::SimError> {
//! use triage_sim::freshdesk::{FreshdeskSim, SimConfig};
//! use triage_sim::generate::{GenerateOptions, generate};
//!
//! let data = generate(&GenerateOptions { count: 500, seed: 7, ..Default::default() });
//! let sim = FreshdeskSim::start(SimConfig::default().with_data(data)).await?;
//! println!("{} with key {}", sim.base_url(), sim.api_key());
//! # Ok(()) }
//! ```

pub mod error;
pub mod faults;
pub mod freshdesk;
pub mod generate;
pub mod gitlab;
mod handle;
pub mod load;
pub mod log;
pub mod otobo;
pub mod ratelimit;
pub mod redmine;
mod rng;
mod server;
mod traffic;
pub mod zammad;
pub mod zendesk;

pub use error::SimError;
pub use faults::{Fault, Faults};
pub use handle::{Handle, HasTraffic};
pub use log::RequestRecord;
pub use rng::Rng;
