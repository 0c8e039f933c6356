//! Service benchmarks, printed as one table (no timing assertions):
//! - drain rate against a rate-limited simulator, as a share of the allowed rate;
//! - tickets/s end to end without a limit;
//! - resident memory of `triage serve` with three pipelines.
//!
//! `cargo bench -p triage-cli --bench service` (env: BENCH_TICKETS, default 10000;
//! BENCH_RATE requests/s allowed, default 100).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use triage_pipeline::NoObserver;
use triage_sim::freshdesk::{FreshdeskSim, RateLimitConfig, SimConfig, SimHandle};
use triage_sim::generate::{GenerateOptions, generate};
use triage_tests::service::{ConfigDir, classify_all};

const SINCE: &str = "    source: { since: 2000-01-01T00:00:00Z }\n";

fn env_number(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn sim(tickets: usize, seed: u64, limits: RateLimitConfig) -> SimHandle {
    FreshdeskSim::start(
        SimConfig::default()
            .with_data(generate(&GenerateOptions::new(tickets, seed)))
            .with_rate_limits(limits),
    )
    .await
    .expect("simulator starts")
}

async fn drain(sim: &SimHandle, limits: &str) -> (f64, usize, usize) {
    let mut dir = ConfigDir::new();
    dir.freshdesk("helpdesk", sim, limits)
        .pipeline("inbox", &classify_all("helpdesk", SINCE));
    let config = triage_config::load(&dir.write()).expect("config");
    let started = Instant::now();
    let results =
        triage_service::run_once(&config, &[], Arc::new(NoObserver), CancellationToken::new())
            .await
            .expect("run");
    let seconds = started.elapsed().as_secs_f64();
    let summary = results[0].result.as_ref().expect("pass");
    (seconds, summary.fetched, summary.updated)
}

/// Requests per second the simulator answered, between its first and last request.
fn request_rate(sim: &SimHandle) -> (usize, usize, f64) {
    let requests = sim.requests();
    let limited = requests.iter().filter(|r| r.status == Some(429)).count();
    let first = requests.iter().map(|r| r.at).min().expect("requests");
    let last = requests.iter().map(|r| r.at).max().expect("requests");
    let seconds = ((last - first).num_microseconds().unwrap_or(0) as f64 / 1e6).max(1e-9);
    (
        requests.len(),
        limited,
        (requests.len() - 1) as f64 / seconds,
    )
}

fn rss_of_serve(config: &std::path::Path, settle: Duration) -> (u64, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_triage"))
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("triage serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    std::thread::sleep(settle);
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    let result = (field("VmRSS:"), field("VmHWM:"));
    let _ = child.kill();
    let _ = child.wait();
    result
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let tickets = env_number("BENCH_TICKETS", 10_000) as usize;
    let rate = env_number("BENCH_RATE", 100);
    println!("service benchmarks, {tickets} tickets, release build, this machine");

    // 1. Rate-limited: the simulator allows `rate` requests a second; the
    // connection is configured with the same allowance.
    let limited = sim(
        tickets,
        41,
        RateLimitConfig::per_minute(rate).with_window(Duration::from_secs(1)),
    )
    .await;
    let (seconds, fetched, updated) = drain(
        &limited,
        &format!("{{ concurrency: 4, requests_per_minute: {} }}", rate * 60),
    )
    .await;
    let (requests, got_429, achieved) = request_rate(&limited);
    println!(
        "rate-limited drain: {fetched} fetched, {updated} updated in {seconds:.1} s; {requests} requests, {got_429} answered 429; {achieved:.1} req/s of {rate} allowed = {:.1} %",
        100.0 * achieved / f64::from(rate)
    );

    // 2. No limit: tickets/s end to end (list, classify, update, note, record).
    let open = sim(tickets, 42, RateLimitConfig::unlimited()).await;
    let (seconds, fetched, updated) = drain(&open, "{ concurrency: 4 }").await;
    println!(
        "unlimited drain: {fetched} fetched, {updated} updated in {seconds:.1} s = {:.0} tickets/s end to end",
        fetched as f64 / seconds
    );

    // 3. RSS of `triage serve` with three pipelines on three connections.
    let sims = [
        sim(1000, 43, RateLimitConfig::unlimited()).await,
        sim(1000, 44, RateLimitConfig::unlimited()).await,
        sim(1000, 45, RateLimitConfig::unlimited()).await,
    ];
    let mut dir = ConfigDir::new();
    for (i, s) in sims.iter().enumerate() {
        let name = format!("helpdesk{i}");
        dir.freshdesk(&name, s, "{ concurrency: 4 }")
            .pipeline(&format!("inbox{i}"), &classify_all(&name, SINCE));
    }
    let (rss, peak) = rss_of_serve(&dir.write(), Duration::from_secs(20));
    println!(
        "triage serve, 3 pipelines after their first passes over 3 × 1,000 tickets: RSS {rss} MiB, peak {peak} MiB (goal ≤ 150)"
    );
}
