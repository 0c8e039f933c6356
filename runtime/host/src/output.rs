//! The output budget: how much an adapter instance may write to the operator's log through
//! the `log` import and WASI stdout/stderr together.
//!
//! Each line that becomes a log record is charged one line and its length in bytes, at
//! least [`RECORD_BYTES`] (a record's own fields cost about that), so that many short lines
//! cannot amplify into far more log than they carry. A call may spend [`PER_CALL`], an
//! instance over its life [`PER_INSTANCE`]; what is over is dropped, counted, and reported
//! once at the end of the call as one "N lines (B bytes) dropped" record and one
//! `log_flood` fault. An instance that spent its own budget is retired after that call, so
//! the next call starts a fresh one: the log stays bounded per call, and a connection that
//! floods keeps being counted rather than going silent.

use std::sync::{Arc, Mutex};

/// Bytes charged for a line at the least: about what a log record adds around a message.
pub(crate) const RECORD_BYTES: usize = 128;

/// A number of lines and of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Allowance {
    /// Lines (log records).
    pub lines: usize,
    /// Bytes, each line counted at least [`RECORD_BYTES`].
    pub bytes: usize,
}

/// What one call may log: 256 lines, 64 KiB.
pub const PER_CALL: Allowance = Allowance {
    lines: 256,
    bytes: 64 * 1024,
};

/// What one instance may log over its life: 4096 lines, 1 MiB.
pub const PER_INSTANCE: Allowance = Allowance {
    lines: 4096,
    bytes: 1024 * 1024,
};

/// Lines dropped since the last report, and what they held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Dropped {
    pub(crate) lines: usize,
    pub(crate) bytes: usize,
}

#[derive(Debug, Default)]
struct Spent {
    call: Allowance,
    instance: Allowance,
    dropped: Dropped,
}

/// One instance's output budget, shared by its `log` import and its stdout/stderr streams.
#[derive(Debug, Clone)]
pub(crate) struct OutputBudget {
    per_call: Allowance,
    per_instance: Allowance,
    spent: Arc<Mutex<Spent>>,
}

impl Default for OutputBudget {
    fn default() -> Self {
        Self::new(PER_CALL, PER_INSTANCE)
    }
}

impl OutputBudget {
    pub(crate) fn new(per_call: Allowance, per_instance: Allowance) -> Self {
        Self {
            per_call,
            per_instance,
            spent: Arc::default(),
        }
    }

    fn spent(&self) -> std::sync::MutexGuard<'_, Spent> {
        // A panic while holding the lock leaves plain counters behind: still usable.
        self.spent.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether a line of `len` bytes may be logged; if not, it is counted as dropped.
    pub(crate) fn admit(&self, len: usize) -> bool {
        let cost = len.max(RECORD_BYTES);
        let mut guard = self.spent();
        let spent = &mut *guard;
        let fits = |used: Allowance, cap: Allowance| {
            used.lines < cap.lines && used.bytes.saturating_add(cost) <= cap.bytes
        };
        if fits(spent.call, self.per_call) && fits(spent.instance, self.per_instance) {
            for used in [&mut spent.call, &mut spent.instance] {
                used.lines += 1;
                used.bytes += cost;
            }
            true
        } else {
            spent.dropped.lines += 1;
            spent.dropped.bytes = spent.dropped.bytes.saturating_add(len);
            false
        }
    }

    /// A new call: its own allowance again, the instance's as it was.
    pub(crate) fn begin_call(&self) {
        self.spent().call = Allowance::default();
    }

    /// What was dropped since the last time this was asked, if anything.
    pub(crate) fn take_dropped(&self) -> Option<Dropped> {
        let dropped = std::mem::take(&mut self.spent().dropped);
        (dropped.lines > 0).then_some(dropped)
    }

    /// Whether the instance has spent its allowance (it should not serve again).
    pub(crate) fn instance_spent(&self) -> bool {
        let spent = self.spent();
        spent.instance.lines >= self.per_instance.lines
            || spent.instance.bytes + RECORD_BYTES > self.per_instance.bytes
    }

    /// The one record saying what was dropped, for the operator.
    pub(crate) fn describe(&self, dropped: Dropped) -> String {
        format!(
            "{} lines ({} bytes) of adapter output dropped: over the output budget of {} lines / {} bytes a call, {} lines / {} bytes an instance",
            dropped.lines,
            dropped.bytes,
            self.per_call.lines,
            self.per_call.bytes,
            self.per_instance.lines,
            self.per_instance.bytes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Allowance = Allowance {
        lines: 3,
        bytes: 1000,
    };
    const LARGE: Allowance = Allowance {
        lines: 5,
        bytes: 10_000,
    };

    #[test]
    fn lines_over_the_call_allowance_are_dropped_and_counted_once() {
        let budget = OutputBudget::new(SMALL, LARGE);
        assert!(budget.admit(10));
        assert!(budget.admit(10));
        assert!(budget.admit(10));
        assert!(!budget.admit(10));
        assert!(!budget.admit(500));
        assert_eq!(
            budget.take_dropped(),
            Some(Dropped {
                lines: 2,
                bytes: 510
            })
        );
        assert_eq!(budget.take_dropped(), None);
        // The next call may log again, until the instance's allowance runs out.
        budget.begin_call();
        assert!(budget.admit(10));
        assert!(budget.admit(10));
        assert!(!budget.admit(10), "the instance allows five lines");
        assert!(budget.instance_spent());
    }

    #[test]
    fn short_lines_cost_at_least_a_record() {
        // 1000 bytes hold seven records of 128 bytes, however short their text.
        let budget = OutputBudget::new(
            Allowance {
                lines: 100,
                bytes: 1000,
            },
            Allowance {
                lines: 100,
                bytes: 10_000,
            },
        );
        let admitted = (0..100).filter(|_| budget.admit(1)).count();
        assert_eq!(admitted, 1000 / RECORD_BYTES);
    }

    #[test]
    fn a_long_line_is_charged_its_length() {
        let budget = OutputBudget::new(SMALL, LARGE);
        assert!(budget.admit(900));
        assert!(!budget.admit(200), "over the call's 1000 bytes");
        assert!(
            !budget.instance_spent(),
            "the instance has used 900 of 10 000"
        );
    }
}
