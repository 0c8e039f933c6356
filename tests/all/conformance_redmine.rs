//! The conformance suite against the Redmine simulator, with `dist/adapters/redmine.wasm` (a
//! Python adapter built with componentize-py) loaded by the real host and reaching the
//! simulator through the real gateway. Every test starts its own simulator on 127.0.0.1 with
//! an OS-assigned port. Tags do not apply: Redmine has none (the capability is absent).

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use serde_json::json;
use triage_core::{
    AdapterError, EntityRef, Note, StatusCategory, TagOp, TicketAdapter, TicketPatch, TicketQuery,
};
use triage_tests::conformance::{self, SimulatorProbe};
use triage_tests::conformance_tests;
use triage_tests::redmine::{connect, connection, loaded, small, some_ticket_id, start_generated};

conformance_tests! {
    setup = small();
    errors_are_typed => check_errors_are_typed;
    rate_limits_surface_with_retry_after => check_rate_limit_is_surfaced;
    faults_are_transient => check_faults_are_transient;
}

#[tokio::test]
async fn describes_itself() {
    let (_sim, adapter, _) = small().await;
    let info = adapter.info();
    assert_eq!(info.name, "redmine");
    assert_eq!(info.max_page_size, 100);
    let caps = &info.capabilities;
    assert!(caps.internal_notes && caps.custom_fields && caps.native_search && caps.total_count);
    assert!(!caps.tags, "Redmine has no tags");
}

/// A multi-page backlog in pages of 100: every list request pages the `updated_on` window
/// and asks for every status (Redmine lists only open issues by default).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ticket_once_over_a_multi_page_backlog() {
    let n = 2_500;
    let sim = start_generated(n, 42).await;
    let adapter = connect(&sim).await;
    sim.clear_requests();
    let scan = conformance::check_every_ticket_once(&adapter, &sim, 100).await;
    assert_eq!(scan.ids.len(), n);
    assert!(scan.pages >= 25, "{} pages", scan.pages);
    let lists: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/issues.json")
        .collect();
    assert_eq!(lists.len(), scan.pages, "one list request per find call");
    for r in &lists {
        assert_eq!(r.query_param("status_id").as_deref(), Some("*"));
        assert_eq!(r.query_param("sort").as_deref(), Some("updated_on,id"));
        assert_eq!(r.query_param("limit").as_deref(), Some("100"));
    }
    assert!(sim.requests().iter().all(|r| r.authorized));
    eprintln!(
        "redmine backlog: {n} issues in {} find calls, {:.2?} ({:.0} tickets/s); largest cursor {} bytes",
        scan.pages,
        scan.elapsed,
        n as f64 / scan.elapsed.as_secs_f64(),
        scan.largest_cursor,
    );
}

/// Pages of 7 over a backlog where many issues share an `updated_on` second (automation
/// sweeps): windows start inside runs of equal seconds, and nothing is missed or repeated.
#[tokio::test]
async fn every_ticket_once_with_small_pages_across_shared_seconds() {
    let sim = start_generated(400, 3).await;
    let adapter = connect(&sim).await;
    sim.clear_requests();
    conformance::check_every_ticket_once(&adapter, &sim, 7).await;
    let within_a_second = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/issues.json")
        .filter(|r| r.query_param("updated_on").is_some())
        .any(|r| r.query_param("offset").is_some_and(|o| o != "0"));
    assert!(
        within_a_second,
        "some window started inside a run of equal seconds"
    );
}

/// An issue already returned changes mid-scan: plain offset paging would now skip one issue;
/// the `updated_on` window returns everything, and the changed issue once more at the end.
#[tokio::test]
async fn an_update_during_a_scan_skips_nothing() {
    let sim = start_generated(300, 8).await;
    let adapter = connect(&sim).await;
    let query = TicketQuery {
        page_size: 20,
        ..TicketQuery::default()
    };
    let first = adapter.find_tickets(&query, None).await.unwrap();
    let moved = first.tickets[0].id.clone();
    let later = sim.issues().iter().map(|i| i.updated_on).max().unwrap()
        + std::time::Duration::from_secs(5);
    assert!(sim.modify_issue(moved.parse().unwrap(), |i| i.updated_on = later));
    let mut ids: Vec<String> = first.tickets.iter().map(|t| t.id.clone()).collect();
    let mut cursor = first.next;
    while let Some(c) = cursor {
        let page = adapter.find_tickets(&query, Some(c)).await.unwrap();
        ids.extend(page.tickets.into_iter().map(|t| t.id));
        cursor = page.next;
    }
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 300, "nothing missed");
    assert_eq!(ids.len(), 301, "only the changed issue came twice");
    assert_eq!(ids.last(), Some(&moved));
}

#[tokio::test]
async fn update_round_trips() {
    let (sim, adapter, id) = small().await;
    conformance::check_update_round_trip(&adapter, &sim, &id).await;
    let put = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a PUT");
    let body: serde_json::Value = serde_json::from_str(&put.body).unwrap();
    let sent: Vec<&String> = body["issue"].as_object().unwrap().keys().collect();
    assert_eq!(
        sent,
        ["priority_id", "project_id"],
        "only the fields asked for"
    );
}

#[tokio::test]
async fn notes_are_internal() {
    let (sim, adapter, id) = small().await;
    conformance::check_note_is_internal(&adapter, &sim, &id).await;
    let put = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&put.body).unwrap();
    assert_eq!(body["issue"]["private_notes"], json!(true));
}

// Redmine specifics beyond the shared suite.

#[tokio::test]
async fn tags_are_unsupported_and_nothing_is_written() {
    let (sim, adapter, id) = small().await;
    let patch = TicketPatch {
        tags: Some(TagOp::Add(vec!["triaged".into()])),
        priority: Some(EntityRef::named("High")),
        ..TicketPatch::default()
    };
    let err = adapter.update_ticket(&id, &patch).await.unwrap_err();
    assert!(matches!(err, AdapterError::Unsupported(_)), "{err}");
    assert!(!sim.requests().iter().any(|r| r.method == "PUT"));
}

#[tokio::test]
async fn custom_fields_and_priorities_map_both_ways() {
    let (sim, adapter, id) = small().await;
    let patch = TicketPatch {
        priority: Some(EntityRef::with_id("5")),
        custom_fields: BTreeMap::from([
            ("Support plan".to_owned(), json!("Premium")),
            ("VIP".to_owned(), json!(true)),
            ("Triage confidence".to_owned(), json!(0.93)),
        ]),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &patch).await.unwrap();
    let p = t.priority.unwrap();
    assert_eq!(
        (p.id.as_deref(), p.name.as_deref()),
        (Some("5"), Some("Immediate"))
    );
    assert_eq!(t.priority_level, Some(triage_core::PriorityLevel::Urgent));
    assert_eq!(t.custom_fields["Support plan"], json!("Premium"));
    assert_eq!(t.custom_fields["VIP"], json!("1"));
    assert_eq!(t.custom_fields["Triage confidence"], json!("0.93"));
    let stored = sim.issue(id.parse().unwrap()).unwrap();
    assert_eq!(stored.priority_id, 5);
    assert_eq!(stored.custom_fields[&3], "Premium");
    assert_eq!(stored.custom_fields[&5], "1");
    let unknown = TicketPatch {
        custom_fields: BTreeMap::from([("Shoe size".to_owned(), json!(44))]),
        ..TicketPatch::default()
    };
    match adapter.update_ticket(&id, &unknown).await {
        Err(AdapterError::Validation(f)) => assert_eq!(f[0].field, "custom_fields.Shoe size"),
        other => panic!("unknown custom field: {other:?}"),
    }
}

#[tokio::test]
async fn a_stale_version_is_a_conflict() {
    let (sim, adapter, id) = small().await;
    let change = TicketPatch {
        priority: Some(EntityRef::named("Urgent")),
        ..TicketPatch::default()
    };
    conformance::check_stale_version_refused(&adapter, &sim, &id, &change, "2001-01-01T00:00:00Z")
        .await;
    assert!(!sim.requests().iter().any(|r| r.method == "PUT"));
    conformance::check_current_version_accepted(&adapter, &id, &change).await;
}

#[tokio::test]
async fn auth_and_forbidden_are_typed() {
    let (sim, _adapter, id) = small().await;
    let wrong = triage_tests::Connection {
        credential: Some(triage_gateway::Credential::Header {
            name: triage_tests::redmine::KEY_HEADER.into(),
            value: triage_gateway::Secret::new("wrong-key"),
        }),
        ..connection(&sim)
    };
    let adapter = wrong.connect(&loaded()).await;
    let err = adapter.get_ticket(&id).await.unwrap_err();
    assert!(matches!(err, AdapterError::Auth(_)), "{err}");

    let adapter = connect(&sim).await;
    let project = sim.issue(id.parse().unwrap()).unwrap().project_id;
    sim.restrict_project(project, true);
    let err = adapter.get_ticket(&id).await.unwrap_err();
    assert!(matches!(err, AdapterError::Forbidden(_)), "{err}");
}

#[tokio::test]
async fn status_queue_and_time_filters_go_to_redmine() {
    let sim = start_generated(200, 5).await;
    let adapter = connect(&sim).await;
    let closed: HashSet<String> = sim
        .issues()
        .iter()
        .filter(|i| i.status_id >= 5)
        .map(|i| i.id.to_string())
        .collect();
    assert!(!closed.is_empty());
    let query = TicketQuery {
        statuses: vec![StatusCategory::Closed],
        ..TicketQuery::default()
    };
    let scan = conformance::scan(&adapter, &query).await.unwrap();
    assert_eq!(scan.ids.iter().cloned().collect::<HashSet<_>>(), closed);

    let id = some_ticket_id(&sim);
    let moved = TicketPatch {
        queue: Some(EntityRef::named("Billing and Payments")),
        ..TicketPatch::default()
    };
    adapter.update_ticket(&id, &moved).await.unwrap();
    let by_queue = TicketQuery {
        queues: vec![
            EntityRef::named("Billing and Payments"),
            EntityRef::named("human-resources"),
        ],
        ..TicketQuery::default()
    };
    let scan = conformance::scan(&adapter, &by_queue).await.unwrap();
    assert_eq!(scan.ids, std::slice::from_ref(&id));
    conformance::check_unknown_queue_filter_refused(&adapter).await;

    let since = conformance::median_updated_at(&sim);
    let want = conformance::check_updated_since(&adapter, &sim, since, 25).await;
    let recent = TicketQuery {
        updated_since: Some(since),
        page_size: 25,
        ..TicketQuery::default()
    };
    let first = adapter.find_tickets(&recent, None).await.unwrap();
    assert_eq!(first.total, Some(want.len() as u64));
}

#[tokio::test]
async fn a_native_query_is_redmine_filter_parameters() {
    let (sim, adapter, _) = small().await;
    let german: HashSet<String> = sim
        .issues()
        .iter()
        .filter(|i| i.custom_fields[&2] == "de")
        .map(|i| i.id.to_string())
        .collect();
    let query = TicketQuery {
        native: Some("cf_2=de".into()),
        ..TicketQuery::default()
    };
    let scan = conformance::scan(&adapter, &query).await.unwrap();
    assert_eq!(scan.ids.into_iter().collect::<HashSet<_>>(), german);
    let reserved = TicketQuery {
        native: Some("limit=5".into()),
        ..TicketQuery::default()
    };
    let err = adapter.find_tickets(&reserved, None).await.unwrap_err();
    assert!(matches!(err, AdapterError::Validation(_)), "{err}");
}

/// `queue: category`: the queues are the categories of one project.
#[tokio::test]
async fn categories_as_queues() {
    let (sim, _, id) = small().await;
    let mut conn = connection(&sim);
    conn.settings.insert("queue".into(), "category".into());
    conn.settings.insert("project".into(), "helpdesk".into());
    let adapter = conn.connect(&loaded()).await;
    let queues = adapter.list_queues().await.unwrap();
    assert_eq!(queues.len(), 10);
    let t = adapter
        .update_ticket(
            &id,
            &TicketPatch {
                queue: Some(EntityRef::named("IT Support")),
                ..TicketPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(t.queue.unwrap().name.as_deref(), Some("IT Support"));
    let stored = sim.issue(id.parse().unwrap()).unwrap();
    let category = sim
        .categories()
        .into_iter()
        .find(|c| c.name == "IT Support")
        .unwrap();
    assert_eq!(stored.category_id, Some(category.id));
    let query = TicketQuery {
        queues: vec![EntityRef::named("IT Support")],
        ..TicketQuery::default()
    };
    assert_eq!(conformance::scan(&adapter, &query).await.unwrap().ids, [id]);
    let html = Note {
        subject: Some("Triage".into()),
        body: "<p>Routed to <b>IT</b></p><p>confidence 0.9</p>".into(),
        html: true,
    };
    let id = some_ticket_id(&sim);
    adapter.add_note(&id, &html).await.unwrap();
    let notes = sim.notes(&id);
    assert_eq!(
        notes.last().unwrap().body,
        "Triage\n\nRouted to IT\nconfidence 0.9"
    );
}

/// Size, cold compile, load from the compile cache and instantiation of the Python
/// component, printed (not asserted: timings depend on the machine).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_load_and_instantiation_costs() {
    let sim = start_generated(20, 1).await;
    let cold = loaded();
    let file = cold.path().to_owned();
    let cached = triage_tests::load("redmine");
    assert!(
        cached.from_cache(),
        "the second load comes from the compile cache"
    );
    let pooled = connect(&sim).await;
    let mut fresh_conn = connection(&sim);
    fresh_conn.sandbox.instances = 0;
    let fresh = fresh_conn.connect(&cached).await;
    for a in [&pooled, &fresh] {
        a.list_priorities().await.unwrap();
    }
    let n = 20;
    let time = |adapter: &triage_host::WasmAdapter| {
        let adapter = adapter.clone();
        async move {
            let started = Instant::now();
            for _ in 0..n {
                adapter.get_ticket("1").await.unwrap();
            }
            started.elapsed() / n
        }
    };
    let warm = time(&pooled).await;
    let with_instance = time(&fresh).await;
    eprintln!(
        "redmine.wasm: {} bytes; cold compile {:.2?}; load from compile cache {:.2?}; \
         get-ticket on a warm instance {:.2?}, on a fresh instance {:.2?} (instantiation ≈ {:.2?})",
        std::fs::metadata(&file).unwrap().len(),
        cold.compile_time(),
        cached.compile_time(),
        warm,
        with_instance,
        with_instance.saturating_sub(warm),
    );
}

/// CPython's heap is in the snapshot: an instance starts with about 14 MiB of linear memory
/// (measured: 16 MiB was enough for a page of 100). A page of 100 issues must fit well under
/// the default 64 MiB cap.
#[tokio::test]
async fn a_full_page_fits_in_24_mib() {
    let sim = start_generated(300, 2).await;
    let mut conn = connection(&sim);
    conn.sandbox.memory_bytes = 24 << 20;
    let adapter = conn.connect(&loaded()).await;
    let page = adapter
        .find_tickets(&TicketQuery::default(), None)
        .await
        .expect("a page of 100 within 24 MiB");
    assert_eq!(page.tickets.len(), 100);
}
