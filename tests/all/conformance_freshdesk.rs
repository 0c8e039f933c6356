//! The conformance suite against the Freshdesk simulator, with `dist/adapters/freshdesk.wasm`
//! loaded by the real host and reaching the simulator through the real gateway.
//! Every test starts its own simulator on 127.0.0.1 with an OS-assigned port.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use triage_core::{
    AdapterError, EntityRef, StatusCategory, TagOp, TicketAdapter, TicketPatch, TicketQuery,
};
use triage_tests::conformance::{self, SimulatorProbe};
use triage_tests::freshdesk::{connect, connection, small, start_generated};
use triage_tests::replay::raw_replay;
use triage_tests::{conformance_tests, load};

conformance_tests! {
    setup = small();
    update_round_trips => check_update_round_trip;
    notes_are_internal => check_note_is_internal;
    errors_are_typed => check_errors_are_typed;
    rate_limits_surface_with_retry_after => check_rate_limit_is_surfaced;
    faults_are_transient => check_faults_are_transient;
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

    let lists: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/v2/tickets")
        .collect();
    let auth = sim.auth_header();
    let (raw, pages) = raw_replay(sim.base_url(), &lists, ("authorization", &auth)).await;
    let raw_tickets: usize = pages.iter().map(|p| p.as_array().map_or(0, Vec::len)).sum();
    let per_s = |d: Duration| n as f64 / d.as_secs_f64();
    eprintln!(
        "backlog: {n} tickets (generated in {generated:.2?}); sandbox scan: {} find calls, {} list requests, {:.2?} ({:.0} tickets/s); raw reqwest of the same pages: {raw_tickets} tickets in {:.2?} ({:.0} tickets/s); sandbox/raw = {:.2}x; largest cursor {} bytes",
        scan.pages,
        lists.len(),
        scan.elapsed,
        per_s(scan.elapsed),
        raw,
        per_s(raw),
        scan.elapsed.as_secs_f64() / raw.as_secs_f64(),
        scan.largest_cursor,
    );
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
    let change = TicketPatch {
        tags: Some(TagOp::Add(vec!["x".into()])),
        ..TicketPatch::default()
    };
    conformance::check_stale_version_refused(&adapter, &sim, &id, &change, "2001-01-01T00:00:00Z")
        .await;
    assert!(
        !sim.requests().iter().any(|r| r.method == "PUT"),
        "nothing written"
    );
    let (t, _) = conformance::check_current_version_accepted(&adapter, &id, &change).await;
    assert!(t.tags.contains(&"x".to_owned()));
}

#[tokio::test]
async fn queue_and_status_filters_apply() {
    let (_sim, adapter, id) = small().await;
    let every_status = [
        StatusCategory::Open,
        StatusCategory::Pending,
        StatusCategory::Resolved,
        StatusCategory::Closed,
        StatusCategory::Other,
    ];
    conformance::check_queue_filter(&adapter, &id, &every_status).await;
    conformance::check_unknown_queue_filter_refused(&adapter).await;
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
    let since = conformance::median_updated_at(&sim);
    conformance::check_updated_since(&adapter, &sim, since, 25).await;
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
