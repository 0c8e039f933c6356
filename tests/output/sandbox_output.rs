//! The output budget: an adapter that floods the `log` import or WASI stdout/stderr gets a
//! bounded share of the operator's log (at the default level, info), one record saying how
//! much was dropped, and one `log_flood` fault; one guest line is at most one record.
//!
//! Log lines are captured into one buffer for the binary; the tests run one at a time, so
//! each measures its own share.

use std::sync::Arc;

use triage_core::{SandboxFault, TicketAdapter};
use triage_host::WasmAdapter;
use triage_host::output::{PER_CALL, PER_INSTANCE};
use triage_service::metrics::Metrics;
use triage_tests::server::TestServer;
use triage_tests::{Connection, load, native};

use crate::ONE_AT_A_TIME;

/// Bytes logged so far (capturing from the first call on, at the default level).
fn logged_len() -> usize {
    triage_tests::capture::start(crate::LOG_FILTER);
    triage_tests::capture::len()
}

fn logged_since(start: usize) -> String {
    triage_tests::capture::since(start)
}

/// An adapter whose contained faults are counted in `metrics` as the service counts them.
async fn counted(name: &str, base_url: &str, metrics: &Arc<Metrics>) -> WasmAdapter {
    let adapter = Connection::to(base_url).connect(&load(name)).await;
    let metrics = metrics.clone();
    adapter.report_faults(Arc::new(move |kind: SandboxFault| {
        metrics.sandbox_fault("test", kind.as_str())
    }));
    adapter
}

fn log_floods(metrics: &Metrics) -> String {
    metrics
        .encode()
        .lines()
        .find(|l| l.contains(r#"kind="log_flood""#))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_flood_is_cut_to_the_call_budget_with_one_record_and_one_fault() {
    let _one = ONE_AT_A_TIME.lock().await;
    logged_len();
    let server = TestServer::start().await;
    let metrics = Metrics::shared();
    let adapter = counted("probe", &server.url(), &metrics).await;

    // 100 000 lines of 1000 bytes: 100 MB asked for.
    let start = logged_len();
    let page = adapter
        .find_tickets(&native("flood:100000:1000"), None)
        .await
        .expect("a flood does not fail the call");
    assert_eq!(page.tickets[0].subject, "100000 lines");
    let logged = logged_since(start);

    // 65 lines of 1000 bytes fit in the 64 KiB a call may log; the rest is dropped.
    let kept = logged
        .lines()
        .filter(|l| l.contains(&"f".repeat(1000)))
        .count();
    assert_eq!(kept, PER_CALL.bytes / 1000);
    let dropped = format!(
        "{} lines ({} bytes) of adapter output dropped",
        100_000 - kept,
        (100_000 - kept) * 1000
    );
    assert_eq!(logged.matches(&dropped).count(), 1, "{dropped}\n{logged}");
    // Stated bound: at most twice the call's byte budget reaches the log.
    println!(
        "guest wrote {} bytes, the log got {} ({:.5} of it)",
        100_000 * 1000,
        logged.len(),
        logged.len() as f64 / 1e8
    );
    assert!(logged.len() < 2 * PER_CALL.bytes, "{} bytes", logged.len());
    assert_eq!(
        log_floods(&metrics),
        r#"triage_sandbox_faults_total{connection="test",kind="log_flood"} 1"#
    );

    // A call within budget logs all its lines and counts nothing.
    let start = logged_len();
    adapter
        .find_tickets(&native("flood:3:20"), None)
        .await
        .unwrap();
    let logged = logged_since(start);
    assert_eq!(logged.matches(&"f".repeat(20)).count(), 3, "{logged}");
    assert!(!logged.contains("dropped"), "{logged}");
    assert!(log_floods(&metrics).ends_with(" 1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wasi_output_is_one_record_a_line_within_the_budget() {
    let _one = ONE_AT_A_TIME.lock().await;
    logged_len();
    let metrics = Metrics::shared();
    let adapter = counted("wasi-probe", "http://127.0.0.1:9", &metrics).await;

    // 5000 stdout lines written a byte at a time, 5000 stderr lines one write each.
    let start = logged_len();
    adapter
        .find_tickets(&native("flood:5000"), None)
        .await
        .unwrap();
    let logged = logged_since(start);
    let records = |stream: &str| logged.lines().filter(|l| l.contains(stream)).count();
    // Short lines are charged as records: the call's 256 lines, stdout's all, whole.
    assert_eq!(records("stdout"), PER_CALL.lines, "{logged}");
    assert_eq!(records("stderr"), 0);
    assert!(
        logged
            .lines()
            .filter(|l| l.contains("stdout"))
            .all(|l| l.contains(" o ") || l.contains(": o")),
        "one record per guest line, the line whole:\n{logged}"
    );
    let dropped = 10_000 - PER_CALL.lines;
    assert!(
        logged.contains(&format!(
            "{dropped} lines ({dropped} bytes) of adapter output dropped"
        )),
        "{logged}"
    );
    println!(
        "guest wrote 20000 bytes in 15000 writes, the log got {} bytes in {} records",
        logged.len(),
        logged.lines().count()
    );
    assert!(logged.len() < PER_CALL.bytes, "{} bytes", logged.len());
    assert!(log_floods(&metrics).ends_with(" 1"), "{}", metrics.encode());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_that_spent_its_budget_is_replaced() {
    let _one = ONE_AT_A_TIME.lock().await;
    // Logging at info from here on (a level nobody logs is not charged).
    logged_len();
    let server = TestServer::start().await;
    let metrics = Metrics::shared();
    let adapter = counted("probe", &server.url(), &metrics).await;
    // Each call logs 250 short lines, within the call's budget; over calls, the instance's
    // allowance (4096 lines) runs out in the 17th, which then drops and is counted once;
    // the 18th runs on a fresh instance and logs all its lines again.
    let per_call = 250;
    let calls = PER_INSTANCE.lines / per_call + 1;
    for _ in 0..calls {
        adapter
            .find_tickets(&native(&format!("flood:{per_call}:8")), None)
            .await
            .unwrap();
    }
    assert!(log_floods(&metrics).ends_with(" 1"), "{}", metrics.encode());
    let start = logged_len();
    adapter
        .find_tickets(&native(&format!("flood:{per_call}:8")), None)
        .await
        .unwrap();
    let logged = logged_since(start);
    assert_eq!(logged.matches("ffffffff").count(), per_call);
    assert!(log_floods(&metrics).ends_with(" 1"));
}
