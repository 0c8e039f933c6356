//! What the in-process simulators' [`SimulatorProbe`] impls share: faults and rate limits
//! are steered the same way in every simulator, ids are numbers, and a value outside a
//! dropdown custom field is the system's own refusal.

use std::collections::{BTreeMap, BTreeSet};

use triage_core::TicketPatch;
use triage_sim::Fault;
use triage_sim::ratelimit::RateLimitConfig;

use crate::conformance::ProbeFault;
#[cfg(doc)]
use crate::conformance::SimulatorProbe;

/// The simulator's faults for the probe's.
pub fn faults(next: &[ProbeFault]) -> impl Iterator<Item = Fault> + '_ {
    next.iter().map(|f| match f {
        ProbeFault::Status(s) => Fault::Status(*s),
        ProbeFault::Drop => Fault::Drop,
    })
}

/// `per_window` requests a minute, or no limit.
pub fn rate_limit(per_window: Option<u32>) -> RateLimitConfig {
    per_window.map_or_else(RateLimitConfig::unlimited, RateLimitConfig::per_minute)
}

/// A numeric ticket id of `system`.
pub fn numeric(id: &str, system: &str) -> u64 {
    id.parse()
        .unwrap_or_else(|_| panic!("{system} ids are numbers, not {id:?}"))
}

/// An id far above every id in `ids`.
pub fn missing_id(ids: impl IntoIterator<Item = u64>) -> String {
    let max = ids.into_iter().max().unwrap_or(0);
    (max + 1_000_000).to_string()
}

/// The first of `ids` (in the probe's order).
pub fn first_id(ids: BTreeSet<String>) -> String {
    ids.into_iter().next().expect("the simulator holds tickets")
}

/// A patch setting custom field `name` to `value`.
pub fn custom_field_patch(name: &str, value: serde_json::Value) -> TicketPatch {
    TicketPatch {
        custom_fields: BTreeMap::from([(name.to_owned(), value)]),
        ..TicketPatch::default()
    }
}

/// The steering half of a simulator's [`SimulatorProbe`] impl: rate limits through the
/// simulator's method `$set_limits` (taking a `RateLimitConfig`), faults through
/// `push_faults` / `clear_faults`. Use inside the `impl` block.
#[macro_export]
macro_rules! steer_simulator {
    ($set_limits:ident) => {
        fn set_rate_limit(&self, per_window: Option<u32>) -> bool {
            Self::$set_limits(self, $crate::sim_probe::rate_limit(per_window));
            true
        }

        fn set_faults(&self, next: &[$crate::conformance::ProbeFault]) -> bool {
            self.push_faults($crate::sim_probe::faults(next));
            true
        }

        fn clear_faults(&self) {
            Self::clear_faults(self);
        }
    };
}
