//! The conformance suite against the Freshdesk simulator, with `dist/adapters/freshdesk.wasm`
//! loaded by the real host and reaching the simulator through the real gateway.
//! Every test starts its own simulator on 127.0.0.1 with an OS-assigned port.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use triage_core::{
    AdapterError, EntityRef, StatusCategory, TagOp, TicketAdapter, TicketPatch, TicketQuery,
};
use triage_sim::freshdesk::SimHandle;
use triage_tests::conformance::{self, SimulatorProbe};
use triage_tests::freshdesk::{connect, connection, some_ticket_id, start_generated};
use triage_tests::load;

async fn small() -> (SimHandle, triage_host::WasmAdapter, String) {
    let sim = start_generated(60, 11).await;
    let adapter = connect(&sim).await;
    let id = some_ticket_id(&sim);
    (sim, adapter, id)
}

#[tokio::test]
async fn describes_itself() {
    let (_sim, adapter, _) = small().await;
    let info = adapter.info();
    assert_eq!(info.name, "freshdesk");
    assert_eq!(info.max_page_size, 100);
    assert!(
        info.capabilities.tags
            && info.capabilities.internal_notes
            && info.capabilities.native_search
    );
}

/// Small pages make the 300-page cap come quickly: 3,500 tickets in pages of 10.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ticket_once_across_the_page_cap_with_small_pages() {
    let sim = start_generated(3_500, 3).await;
    let adapter = connect(&sim).await;
    let scan = conformance::check_every_ticket_once(&adapter, &sim, 10).await;
    assert!(
        scan.pages > 300,
        "the scan must pass the cap: {} pages",
        scan.pages
    );
    let windows: HashSet<String> = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v2/tickets")
        .filter_map(|r| r.query_param("updated_since"))
        .collect();
    assert!(windows.len() >= 2, "updated_since slid: {windows:?}");
    assert!(
        sim.requests().iter().all(|r| r.status != Some(400)),
        "no page past the cap was asked for"
    );
}

/// The backlog: more than 300 pages × 100 tickets, scanned through the sandbox, then
/// the same pages fetched raw with reqwest for comparison (printed, not asserted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backlog_beyond_300_pages_of_100_found_exactly_once() {
    let n = 31_000;
    let started = Instant::now();
    let sim = start_generated(n, 42).await;
    let generated = started.elapsed();
    let adapter = connect(&sim).await;
    sim.clear_requests();
    let scan = conformance::check_every_ticket_once(&adapter, &sim, 100).await;
    assert_eq!(scan.ids.len(), n);
    assert!(scan.pages > 300, "{} pages", scan.pages);

    let urls: Vec<String> = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v2/tickets")
        .map(|r| {
            format!(
                "{}{}?{}",
                sim.base_url(),
                r.path,
                r.query.clone().unwrap_or_default()
            )
        })
        .collect();
    let http = reqwest::Client::new();
    let raw_started = Instant::now();
    let mut raw_tickets = 0;
    for url in &urls {
        let body = http
            .get(url)
            .basic_auth(sim.api_key(), Some("X"))
            .send()
            .await
            .expect("raw GET")
            .bytes()
            .await
            .expect("raw body");
        let page: Vec<serde_json::Value> = serde_json::from_slice(&body).expect("raw JSON");
        raw_tickets += page.len();
    }
    let raw = raw_started.elapsed();
    let per_s = |d: Duration| n as f64 / d.as_secs_f64();
    eprintln!(
        "backlog: {n} tickets (generated in {generated:.2?}); sandbox scan: {} find calls, {} list requests, {:.2?} ({:.0} tickets/s); raw reqwest of the same pages: {raw_tickets} tickets in {:.2?} ({:.0} tickets/s); sandbox/raw = {:.2}x; largest cursor {} bytes",
        scan.pages,
        urls.len(),
        scan.elapsed,
        per_s(scan.elapsed),
        raw,
        per_s(raw),
        scan.elapsed.as_secs_f64() / raw.as_secs_f64(),
        scan.largest_cursor,
    );
}

#[tokio::test]
async fn update_round_trips() {
    let (sim, adapter, id) = small().await;
    conformance::check_update_round_trip(&adapter, &sim, &id).await;
}

#[tokio::test]
async fn tag_changes_keep_other_tags() {
    let (sim, adapter, id) = small().await;
    conformance::check_tags_keep_others(&adapter, &sim, &id).await;
    let puts: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert!(
        puts.iter().all(|r| r.body.contains("\"tags\"")),
        "tags are written whole"
    );
}

#[tokio::test]
async fn notes_are_internal() {
    let (sim, adapter, id) = small().await;
    conformance::check_note_is_internal(&adapter, &sim, &id).await;
}

#[tokio::test]
async fn errors_are_typed() {
    let (sim, adapter, id) = small().await;
    conformance::check_errors_are_typed(&adapter, &sim, &id).await;
}

#[tokio::test]
async fn rate_limits_surface_with_retry_after() {
    let (sim, adapter, id) = small().await;
    conformance::check_rate_limit_is_surfaced(&adapter, &sim, &id).await;
}

#[tokio::test]
async fn faults_are_transient() {
    let (sim, adapter, id) = small().await;
    conformance::check_faults_are_transient(&adapter, &sim, &id).await;
}

// Freshdesk specifics beyond the shared suite.

#[tokio::test]
async fn only_the_fields_asked_for_are_sent() {
    let (sim, adapter, id) = small().await;
    sim.clear_requests();
    let patch = TicketPatch {
        priority: Some(EntityRef::with_id("4")),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &patch).await.unwrap();
    assert_eq!(t.priority.unwrap().name.as_deref(), Some("Urgent"));
    let put = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a PUT");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&put.body).unwrap(),
        serde_json::json!({"priority": 4})
    );
    assert!(
        sim.requests().iter().all(|r| r.authorized),
        "the host added the key to every request"
    );
}

#[tokio::test]
async fn a_stale_version_is_a_conflict() {
    let (sim, adapter, id) = small().await;
    let t = adapter.get_ticket(&id).await.unwrap();
    let version = t.version.clone().expect("a version");
    let stale = TicketPatch {
        tags: Some(TagOp::Add(vec!["x".into()])),
        if_version: Some("2001-01-01T00:00:00Z".into()),
        ..TicketPatch::default()
    };
    let err = adapter.update_ticket(&id, &stale).await.unwrap_err();
    assert!(matches!(err, AdapterError::Conflict(_)), "{err}");
    assert!(
        !sim.requests().iter().any(|r| r.method == "PUT"),
        "nothing written"
    );
    let fresh = TicketPatch {
        if_version: Some(version),
        ..stale
    };
    let t = adapter.update_ticket(&id, &fresh).await.unwrap();
    assert!(t.tags.contains(&"x".to_owned()));
}

#[tokio::test]
async fn queue_and_status_filters_apply() {
    let (sim, adapter, id) = small().await;
    let moved = TicketPatch {
        queue: Some(EntityRef::named("Billing and Payments")),
        ..TicketPatch::default()
    };
    adapter.update_ticket(&id, &moved).await.unwrap();
    let query = TicketQuery {
        queues: vec![EntityRef::named("Billing and Payments")],
        statuses: vec![
            StatusCategory::Open,
            StatusCategory::Pending,
            StatusCategory::Resolved,
            StatusCategory::Closed,
            StatusCategory::Other,
        ],
        ..TicketQuery::default()
    };
    let scan = conformance::scan(&adapter, &query).await.unwrap();
    assert_eq!(scan.ids, [id]);
    let unknown = TicketQuery {
        queues: vec![EntityRef::named("Nowhere")],
        ..TicketQuery::default()
    };
    let err = adapter.find_tickets(&unknown, None).await.unwrap_err();
    assert!(matches!(err, AdapterError::Validation(_)), "{err}");
    let _ = sim;
}

#[tokio::test]
async fn a_native_query_goes_to_search() {
    let (sim, adapter, _) = small().await;
    let ids: Vec<String> = sim.all_ticket_ids().into_iter().take(3).collect();
    for id in &ids {
        sim.set_ticket_tags(id, &["needs-triage".to_owned()]);
    }
    let query = TicketQuery {
        native: Some("tag:'needs-triage'".into()),
        ..TicketQuery::default()
    };
    let page = adapter.find_tickets(&query, None).await.unwrap();
    assert_eq!(page.total, Some(3));
    let mut found: Vec<String> = page.tickets.into_iter().map(|t| t.id).collect();
    found.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(found, want);
    assert!(page.next.is_none());
    let search = sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/v2/search/tickets")
        .unwrap();
    assert_eq!(
        search.query_param("query").as_deref(),
        Some("\"tag:'needs-triage'\"")
    );
}

#[tokio::test]
async fn the_api_key_stays_in_the_host_and_paths_resolve_without_base_url() {
    let sim = start_generated(20, 2).await;
    let mut conn = connection(&sim);
    conn.settings.clear();
    let adapter = conn.connect(&load("freshdesk")).await;
    let queues = adapter.list_queues().await.unwrap();
    assert_eq!(queues.len(), 10);
    assert_eq!(adapter.list_priorities().await.unwrap().len(), 4);
    let wrong = triage_tests::Connection {
        credential: Some(triage_gateway::Credential::Basic {
            user: triage_gateway::Secret::new("wrong-key"),
            password: triage_gateway::Secret::new("X"),
        }),
        ..connection(&sim)
    };
    let adapter = wrong.connect(&load("freshdesk")).await;
    let err = adapter.list_queues().await.unwrap_err();
    assert!(matches!(err, AdapterError::Auth(_)), "{err}");
}

#[tokio::test]
async fn updated_since_limits_the_scan() {
    let sim = start_generated(200, 5).await;
    let adapter = connect(&sim).await;
    let mut times: Vec<_> = sim.tickets().iter().map(|t| t.updated_at).collect();
    times.sort();
    let since = times[times.len() / 2];
    let want: HashSet<String> = sim
        .tickets()
        .iter()
        .filter(|t| t.updated_at >= since)
        .map(|t| t.id.to_string())
        .collect();
    let query = TicketQuery {
        updated_since: Some(since),
        page_size: 25,
        ..TicketQuery::default()
    };
    let scan = conformance::scan(&adapter, &query).await.unwrap();
    let got: HashSet<String> = scan.ids.iter().cloned().collect();
    assert_eq!(got.len(), scan.ids.len(), "no duplicates");
    assert_eq!(got, want);
}

#[tokio::test]
async fn native_search_pages_up_to_freshdesks_limit() {
    let sim = start_generated(400, 9).await;
    let adapter = connect(&sim).await;
    let query = TicketQuery {
        native: Some("priority:1".into()),
        ..TicketQuery::default()
    };
    let first = adapter.find_tickets(&query, None).await.unwrap();
    let total = first.total.expect("search reports a total");
    assert!(total > 30, "enough matches to page: {total}");
    let scan = conformance::scan(&adapter, &query).await.unwrap();
    let unique: HashSet<&String> = scan.ids.iter().collect();
    assert_eq!(unique.len(), scan.ids.len(), "no duplicates");
    assert_eq!(scan.ids.len() as u64, total.min(300));
    assert!(scan.pages <= 10);
}
