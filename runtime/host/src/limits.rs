//! Per-adapter bounds, and the resource budget that enforces the memory one of them.
//!
//! One budget covers everything an instance's store allocates for the guest: the sum of
//! all its linear memories and tables ([`SandboxLimits::memory_bytes`]), and the number of
//! core instances, memories and tables it may create at all ([`MAX_CORE_INSTANCES`],
//! [`MAX_MEMORIES`], [`MAX_TABLES`]; wasmtime's defaults are 10 000 each). A component
//! whose [`Footprint`] is over them is refused before it starts; one that grows past them
//! traps at the growth.

use std::time::Duration;

use crate::footprint::{Footprint, TABLE_ELEMENT_BYTES};

/// Core instances one adapter instance may create. The shipped adapters need 4 (Rust,
/// built with the WASI adapter) and 13 (componentize-py Redmine); 32 leaves room for a
/// larger Python program with more native extensions.
pub const MAX_CORE_INSTANCES: usize = 32;
/// Linear memories one adapter instance may create. The shipped adapters define 2 (the
/// program's and the WASI adapter's); 4 leaves room for a second adapter-style module.
pub const MAX_MEMORIES: usize = 4;
/// Tables one adapter instance may create. The shipped adapters define 3 (Rust) and 4
/// (Python); 16 leaves room for more shims.
pub const MAX_TABLES: usize = 16;

/// Bounds on one adapter's calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxLimits {
    /// All linear memories and tables of one instance together may grow to this many
    /// bytes (default 64 MiB; a table element counts 8 bytes).
    pub memory_bytes: usize,
    /// Wall-clock deadline for one call, host HTTP time included (default 30 s).
    pub call_deadline: Duration,
    /// Instances kept warm for reuse; also the useful concurrency (default 4).
    pub instances: usize,
}

impl Default for SandboxLimits {
    fn default() -> Self {
        Self {
            memory_bytes: 64 * 1024 * 1024,
            call_deadline: Duration::from_secs(30),
            instances: 4,
        }
    }
}

/// Why a component may not be started under a memory budget of `memory_bytes`, if it may not.
pub(crate) fn refuse(footprint: &Footprint, memory_bytes: usize) -> Option<String> {
    let counts = [
        (footprint.memories, MAX_MEMORIES, "memories"),
        (footprint.tables, MAX_TABLES, "tables"),
        (
            footprint.core_instances,
            MAX_CORE_INSTANCES,
            "core instances",
        ),
    ];
    if let Some((needs, limit, what)) = counts.iter().find(|(n, l, _)| *n > *l as u64) {
        return Some(format!(
            "component needs {needs} {what}; the limit is {limit}"
        ));
    }
    (footprint.initial_bytes > memory_bytes as u64).then(|| {
        format!(
            "component needs {} of memories and tables at start; the limit is {}",
            mib(footprint.initial_bytes),
            mib(memory_bytes as u64)
        )
    })
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// The store's limiter: counts every byte of memory and table the instance holds against
/// one budget, refuses growth past it and remembers that it did, so the host can report
/// "memory" rather than a generic trap.
#[derive(Debug)]
pub(crate) struct ResourceBudget {
    max_bytes: u64,
    used_bytes: u64,
    /// Bytes of the last permitted growth, taken back if wasmtime then fails it.
    pending: u64,
    /// Why growth was refused, once it was.
    pub(crate) exceeded: Option<String>,
}

impl ResourceBudget {
    pub(crate) fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes: max_bytes as u64,
            used_bytes: 0,
            pending: 0,
            exceeded: None,
        }
    }

    /// Bytes the instance holds now.
    #[cfg(test)]
    pub(crate) fn used_bytes(&self) -> u64 {
        self.used_bytes
    }

    fn grow(&mut self, current: u64, desired: u64, what: &str) -> wasmtime::Result<bool> {
        let delta = desired.saturating_sub(current);
        let next = self.used_bytes.saturating_add(delta);
        if next > self.max_bytes {
            let why = format!(
                "memories and tables would hold {} after growing a {what}; the limit is {}",
                mib(next),
                mib(self.max_bytes)
            );
            self.exceeded.get_or_insert_with(|| why.clone());
            // Trap instead of returning -1: a guest that ignores allocation failure must
            // not limp on with a corrupt heap.
            return Err(wasmtime::Error::msg(why));
        }
        self.used_bytes = next;
        self.pending = delta;
        Ok(true)
    }

    fn grow_failed(&mut self) {
        self.used_bytes = self.used_bytes.saturating_sub(self.pending);
        self.pending = 0;
    }
}

impl wasmtime::ResourceLimiter for ResourceBudget {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.grow(current as u64, desired as u64, "memory")
    }

    fn memory_grow_failed(&mut self, _error: wasmtime::Error) -> wasmtime::Result<()> {
        self.grow_failed();
        Ok(())
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let bytes = |elements: usize| (elements as u64).saturating_mul(TABLE_ELEMENT_BYTES);
        self.grow(bytes(current), bytes(desired), "table")
    }

    fn table_grow_failed(&mut self, _error: wasmtime::Error) -> wasmtime::Result<()> {
        self.grow_failed();
        Ok(())
    }

    fn instances(&self) -> usize {
        MAX_CORE_INSTANCES
    }

    fn memories(&self) -> usize {
        MAX_MEMORIES
    }

    fn tables(&self) -> usize {
        MAX_TABLES
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::ResourceLimiter;

    const MIB: usize = 1 << 20;

    #[test]
    fn growth_within_the_limit_is_allowed() {
        let mut b = ResourceBudget::new(MIB);
        assert!(b.memory_growing(0, MIB, None).unwrap());
        assert!(b.exceeded.is_none());
    }

    #[test]
    fn growth_past_the_limit_traps_and_is_remembered() {
        let mut b = ResourceBudget::new(MIB);
        assert!(b.memory_growing(0, MIB, None).unwrap());
        assert!(b.memory_growing(MIB, MIB + 65536, None).is_err());
        assert!(b.exceeded.is_some());
    }

    #[test]
    fn the_budget_is_the_sum_of_every_memory_and_table() {
        let mut b = ResourceBudget::new(4 * MIB);
        // Three memories of 1 MiB each and a table of 64 Ki elements (512 KiB) fit...
        for _ in 0..3 {
            assert!(b.memory_growing(0, MIB, None).unwrap());
        }
        assert!(b.table_growing(0, 64 * 1024, None).unwrap());
        assert_eq!(b.used_bytes(), 3 * MIB as u64 + 512 * 1024);
        // ...growing the first memory by 256 KiB still fits, by another 512 KiB does not.
        assert!(b.memory_growing(MIB, MIB + 256 * 1024, None).unwrap());
        let err = b
            .memory_growing(MIB + 256 * 1024, MIB + 768 * 1024, None)
            .unwrap_err();
        assert!(err.to_string().contains("the limit is 4.0 MiB"), "{err}");
        assert!(b.exceeded.is_some());
        assert_eq!(b.used_bytes(), 4 * MIB as u64 - 256 * 1024);
    }

    #[test]
    fn a_growth_wasmtime_then_fails_is_given_back() {
        let mut b = ResourceBudget::new(4 * MIB);
        assert!(b.memory_growing(0, 2 * MIB, None).unwrap());
        b.memory_grow_failed(wasmtime::Error::msg("over the maximum"))
            .unwrap();
        assert_eq!(b.used_bytes(), 0);
    }

    #[test]
    fn a_footprint_over_a_count_names_the_count_and_the_limit() {
        let many = Footprint {
            core_instances: 40,
            memories: 40,
            tables: 1,
            initial_bytes: 40 << 16,
        };
        assert_eq!(
            refuse(&many, 64 * MIB).as_deref(),
            Some("component needs 40 memories; the limit is 4")
        );
        let instances = Footprint {
            memories: 1,
            ..many
        };
        assert_eq!(
            refuse(&instances, 64 * MIB).as_deref(),
            Some("component needs 40 core instances; the limit is 32")
        );
        let big = Footprint {
            core_instances: 3,
            memories: 3,
            tables: 2,
            initial_bytes: 96 * MIB as u64,
        };
        assert_eq!(
            refuse(&big, 64 * MIB).as_deref(),
            Some("component needs 96.0 MiB of memories and tables at start; the limit is 64.0 MiB")
        );
        let fine = Footprint {
            core_instances: 13,
            memories: 2,
            tables: 4,
            initial_bytes: 14 * MIB as u64,
        };
        assert_eq!(refuse(&fine, 64 * MIB), None);
    }
}
