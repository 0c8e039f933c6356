//! The conformance suite against the Zendesk simulator, with `dist/adapters/zendesk.wasm`
//! loaded by the real host and reaching the simulator through the real gateway.
//! Every test starts its own simulator on 127.0.0.1 with an OS-assigned port.

use std::collections::HashSet;
use std::time::Duration;

use triage_core::{
    AdapterError, EntityRef, StatusCategory, TagOp, TicketAdapter, TicketPatch, TicketQuery,
};
use triage_gateway::{Credential, Secret};
use triage_tests::conformance;
use triage_tests::replay::raw_replay;
use triage_tests::zendesk::{connect, connection, small, start_generated};
use triage_tests::{conformance_tests, load};

const EXPORT: &str = "/api/v2/incremental/tickets/cursor.json";

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
    assert_eq!(info.name, "zendesk");
    assert_eq!(info.max_page_size, 1000);
    assert!(
        info.capabilities.tags
            && info.capabilities.internal_notes
            && info.capabilities.custom_fields
            && info.capabilities.native_search
            && info.capabilities.optimistic_locking
    );
}

/// Several thousand tickets (some deleted) in pages of 100 through the incremental export:
/// each live ticket once, none deleted, never through `search.json`. Then the same pages
/// fetched raw with reqwest for comparison (printed, not asserted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multi_page_backlog_is_found_exactly_once_through_the_export() {
    let n = 6_000;
    let sim = start_generated(n, 42, 0.03).await;
    let deleted = sim.tickets().iter().filter(|t| t.deleted).count();
    assert!(deleted > 0, "the backlog holds deleted tickets");
    let adapter = connect(&sim).await;
    sim.clear_requests();
    let scan = conformance::check_every_ticket_once(&adapter, &sim, 100).await;
    assert!(scan.pages >= 55, "{} pages", scan.pages);
    let requests = sim.requests();
    assert!(
        requests.iter().all(|r| r.path != "/api/v2/search.json"),
        "listing never uses search.json"
    );
    let exports: Vec<_> = requests.iter().filter(|r| r.path == EXPORT).collect();
    assert!(exports[0].query_param("start_time").is_some());
    assert!(
        exports[1..]
            .iter()
            .all(|r| r.query_param("cursor").is_some())
    );

    let auth = sim.auth_header();
    let (raw, pages) = raw_replay(
        sim.base_url(),
        exports.iter().copied(),
        ("authorization", &auth),
    )
    .await;
    let raw_tickets: usize = pages
        .iter()
        .map(|p| p["tickets"].as_array().map_or(0, Vec::len))
        .sum();
    let per_s = |d: Duration| scan.ids.len() as f64 / d.as_secs_f64();
    eprintln!(
        "zendesk backlog: {n} tickets ({deleted} deleted); sandbox scan: {} find calls, {:.2?} ({:.0} tickets/s); raw reqwest of the same pages: {raw_tickets} tickets in {:.2?} ({:.0} tickets/s); sandbox/raw = {:.2}x; largest cursor {} bytes",
        scan.pages,
        scan.elapsed,
        per_s(scan.elapsed),
        raw,
        per_s(raw),
        scan.elapsed.as_secs_f64() / raw.as_secs_f64(),
        scan.largest_cursor,
    );
}

#[tokio::test]
async fn tag_changes_keep_other_tags_through_the_tags_api() {
    let (sim, adapter, id) = small().await;
    sim.clear_requests();
    conformance::check_tags_keep_others(&adapter, &sim, &id).await;
    let writes: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect();
    let tags_path = format!("/api/v2/tickets/{id}/tags.json");
    assert_eq!(
        writes
            .iter()
            .map(|r| (r.method.as_str(), r.path.as_str()))
            .collect::<Vec<_>>(),
        [("PUT", tags_path.as_str()), ("DELETE", tags_path.as_str())],
        "adding and removing use the Tags API, never a whole-list write"
    );
}

// Zendesk specifics beyond the shared suite.

#[tokio::test]
async fn only_the_fields_asked_for_are_sent_and_medium_is_normal() {
    let (sim, adapter, id) = small().await;
    sim.clear_requests();
    let patch = TicketPatch {
        priority: Some(EntityRef::named("medium")),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &patch).await.unwrap();
    let p = t.priority.unwrap();
    assert_eq!(
        (p.id.as_deref(), p.name.as_deref()),
        (Some("normal"), Some("Normal"))
    );
    let put = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a PUT");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&put.body).unwrap(),
        serde_json::json!({"ticket": {"priority": "normal"}})
    );
    assert!(
        sim.requests().iter().all(|r| r.authorized),
        "the host added the token to every request"
    );
}

#[tokio::test]
async fn the_note_says_public_false_and_its_id_is_returned() {
    let (sim, adapter, id) = small().await;
    sim.clear_requests();
    let note = triage_core::Note {
        subject: Some("triage".into()),
        body: "routed to <billing>".into(),
        html: false,
    };
    let note_id = adapter.add_note(&id, &note).await.unwrap();
    let stored = sim.comments(id.parse().unwrap());
    let last = stored.last().unwrap();
    assert_eq!(note_id, Some(last.id.to_string()));
    assert!(!last.public);
    assert_eq!(last.body, "triage\n\nrouted to <billing>");
    let put = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&put.body).unwrap();
    assert_eq!(body["ticket"]["comment"]["public"], false);
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_refused_by_safe_update() {
    let (sim, adapter, id) = small().await;
    let change = TicketPatch {
        priority: Some(EntityRef::named("urgent")),
        tags: Some(TagOp::Add(vec!["x".into()])),
        ..TicketPatch::default()
    };
    conformance::check_stale_version_refused(&adapter, &sim, &id, &change, "2001-01-01T00:00:00Z")
        .await;
    let refused = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("the server was asked");
    assert_eq!(refused.status, Some(409));
    assert!(refused.body.contains("\"safe_update\":true"));
    let (t, _) = conformance::check_current_version_accepted(&adapter, &id, &change).await;
    assert!(t.tags.contains(&"x".to_owned()));
    assert_eq!(t.priority.unwrap().id.as_deref(), Some("urgent"));
}

/// The export holds back the last minute; with that lifted (as a minute later), a ticket moved
/// just now is found by a queue filter.
#[tokio::test]
async fn queue_and_status_filters_apply() {
    let (sim, adapter, id) = small().await;
    sim.set_export_lag(Duration::ZERO);
    let every_status = [
        StatusCategory::New,
        StatusCategory::Open,
        StatusCategory::Pending,
        StatusCategory::Resolved,
        StatusCategory::Other,
    ];
    conformance::check_queue_filter(&adapter, &id, &every_status).await;
    conformance::check_unknown_queue_filter_refused(&adapter).await;
}

#[tokio::test]
async fn changes_of_the_last_minute_wait_for_the_next_poll() {
    let (sim, adapter, id) = small().await;
    let moved = TicketPatch {
        priority: Some(EntityRef::named("high")),
        ..TicketPatch::default()
    };
    adapter.update_ticket(&id, &moved).await.unwrap();
    let scan = conformance::scan(&adapter, &TicketQuery::default())
        .await
        .unwrap();
    assert!(!scan.ids.contains(&id), "held back by the export");
    sim.set_export_lag(Duration::ZERO);
    let scan = conformance::scan(&adapter, &TicketQuery::default())
        .await
        .unwrap();
    assert_eq!(scan.ids.last(), Some(&id), "found at the end once due");
}

#[tokio::test]
async fn updated_since_limits_the_scan() {
    let sim = start_generated(300, 5, 0.0).await;
    let adapter = connect(&sim).await;
    let since = conformance::median_updated_at(&sim);
    conformance::check_updated_since(&adapter, &sim, since, 25).await;
    let first = sim
        .requests()
        .into_iter()
        .find(|r| r.path == EXPORT)
        .unwrap();
    assert_eq!(
        first.query_param("start_time"),
        Some(since.timestamp().to_string())
    );
}

/// A native query pages `search.json` up to its 1,000-result window and stops there,
/// never asking for the page that answers 422.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn native_search_stops_at_the_window() {
    let sim = start_generated(1_500, 9, 0.0).await;
    let adapter = connect(&sim).await;
    let query = TicketQuery {
        native: Some("status:new".into()),
        ..TicketQuery::default()
    };
    let first = adapter.find_tickets(&query, None).await.unwrap();
    let total = first.total.expect("search reports a count");
    assert!(total > 1000, "enough matches to reach the window: {total}");
    let scan = conformance::scan(&adapter, &query).await.unwrap();
    let unique: HashSet<&String> = scan.ids.iter().collect();
    assert_eq!(unique.len(), scan.ids.len(), "no duplicates");
    assert_eq!(scan.ids.len(), 1000);
    let searches: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/v2/search.json")
        .collect();
    assert!(searches.iter().all(|r| r.status == Some(200)));
    assert_eq!(
        searches[0].query_param("query").as_deref(),
        Some("type:ticket status:new")
    );
    // The window is the simulator's, not just the adapter's restraint.
    let past = reqwest::Client::new()
        .get(format!(
            "{}/api/v2/search.json?query=status:new&page=11&per_page=100",
            sim.base_url()
        ))
        .header("authorization", sim.auth_header())
        .send()
        .await
        .unwrap();
    assert_eq!(past.status(), 422);
}

#[tokio::test]
async fn a_closed_ticket_refuses_updates_naming_status() {
    let (sim, adapter, id) = small().await;
    sim.modify_ticket(id.parse().unwrap(), |t| t.status = "closed".into());
    let patch = TicketPatch {
        priority: Some(EntityRef::named("high")),
        ..TicketPatch::default()
    };
    match adapter.update_ticket(&id, &patch).await {
        Err(AdapterError::Validation(fields)) => {
            assert!(fields.iter().any(|f| f.field == "status"), "{fields:?}")
        }
        other => panic!("expected validation on status, got {other:?}"),
    }
}

#[tokio::test]
async fn oauth_bearer_works_and_wrong_or_password_credentials_are_auth_errors() {
    let sim = start_generated(20, 2, 0.0).await;
    let bearer = triage_tests::Connection {
        credential: Some(Credential::Bearer(Secret::new(sim.oauth_token()))),
        ..connection(&sim)
    };
    let adapter = bearer.connect(&load("zendesk")).await;
    assert_eq!(adapter.list_queues().await.unwrap().len(), 10);
    assert_eq!(adapter.list_priorities().await.unwrap().len(), 4);
    for (user, password) in [
        (format!("{}/token", sim.email()), "wrong".to_owned()),
        // A password login with the token as password is not token auth.
        (sim.email().to_owned(), sim.api_token().to_owned()),
    ] {
        let wrong = triage_tests::Connection {
            credential: Some(Credential::Basic {
                user: Secret::new(user),
                password: Secret::new(password),
            }),
            ..connection(&sim)
        };
        let adapter = wrong.connect(&load("zendesk")).await;
        let err = adapter.list_queues().await.unwrap_err();
        assert!(matches!(err, AdapterError::Auth(_)), "{err}");
    }
}
