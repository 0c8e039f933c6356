//! A backlog beyond the 300-page cap: generated fast, and fully reachable by sliding
//! `updated_since` the way the Freshdesk adapter must.

mod common;

use std::collections::HashSet;
use std::time::Instant;

use common::{Sim, next_link};
use serde_json::Value;
use triage_sim::freshdesk::{Priority, SimConfig, parse_time};
use triage_sim::generate::{GenerateOptions, generate};

#[tokio::test]
async fn backlog_past_the_page_cap_is_reachable() {
    let n = 31_000;
    let t0 = Instant::now();
    let data = generate(&GenerateOptions::new(n, 42));
    let took = t0.elapsed();
    assert_eq!(data.tickets.len(), n);
    assert!(took.as_secs_f64() < 5.0, "generation took {took:?}");
    eprintln!("generated {n} tickets in {took:?}");

    let sim = Sim::start(SimConfig::default().with_data(data)).await;
    assert_eq!(sim.handle.truths().len(), n);
    assert!(
        sim.handle
            .truths()
            .values()
            .any(|t| t.priority == Priority::Urgent)
    );

    // Scan oldest first by updated_at; at the cap, restart from the last updated_at seen
    // (inclusive, so ties are re-read and de-duplicated by id).
    let mut seen: HashSet<u64> = HashSet::new();
    let mut since = "1970-01-01T00:00:00Z".to_owned();
    let mut hit_cap = false;
    let mut calls = 0;
    loop {
        let mut url = sim.url(&format!(
            "/tickets?updated_since={since}&order_by=updated_at&order_type=asc&per_page=100"
        ));
        let mut page_no = 1;
        let mut last_updated = None;
        let mut more;
        loop {
            let r = sim
                .http
                .get(&url)
                .basic_auth(sim.handle.api_key(), Some("X"))
                .send()
                .await
                .unwrap();
            calls += 1;
            assert_eq!(r.status(), 200);
            let next = next_link(&r);
            let page: Vec<Value> = r.json().await.unwrap();
            for t in &page {
                seen.insert(t["id"].as_u64().unwrap());
                last_updated = Some(t["updated_at"].as_str().unwrap().to_owned());
            }
            more = next.is_some();
            match next {
                Some(u) if page_no < 300 => {
                    url = u;
                    page_no += 1;
                }
                _ => break,
            }
        }
        if !more {
            break;
        }
        hit_cap = true;
        let last = last_updated.unwrap();
        assert!(parse_time(&last).is_some());
        assert_ne!(last, since, "progress");
        since = last;
        let r = sim
            .get(&format!("/tickets?updated_since={since}&page=301"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
    }
    assert!(hit_cap, "the backlog must exceed 300 pages of 100");
    assert_eq!(seen.len(), n, "every ticket reached");
    eprintln!("scanned {n} tickets in {calls} calls");
}
