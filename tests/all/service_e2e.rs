//! The service end to end, in process: `triage.yml` → config → sandboxed
//! freshdesk.wasm → bundled models → SQLite state, against the Freshdesk
//! simulator over loopback.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use triage_pipeline::{NoObserver, Summary};
use triage_sim::Faults;
use triage_sim::freshdesk::{FreshdeskSim, RateLimitConfig, SimConfig, SimHandle};
use triage_sim::generate::{GenerateOptions, generate};
use triage_tests::freshdesk;
use triage_tests::service::{ConfigDir, classify_all, successful_writes};

const SINCE: &str = "    source: { since: 2000-01-01T00:00:00Z }\n";

async fn run_once(config: &std::path::Path) -> Summary {
    let config = triage_config::load(config).expect("the configuration loads");
    let mut results =
        triage_service::run_once(&config, &[], Arc::new(NoObserver), CancellationToken::new())
            .await
            .expect("run starts");
    assert_eq!(results.len(), 1);
    let result = results.remove(0);
    result.result.expect("the pass completes")
}

fn assert_every_ticket_written_once(sim: &SimHandle, tickets: usize) {
    let writes = successful_writes(sim);
    assert_eq!(writes.len(), tickets, "tickets written");
    let wrong: Vec<_> = writes.iter().filter(|(_, w)| **w != (1, 1)).collect();
    assert!(
        wrong.is_empty(),
        "written more or less than once: {wrong:?}"
    );
    for t in sim.tickets() {
        assert!(t.group_id.is_some(), "ticket {} has no queue", t.id);
        assert!(t.tags.iter().any(|tag| tag == "triage"), "ticket {}", t.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_of_2000_is_written_exactly_once_and_a_second_run_changes_nothing() {
    const TICKETS: usize = 2000;
    let sim = freshdesk::start_generated(TICKETS, 21).await;
    let mut dir = ConfigDir::new();
    dir.freshdesk("helpdesk", &sim, "{ concurrency: 4 }")
        .pipeline("inbox", &classify_all("helpdesk", SINCE));
    let config = dir.write();

    let first = run_once(&config).await;
    assert_eq!(
        (first.fetched, first.updated, first.failed),
        (TICKETS, TICKETS, 0)
    );
    assert_every_ticket_written_once(&sim, TICKETS);
    let requests_after_first = sim.requests().len();

    let second = run_once(&config).await;
    assert_eq!((second.updated, second.failed), (0, 0), "{second:?}");
    assert_eq!(second.skipped, second.fetched);
    assert_every_ticket_written_once(&sim, TICKETS);
    let writes_in_second: Vec<_> = sim.requests()[requests_after_first..]
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(writes_in_second.is_empty(), "{writes_in_second:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_storms_and_server_errors_lose_nothing() {
    const TICKETS: usize = 300;
    let data = generate(&GenerateOptions::new(TICKETS, 22));
    // 40 requests a second, while a tenth of all requests fail with a 5xx.
    let sim = FreshdeskSim::start(
        SimConfig::default()
            .with_data(data)
            .with_rate_limits(RateLimitConfig::per_minute(40).with_window(Duration::from_secs(1)))
            .with_faults(Faults::errors(0.1, 5)),
    )
    .await
    .expect("simulator starts");
    let mut dir = ConfigDir::new();
    dir.freshdesk("helpdesk", &sim, "{ concurrency: 4 }")
        .pipeline("inbox", &classify_all("helpdesk", SINCE));
    let config = dir.write();

    let mut summary = run_once(&config).await;
    // A ticket whose every retry met a fault is retried by the next pass.
    for _ in 0..3 {
        if summary.failed == 0 {
            break;
        }
        summary = run_once(&config).await;
    }
    assert_eq!(summary.failed, 0, "{summary:?}");
    let statuses: Vec<Option<u16>> = sim.requests().iter().map(|r| r.status).collect();
    assert!(statuses.contains(&Some(429)), "the limit was met");
    assert!(
        statuses.iter().any(|s| s.is_some_and(|s| s >= 500)),
        "faults happened"
    );
    let writes = successful_writes(&sim);
    assert_eq!(writes.len(), TICKETS);
    let twice: Vec<&String> = writes
        .iter()
        .filter(|(_, (puts, _))| *puts != 1)
        .map(|(id, _)| id)
        .collect();
    let history: Vec<String> = sim
        .requests()
        .iter()
        .filter(|r| {
            twice
                .iter()
                .any(|id| r.path.contains(&format!("/tickets/{id}")))
        })
        .map(|r| format!("{} {} {} {:?}", r.seq, r.method, r.path, r.status))
        .collect();
    assert!(
        twice.is_empty(),
        "updated twice: {twice:?}\n{}",
        history.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_changes_nothing_and_records_its_decisions() {
    const TICKETS: usize = 150;
    let sim = freshdesk::start_generated(TICKETS, 23).await;
    let before = sim.tickets();
    let mut dir = ConfigDir::new();
    dir.freshdesk("helpdesk", &sim, "{ concurrency: 2 }")
        .pipeline(
            "inbox",
            &classify_all("helpdesk", &format!("{SINCE}    dry_run: true\n")),
        );
    let config = dir.write();
    let summary = run_once(&config).await;
    assert_eq!((summary.dry_run, summary.updated), (TICKETS, 0));
    assert!(sim.requests().iter().all(|r| r.method == "GET"));
    assert_eq!(sim.tickets(), before);

    let store = triage_state::SqliteStore::open(dir.path().join("state.db")).unwrap();
    use triage_state::StateStore;
    let counts = store.counts("inbox").await.unwrap();
    assert_eq!(counts["dry_run"], TICKETS as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn low_confidence_goes_to_the_fallback_queue() {
    const TICKETS: usize = 150;
    let sim = freshdesk::start_generated(TICKETS, 24).await;
    let mut dir = ConfigDir::new();
    dir.freshdesk("helpdesk", &sim, "{ concurrency: 2 }").pipeline(
        "inbox",
        &format!(
            "    connection: helpdesk\n{SINCE}    steps:\n      - {{ field: queue, model: queue, threshold: 1.0, fallback: {{ set: General Inquiry }} }}\n    write: {{ tag: triage }}\n"
        ),
    );
    let config = dir.write();
    let summary = run_once(&config).await;
    assert_eq!(summary.updated, TICKETS);
    let fallback = sim.group_id("General Inquiry").expect("group exists");
    assert!(sim.tickets().iter().all(|t| t.group_id == Some(fallback)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_adapter_does_not_stop_the_other_pipelines() {
    const TICKETS: usize = 200;
    let sim = freshdesk::start_generated(TICKETS, 25).await;
    let mut dir = ConfigDir::new();
    dir.freshdesk("helpdesk", &sim, "{ concurrency: 2 }")
        .pipeline("inbox", &classify_all("helpdesk", SINCE))
        // The probe spins forever in find-tickets: the sandbox stops it at its deadline.
        .other("hostile", "probe", "http://127.0.0.1:9", "{ deadline: 1s }")
        .pipeline(
            "spinning",
            "    connection: hostile\n    source: { native: loop }\n    schedule: { every: 1s }\n    steps:\n      - { field: queue, model: queue }\n",
        );
    let config = dir.write();
    let service = triage_service::Service::start(&config)
        .await
        .expect("service starts");

    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let inbox = service.board().get("inbox").expect("inbox");
        let spinning = service.board().get("spinning").expect("spinning");
        if inbox.runs >= 1 && spinning.runs >= 2 {
            assert_eq!(inbox.totals.updated, TICKETS as u64, "{inbox:?}");
            let error = spinning.last_error.expect("the hostile pass failed");
            assert!(error.contains("deadline"), "{error}");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{inbox:?} {spinning:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let metrics = service.metrics().encode();
    assert!(
        metrics.contains(r#"triage_sandbox_faults_total{connection="hostile",kind="deadline"}"#),
        "{metrics}"
    );
    service.shutdown().await;
    assert_every_ticket_written_once(&sim, TICKETS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_adapter_file_is_swapped_in_and_a_pin_refuses_a_changed_file() {
    let sim = freshdesk::start_generated(20, 26).await;
    let mut dir = ConfigDir::new();
    dir.freshdesk("helpdesk", &sim, "{ concurrency: 1 }")
        .pipeline("inbox", &classify_all("helpdesk", SINCE));
    let config = dir.write();
    // The adapter from a copy the test can change.
    let copy = dir.path().join("freshdesk.wasm");
    let original = std::fs::read(triage_tests::adapter_file("freshdesk")).unwrap();
    std::fs::write(&copy, &original).unwrap();
    let text = std::fs::read_to_string(&config).unwrap();
    let original_path = triage_tests::adapter_file("freshdesk")
        .display()
        .to_string();
    std::fs::write(
        &config,
        text.replace(&original_path, &copy.display().to_string()),
    )
    .unwrap();

    let service = triage_service::Service::start(&config)
        .await
        .expect("service starts");
    assert!(
        service.reload_changed_adapters().await.is_empty(),
        "nothing changed yet"
    );
    // A new build of the adapter (here: the same bytes plus a custom section).
    let mut rebuilt = original.clone();
    rebuilt.extend_from_slice(&[0, 6, 5, b'b', b'u', b'i', b'l', b'd']);
    std::fs::write(&copy, &rebuilt).unwrap();
    assert_eq!(service.reload_changed_adapters().await, ["helpdesk"]);
    service.shutdown().await;

    // Pinned to the original: the rebuilt file is refused, the old adapter stays.
    let digest = {
        use std::fmt::Write;
        let mut hex = String::new();
        let hash = <sha2::Sha256 as sha2::Digest>::digest(&original);
        for b in hash {
            write!(hex, "{b:02x}").unwrap();
        }
        hex
    };
    std::fs::write(&copy, &original).unwrap();
    let text = std::fs::read_to_string(&config).unwrap();
    let pinned = text.replacen(
        "    base_url:",
        &format!("    sha256: \"{digest}\"\n    base_url:"),
        1,
    );
    std::fs::write(&config, pinned).unwrap();
    let service = triage_service::Service::start(&config)
        .await
        .expect("service starts");
    std::fs::write(&copy, &rebuilt).unwrap();
    assert!(
        service.reload_changed_adapters().await.is_empty(),
        "a pinned file that changed is refused"
    );
    let inbox = service.board().get("inbox").unwrap();
    assert_ne!(inbox.state, triage_service::status::State::Unavailable);
    service.shutdown().await;
}
