//! Fault injection: the failures a real helpdesk API shows under load, on demand.
//!
//! Adapters must treat slowness, 5xx replies and dropped connections as transient; tests prove
//! that only if the simulator can produce them at will. Random faults come from a seeded stream so
//! that a sequential client sees the same faults on every run; scripted faults (`Fault`) hit the
//! very next requests, for tests that need one exact failure at one exact point.

use std::collections::VecDeque;
use std::time::Duration;

use crate::rng::Rng;

/// Random faults applied to every request; changeable at run time through the handle.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Added to every reply.
    pub latency: Duration,
    /// A uniform extra delay in `0..jitter` on top of `latency`.
    pub jitter: Duration,
    /// Share of requests (0.0–1.0) answered with one of `error_statuses`.
    pub error_rate: f64,
    /// The statuses an injected error picks from, evenly.
    pub error_statuses: Vec<u16>,
    /// Share of requests (0.0–1.0) whose connection is closed without any reply.
    pub drop_rate: f64,
    /// Seed of the decision stream.
    pub seed: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            error_rate: 0.0,
            error_statuses: vec![500, 503],
            drop_rate: 0.0,
            seed: 0,
        }
    }
}

impl Faults {
    /// No faults at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// The given share of 500/503 replies, from `seed`.
    pub fn errors(rate: f64, seed: u64) -> Self {
        Self {
            error_rate: rate,
            seed,
            ..Self::default()
        }
    }

    /// The given share of dropped connections, from `seed`.
    pub fn drops(rate: f64, seed: u64) -> Self {
        Self {
            drop_rate: rate,
            seed,
            ..Self::default()
        }
    }

    /// A fixed delay on every reply.
    pub fn latency(latency: Duration) -> Self {
        Self {
            latency,
            ..Self::default()
        }
    }
}

/// One scripted fault for the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Reply with this status (and a JSON error body).
    Status(u16),
    /// Close the connection without replying.
    Drop,
    /// Delay the reply, then handle it normally.
    Delay(Duration),
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Pass,
    Status(u16),
    Drop,
}

/// The decision for one request: wait this long, then act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decision {
    pub delay: Duration,
    pub action: Action,
}

/// Live fault settings plus their random stream and the script queue.
#[derive(Debug)]
pub(crate) struct FaultState {
    faults: Faults,
    rng: Rng,
    script: VecDeque<Fault>,
}

impl FaultState {
    pub fn new(faults: Faults) -> Self {
        Self {
            rng: Rng::new(faults.seed),
            faults,
            script: VecDeque::new(),
        }
    }

    /// Replaces the random faults and restarts their stream from the new seed.
    pub fn set(&mut self, faults: Faults) {
        *self = Self {
            script: std::mem::take(&mut self.script),
            ..Self::new(faults)
        };
    }

    pub fn current(&self) -> Faults {
        self.faults.clone()
    }

    pub fn push(&mut self, faults: impl IntoIterator<Item = Fault>) {
        self.script.extend(faults);
    }

    pub fn clear_script(&mut self) {
        self.script.clear();
    }

    /// Decides the fate of the next request: scripted faults first, then the random ones.
    pub fn decide(&mut self) -> Decision {
        if let Some(fault) = self.script.pop_front() {
            return match fault {
                Fault::Status(s) => Decision {
                    delay: Duration::ZERO,
                    action: Action::Status(s),
                },
                Fault::Drop => Decision {
                    delay: Duration::ZERO,
                    action: Action::Drop,
                },
                Fault::Delay(d) => Decision {
                    delay: d,
                    action: Action::Pass,
                },
            };
        }
        let f = &self.faults;
        let mut delay = f.latency;
        if !f.jitter.is_zero() {
            delay += f.jitter.mul_f64(self.rng.unit());
        }
        if f.drop_rate <= 0.0 && f.error_rate <= 0.0 {
            return Decision {
                delay,
                action: Action::Pass,
            };
        }
        let x = self.rng.unit();
        let action = if x < f.drop_rate {
            Action::Drop
        } else if x < f.drop_rate + f.error_rate && !f.error_statuses.is_empty() {
            Action::Status(self.rng.pick(&f.error_statuses))
        } else {
            Action::Pass
        };
        Decision { delay, action }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(state: &mut FaultState, n: usize) -> Vec<Action> {
        (0..n).map(|_| state.decide().action).collect()
    }

    #[test]
    fn seeded_faults_repeat() {
        let a = actions(&mut FaultState::new(Faults::errors(0.3, 42)), 200);
        let b = actions(&mut FaultState::new(Faults::errors(0.3, 42)), 200);
        assert_eq!(a, b);
        let errors = a.iter().filter(|x| matches!(x, Action::Status(_))).count();
        assert!((30..=90).contains(&errors), "{errors}");
    }

    #[test]
    fn script_comes_first() {
        let mut s = FaultState::new(Faults::none());
        s.push([Fault::Drop, Fault::Status(503)]);
        assert_eq!(
            actions(&mut s, 3),
            vec![Action::Drop, Action::Status(503), Action::Pass]
        );
    }
}
