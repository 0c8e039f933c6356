//! Rate limits and injected faults, as an adapter sees them on the wire.

mod common;

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use common::{Sim, status, ticket};
use serde_json::json;
use triage_sim::freshdesk::{RateLimitConfig, SimConfig};
use triage_sim::{Fault, Faults};

async fn sim(config: SimConfig) -> Sim {
    let sim = Sim::start(config).await;
    sim.handle
        .insert_ticket(ticket("x", Duration::hours(1)))
        .unwrap();
    sim
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn rate_limit_headers_429_and_reset() {
    let limits = RateLimitConfig::per_minute(3).with_window(StdDuration::from_millis(1500));
    let sim = sim(SimConfig::default().with_rate_limits(limits)).await;
    let r = sim.get("/tickets/1").send().await.unwrap();
    assert_eq!(header(&r, "x-ratelimit-total"), "3");
    assert_eq!(header(&r, "x-ratelimit-remaining"), "2");
    assert_eq!(header(&r, "x-ratelimit-used-currentrequest"), "1");
    // Failed calls count too.
    let r = sim.http.get(sim.url("/tickets/1")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(header(&r, "x-ratelimit-remaining"), "1");
    // Includes cost extra on lists.
    let limits = RateLimitConfig::per_minute(10).with_window(StdDuration::from_millis(1500));
    sim.handle.set_rate_limits(limits.clone());
    let r = sim
        .get("/tickets?include=requester,stats")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&r, "x-ratelimit-used-currentrequest"), "3");
    assert_eq!(header(&r, "x-ratelimit-remaining"), "7");

    sim.handle.set_rate_limits(
        RateLimitConfig::per_minute(3).with_window(StdDuration::from_millis(1500)),
    );
    for _ in 0..3 {
        assert_eq!(status(sim.get("/tickets/1")).await, 200);
    }
    let r = sim.get("/tickets/1").send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(header(&r, "retry-after"), "2");
    assert_eq!(header(&r, "x-ratelimit-remaining"), "0");
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "rate_limit_exceeded"
    );
    tokio::time::sleep(StdDuration::from_millis(1600)).await;
    let r = sim.get("/tickets/1").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-ratelimit-remaining"), "2");
    assert_eq!(
        sim.handle
            .requests()
            .iter()
            .filter(|r| r.status == Some(429))
            .count(),
        1
    );
}

#[tokio::test]
async fn plan_sub_limits() {
    let sim = sim(SimConfig::default().with_rate_limits(RateLimitConfig::growth())).await;
    for _ in 0..20 {
        assert_eq!(status(sim.get("/tickets")).await, 200);
    }
    let r = sim.get("/tickets").send().await.unwrap();
    assert_eq!(r.status(), 429);
    let secs: u64 = header(&r, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&secs));
    // Other categories still pass while the list budget is spent.
    let r = sim
        .put("/tickets/1", json!({"priority": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-ratelimit-total"), "200");
    assert_eq!(header(&r, "x-ratelimit-remaining"), "179");
}

#[tokio::test]
async fn scripted_faults_status_drop_delay() {
    let sim = sim(SimConfig::default()).await;
    sim.handle.push_faults([
        Fault::Status(503),
        Fault::Status(500),
        Fault::Drop,
        Fault::Delay(StdDuration::from_millis(300)),
    ]);
    let r = sim.get("/tickets/1").send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("x-ratelimit-remaining"));
    assert_eq!(status(sim.get("/tickets/1")).await, 500);
    let err = sim.get("/tickets/1").send().await.unwrap_err();
    assert!(!err.is_status(), "{err}");
    let t0 = Instant::now();
    assert_eq!(status(sim.get("/tickets/1")).await, 200);
    assert!(t0.elapsed() >= StdDuration::from_millis(300));
    assert_eq!(status(sim.get("/tickets/1")).await, 200);

    let log = sim.handle.requests();
    let statuses: Vec<_> = log.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(503), Some(500), None, Some(200), Some(200)]);
    assert_eq!(log.iter().filter(|r| r.injected).count(), 3);
}

#[tokio::test]
async fn random_faults_are_seeded() {
    let sim = sim(SimConfig::default().with_faults(Faults::errors(0.3, 11))).await;
    let mut run = Vec::new();
    for _ in 0..60 {
        run.push(status(sim.get("/tickets/1")).await);
    }
    let errors = run.iter().filter(|s| **s >= 500).count();
    assert!((6..=35).contains(&errors), "{errors}");
    assert!(run.iter().all(|s| [200, 500, 503].contains(s)));

    sim.handle.set_faults(Faults::errors(0.3, 11));
    let mut again = Vec::new();
    for _ in 0..60 {
        again.push(status(sim.get("/tickets/1")).await);
    }
    assert_eq!(run, again, "same seed, same faults");

    sim.handle.set_faults(Faults::drops(1.0, 1));
    assert!(sim.get("/tickets/1").send().await.is_err());
    sim.handle.clear_faults();
    assert_eq!(status(sim.get("/tickets/1")).await, 200);

    sim.handle
        .set_faults(Faults::latency(StdDuration::from_millis(150)));
    let t0 = Instant::now();
    assert_eq!(status(sim.get("/tickets/1")).await, 200);
    assert!(t0.elapsed() >= StdDuration::from_millis(150));
}
