//! Per-connection request pacing, so a pipeline stays under a system's rate
//! limit instead of meeting its 429s.
//!
//! Requests are spaced evenly (a GCRA with no burst): the systems we talk to
//! count requests per fixed window (Freshdesk per minute), and even spacing never
//! puts more than the allowance into any window while still using all of it.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Spaces requests of one connection, shared by all its sandbox instances.
#[derive(Debug)]
pub struct RequestPacer {
    interval: Duration,
    next_free: Mutex<Option<Instant>>,
}

impl RequestPacer {
    /// At most `per_minute` requests a minute (at least one).
    pub fn per_minute(per_minute: u32) -> Self {
        Self::every(Duration::from_secs(60) / per_minute.max(1))
    }

    /// One request every `interval`.
    pub fn every(interval: Duration) -> Self {
        Self {
            interval,
            next_free: Mutex::new(None),
        }
    }

    /// The spacing in force.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Wait for this request's slot.
    pub async fn acquire(&self) {
        let slot = {
            let mut next_free = self.next_free.lock().await;
            let now = Instant::now();
            let slot = next_free.map_or(now, |t| t.max(now));
            *next_free = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_evenly() {
        let pacer = RequestPacer::per_minute(600);
        assert_eq!(pacer.interval(), Duration::from_millis(100));
        let start = Instant::now();
        for _ in 0..10 {
            pacer.acquire().await;
        }
        // The first goes at once, the tenth 900 ms later.
        assert_eq!(start.elapsed(), Duration::from_millis(900));
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_pacer_does_not_save_up_a_burst() {
        let pacer = RequestPacer::per_minute(60);
        pacer.acquire().await;
        tokio::time::sleep(Duration::from_secs(10)).await;
        let start = Instant::now();
        pacer.acquire().await;
        pacer.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_allowance() {
        let pacer = std::sync::Arc::new(RequestPacer::per_minute(120));
        let start = Instant::now();
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let pacer = pacer.clone();
                tokio::spawn(async move { pacer.acquire().await })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::from_millis(1500));
    }
}
