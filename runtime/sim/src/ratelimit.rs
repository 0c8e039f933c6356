//! Per-window, per-account rate limits, shared by the simulators.
//!
//! Modelled on Freshdesk's, the one reference that documents limits: plans differ (Growth
//! 200/min with sub-limits for list/update/create calls), failed calls count too, and an
//! exceeded limit answers 429 with `Retry-After`. A fixed window whose length is configurable
//! lets tests hit the limit and see it lift within a second instead of a minute. Simulators of
//! systems with a single limit use [`RateLimitConfig::per_minute`] and `Category::Other`.

use std::time::{Duration, Instant};

/// Limits per window; `None` sub-limits mean "only the total applies".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Credits per window for all calls together.
    pub total: u32,
    /// Sub-limit for listing calls (`GET /tickets`, `GET /search/tickets`).
    pub list: Option<u32>,
    /// Sub-limit for `PUT` calls.
    pub update: Option<u32>,
    /// Sub-limit for `POST` calls (notes).
    pub create: Option<u32>,
    /// Extra credits each `include=` value costs on a list call.
    pub include_cost: u32,
    /// Window length (60 s on the real service).
    pub window: Duration,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self::unlimited()
    }
}

impl RateLimitConfig {
    /// Effectively no limit (`u32::MAX` per window); the headers are still sent.
    pub fn unlimited() -> Self {
        Self::per_minute(u32::MAX)
    }

    /// A total limit per minute, no sub-limits.
    pub fn per_minute(total: u32) -> Self {
        Self {
            total,
            list: None,
            update: None,
            create: None,
            include_cost: 1,
            window: Duration::from_secs(60),
        }
    }

    /// Growth plan: 200/min; create 80, update 80, list 20.
    pub fn growth() -> Self {
        Self::plan(200, 20, 80, 80)
    }

    /// Pro plan: 400/min; create 160, update 160, list 100.
    pub fn pro() -> Self {
        Self::plan(400, 100, 160, 160)
    }

    /// Enterprise plan: 700/min; create 280, update 280, list 200.
    pub fn enterprise() -> Self {
        Self::plan(700, 200, 280, 280)
    }

    /// A named plan: growth, pro or enterprise.
    pub fn by_plan(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "growth" => Some(Self::growth()),
            "pro" => Some(Self::pro()),
            "enterprise" => Some(Self::enterprise()),
            _ => None,
        }
    }

    fn plan(total: u32, list: u32, update: u32, create: u32) -> Self {
        Self {
            list: Some(list),
            update: Some(update),
            create: Some(create),
            ..Self::per_minute(total)
        }
    }

    /// The same limits over another window length.
    pub fn with_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }
}

/// Which sub-limit a call draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Category {
    List,
    Update,
    Create,
    Other,
}

/// The header values for one reply, and whether it is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub total: u32,
    pub remaining: u32,
    pub used_current: u32,
    /// `Some(seconds)` when the call is refused.
    pub retry_after: Option<u64>,
}

/// Fixed-window counters.
#[derive(Debug)]
pub(crate) struct Limiter {
    config: RateLimitConfig,
    window_start: Instant,
    used: [u32; 4],
}

impl Limiter {
    pub fn new(config: RateLimitConfig) -> Self {
        Self {
            config,
            window_start: Instant::now(),
            used: [0; 4],
        }
    }

    pub fn config(&self) -> &RateLimitConfig {
        &self.config
    }

    /// Charges `cost` credits to the total and the category, or refuses the call.
    pub fn check(&mut self, category: Category, cost: u32, now: Instant) -> Verdict {
        let window = self.config.window.max(Duration::from_millis(1));
        if now.duration_since(self.window_start) >= window {
            self.window_start = now;
            self.used = [0; 4];
        }
        let total = self.config.total;
        let sub = match category {
            Category::List => self.config.list,
            Category::Update => self.config.update,
            Category::Create => self.config.create,
            Category::Other => None,
        };
        let cat = category as usize;
        let over_total = self.used[3].saturating_add(cost) > total;
        let over_sub = sub.is_some_and(|limit| self.used[cat].saturating_add(cost) > limit);
        if over_total || over_sub {
            let left = window.saturating_sub(now.duration_since(self.window_start));
            return Verdict {
                total,
                remaining: total.saturating_sub(self.used[3]),
                used_current: 0,
                retry_after: Some(left.as_secs_f64().ceil().max(1.0) as u64),
            };
        }
        self.used[3] += cost;
        if category != Category::Other {
            self.used[cat] += cost;
        }
        Verdict {
            total,
            remaining: total - self.used[3],
            used_current: cost,
            retry_after: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_limit_and_reset() {
        let mut l = Limiter::new(RateLimitConfig::per_minute(2));
        let t0 = Instant::now();
        assert_eq!(l.check(Category::Other, 1, t0).remaining, 1);
        assert_eq!(l.check(Category::Other, 1, t0).remaining, 0);
        let v = l.check(Category::Other, 1, t0);
        assert_eq!(v.retry_after, Some(60));
        let later = t0 + Duration::from_secs(61);
        assert_eq!(l.check(Category::Other, 1, later).retry_after, None);
    }

    #[test]
    fn sub_limit_applies_per_category() {
        let mut l = Limiter::new(RateLimitConfig::growth());
        let t0 = Instant::now();
        for _ in 0..20 {
            assert!(l.check(Category::List, 1, t0).retry_after.is_none());
        }
        assert!(l.check(Category::List, 1, t0).retry_after.is_some());
        assert!(l.check(Category::Update, 1, t0).retry_after.is_none());
    }
}
