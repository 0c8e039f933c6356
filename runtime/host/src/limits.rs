//! Per-adapter bounds, and the memory limiter that enforces one of them.

use std::time::Duration;

/// Bounds on one adapter's calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxLimits {
    /// Linear memory an instance may grow to (default 64 MiB).
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

/// Refuses memory growth past the limit and remembers that it did, so the host
/// can report "memory" rather than a generic trap.
#[derive(Debug)]
pub(crate) struct MemoryLimiter {
    max_bytes: usize,
    pub(crate) exceeded: bool,
}

impl MemoryLimiter {
    pub(crate) fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes,
            exceeded: false,
        }
    }
}

impl wasmtime::ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_bytes {
            self.exceeded = true;
            // Trap instead of returning -1: a guest that ignores allocation
            // failure must not limp on with a corrupt heap.
            return Err(wasmtime::Error::msg(format!(
                "memory limit of {} bytes exceeded (asked for {desired})",
                self.max_bytes
            )));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::ResourceLimiter;

    #[test]
    fn growth_within_the_limit_is_allowed() {
        let mut l = MemoryLimiter::new(1 << 20);
        assert!(l.memory_growing(0, 1 << 20, None).unwrap());
        assert!(!l.exceeded);
    }

    #[test]
    fn growth_past_the_limit_traps_and_is_remembered() {
        let mut l = MemoryLimiter::new(1 << 20);
        assert!(l.memory_growing(1 << 20, (1 << 20) + 65536, None).is_err());
        assert!(l.exceeded);
    }
}
