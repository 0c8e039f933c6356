//! Retrying what a ticket system says to retry.

use std::future::Future;
use std::time::Duration;

use triage_core::AdapterError;

/// Attempts for one call when the system says "later" (rate limit, 5xx).
const ATTEMPTS: u32 = 6;

/// Retry what the system says to retry: after `Retry-After` when given, else
/// with exponential backoff and jitter.
pub async fn retrying<T, F, Fut>(mut call: F) -> Result<T, AdapterError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AdapterError>>,
{
    let mut attempt = 0;
    loop {
        match call().await {
            Err(e) if e.is_retryable() && attempt + 1 < ATTEMPTS => {
                let wait = match &e {
                    AdapterError::RateLimited(Some(after)) => *after,
                    _ => backoff(attempt),
                };
                tracing::debug!(attempt, ?wait, "retrying after: {e}");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(200) * 2u32.pow(attempt.min(6));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    // Up to +50 % jitter so that retries of many tickets do not line up.
    base + base.mul_f64(f64::from(nanos % 1000) / 2000.0)
}
