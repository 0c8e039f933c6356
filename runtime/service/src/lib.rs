//! The service around the pipeline: every pipeline of a `triage.yml` on its
//! schedule ([`Service`]), or each once ([`run_once`]); the live parts built from
//! the configuration ([`parts`]); reloads; the HTTP API ([`api`]) and Prometheus
//! metrics ([`metrics`]); accuracy in production from agents' corrections
//! ([`agreement`]).
//!
//! ```text
//! schedule (runner) ──► Pass: find ──► classify ──► decide ──► write ──► record (state)
//! ```
#![deny(missing_docs)]

pub mod agreement;
pub mod api;
mod error;
pub mod metered;
pub mod metrics;
mod once;
pub mod parts;
pub mod runner;
mod service;
pub mod status;

pub use error::ServiceError;
pub use metrics::Metrics;
pub use once::{PipelineResult, run_once};
pub use service::Service;
