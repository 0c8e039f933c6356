//! The per-instance resource budget against the built probe with extra core instances, each
//! with its own memory that its start function fills: one budget for all memories and tables
//! of an instance, and low caps on how many it may create. A component over them is refused
//! with the numbers while the process's resident memory stays bounded (read from
//! `/proc/self/status`); without the budget, each memory would be held under a per-memory
//! limit and the total would be the sum.
//!
//! The tests of this binary run one at a time, so each one's peak is its own.

use tokio::sync::Mutex;
use triage_core::{SandboxFault, TicketAdapter, TicketQuery};
use triage_host::{HostError, MAX_MEMORIES, SandboxLimits};
use triage_tests::server::TestServer;
use triage_tests::{Connection, hostile, sandbox};

const MIB: u64 = 1 << 20;
const PAGES_PER_MIB: u32 = 16;

static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// A field of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"));
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

/// Resident memory now, after resetting the peak (VmHWM) to it.
fn reset_peak() -> u64 {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak resident size");
    status_bytes("VmRSS:")
}

/// How far the peak rose above `baseline`.
fn peak_above(baseline: u64) -> u64 {
    status_bytes("VmHWM:").saturating_sub(baseline)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_memories_of_64_mib_are_refused_before_any_is_allocated() {
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    // 40 × 64 MiB: 2.5 GiB resident if it were started.
    let path = hostile::probe_with_memories(dir.path(), "many-memories", 40, 64 * PAGES_PER_MIB, 0);
    let loaded = sandbox().load(&path, None).expect("it compiles");
    let needs = loaded.footprint().memories;
    assert!(needs > 40, "{:?}", loaded.footprint());

    let baseline = reset_peak();
    let err = Connection::to("http://127.0.0.1:9")
        .try_connect(&loaded)
        .await
        .err()
        .expect("refused");
    let peak = peak_above(baseline);
    let message = err.to_string();
    assert!(matches!(err, HostError::Instantiate { .. }), "{message}");
    assert!(message.contains("many-memories.wasm"), "{message}");
    assert!(message.contains("(memory)"), "a memory fault: {message}");
    assert!(
        message.contains(&format!(
            "component needs {needs} memories; the limit is {MAX_MEMORIES}"
        )),
        "{message}"
    );
    // Stated bound: refused before instantiation, so nothing near one memory is resident.
    println!("peak above baseline: {} MiB", peak / MIB);
    assert!(peak < 32 * MIB, "peak rose {} MiB", peak / MIB);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memories_each_under_the_limit_are_stopped_when_their_sum_is_over_it() {
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let limits = SandboxLimits::default();
    let limit = limits.memory_bytes as u64;
    // Two extra memories grown to 40 MiB each: either alone is under the 64 MiB budget,
    // together (with the probe's own) they are over it.
    let path = hostile::probe_with_memories(dir.path(), "two-hogs", 2, 1, 40 * PAGES_PER_MIB);
    let loaded = sandbox().load(&path, None).expect("it compiles");
    assert!(
        loaded.footprint().initial_bytes < limit,
        "{:?}",
        loaded.footprint()
    );

    let baseline = reset_peak();
    let mut connection = Connection::to("http://127.0.0.1:9");
    connection.sandbox = limits;
    let err = connection
        .try_connect(&loaded)
        .await
        .err()
        .expect("refused");
    let peak = peak_above(baseline);
    let message = err.to_string();
    assert!(message.contains("(memory)"), "a memory fault: {message}");
    assert!(
        message.contains("after growing a memory; the limit is 64.0 MiB"),
        "{message}"
    );
    // Stated bound: the budget (64 MiB) plus 32 MiB for the host's own allocations.
    println!(
        "peak above baseline: {} MiB (budget {} MiB)",
        peak / MIB,
        limit / MIB
    );
    assert!(peak < limit + 32 * MIB, "peak rose {} MiB", peak / MIB);

    // The same component with a budget that holds both memories starts and serves.
    let server = TestServer::start().await;
    server.set_tickets(serde_json::json!([{"id": 1, "subject": "s"}]));
    let mut roomy = Connection::to(&server.url());
    roomy.sandbox.memory_bytes = 128 << 20;
    let adapter = roomy.try_connect(&loaded).await.expect("fits in 128 MiB");
    let page = adapter
        .find_tickets(&TicketQuery::default(), None)
        .await
        .unwrap();
    assert_eq!(page.tickets.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn growth_in_a_call_counts_every_memory_of_the_instance() {
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    // One extra memory of 40 MiB held from the start; the probe's own allocation in a call
    // then reaches the 64 MiB budget at about 24 MiB instead of 64.
    let path = hostile::probe_with_memories(dir.path(), "one-hog", 1, 1, 40 * PAGES_PER_MIB);
    let loaded = sandbox().load(&path, None).expect("it compiles");
    let server = TestServer::start().await;
    let adapter = Connection::to(&server.url()).connect(&loaded).await;
    let baseline = reset_peak();
    let err = adapter
        .find_tickets(
            &TicketQuery {
                native: Some("alloc".into()),
                ..TicketQuery::default()
            },
            None,
        )
        .await
        .unwrap_err();
    let peak = peak_above(baseline);
    assert!(
        matches!(
            &err,
            triage_core::AdapterError::Sandbox {
                kind: SandboxFault::Memory,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("the limit is 64.0 MiB"), "{err}");
    println!("peak above baseline: {} MiB", peak / MIB);
    assert!(peak < 40 * MIB, "peak rose {} MiB", peak / MIB);
}

#[tokio::test]
async fn the_shipped_adapters_fit_the_caps() {
    use triage_host::{MAX_CORE_INSTANCES, MAX_TABLES};
    for name in [
        "freshdesk",
        "zammad",
        "otobo",
        "rt",
        "redmine",
        "probe",
        "wasi-probe",
    ] {
        let f = *triage_tests::load(name).footprint();
        println!("{name}: {f:?}");
        assert!(f.memories <= MAX_MEMORIES as u64, "{name}: {f:?}");
        assert!(f.tables <= MAX_TABLES as u64, "{name}: {f:?}");
        assert!(
            f.core_instances <= MAX_CORE_INSTANCES as u64,
            "{name}: {f:?}"
        );
        assert!(
            f.initial_bytes < SandboxLimits::default().memory_bytes as u64,
            "{name}: {f:?}"
        );
    }
}
