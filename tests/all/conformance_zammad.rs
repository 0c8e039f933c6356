//! The conformance suite against the Zammad simulator, with `dist/adapters/zammad.wasm` loaded
//! by the real host and reaching the simulator through the real gateway (the token injected
//! as `Authorization: Token token=…`). Every test starts its own simulator on 127.0.0.1 with
//! an OS-assigned port.

use std::collections::HashSet;
use std::time::Instant;

use triage_core::{
    AdapterError, EntityRef, Note, StatusCategory, TagOp, TicketAdapter, TicketPatch, TicketQuery,
};
use triage_gateway::{Credential, Secret};
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::zammad::{SimConfig, SimHandle};
use triage_tests::conformance::{self, SimulatorProbe};
use triage_tests::zammad::{
    connect, connection, small, small_as_agent, some_ticket_id, start, start_generated,
};
use triage_tests::{Connection, conformance_tests, load};

conformance_tests! {
    setup = small();
    update_round_trips => check_update_round_trip;
    rate_limits_surface_with_retry_after => check_rate_limit_is_surfaced;
    faults_are_transient => check_faults_are_transient;
}

// With an agent's token, as a triage bot normally has.
conformance_tests! {
    setup = small_as_agent();
    errors_are_typed => check_errors_are_typed;
}

/// The search requests of a scan, with their decoded `query`.
fn searches(sim: &SimHandle) -> Vec<(String, triage_sim::RequestRecord)> {
    sim.requests()
        .into_iter()
        .filter(|r| r.path == "/api/v1/tickets/search")
        .map(|r| (r.query_param("query").unwrap_or_default(), r))
        .collect()
}

#[tokio::test]
async fn describes_itself() {
    let (_sim, adapter, _) = small().await;
    // Timings are printed, not asserted: a cold compile into an empty cache, a load from that
    // cache by a fresh engine, and an instantiation (connect calls describe).
    let file = triage_tests::adapter_file("zammad");
    let cache = std::env::temp_dir().join(format!("triage-zammad-timing-{}", std::process::id()));
    let sandbox = || {
        let mut config = triage_host::SandboxConfig::from_env();
        config.cache_dir = Some(cache.clone());
        triage_host::Sandbox::new(config).expect("sandbox")
    };
    let started = Instant::now();
    sandbox().load(&file, None).expect("cold load");
    let cold = started.elapsed();
    let started = Instant::now();
    let loaded = sandbox().load(&file, None).expect("cached load");
    let cached = started.elapsed();
    let started = Instant::now();
    Connection::to("http://127.0.0.1:9").connect(&loaded).await;
    let instantiated = started.elapsed();
    let _ = std::fs::remove_dir_all(&cache);
    eprintln!(
        "zammad.wasm: {} bytes; cold compile {cold:.2?}; cached load {cached:.2?}; instantiate + describe {instantiated:.2?}",
        std::fs::metadata(&file).unwrap().len()
    );
    let info = adapter.info();
    assert_eq!(info.name, "zammad");
    assert_eq!(info.max_page_size, 30);
    let c = info.capabilities;
    assert!(c.tags && c.internal_notes && c.custom_fields && c.native_search);
    assert!(!c.total_count, "Zammad's search gives no total");
}

/// A backlog of a few thousand tickets in pages of 30: every ticket exactly once, each page
/// one search plus the article and tags of each ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ticket_once_over_a_multi_page_backlog() {
    let n = 3_000;
    let sim = start_generated(n, 42).await;
    let adapter = connect(&sim).await;
    sim.clear_requests();
    let started = Instant::now();
    let scan = conformance::check_every_ticket_once(&adapter, &sim, 30).await;
    assert_eq!(scan.ids.len(), n);
    assert!(scan.pages >= 100, "{} pages", scan.pages);
    let requests = sim.requests();
    assert!(
        requests.iter().all(|r| r.authorized),
        "the host added the token"
    );
    let searches = searches(&sim);
    assert!(searches.iter().all(|(_, r)| {
        r.query_param("sort_by").as_deref() == Some("updated_at")
            && r.query_param("order_by").as_deref() == Some("asc")
            && r.query_param("expand").as_deref() == Some("true")
    }));
    eprintln!(
        "zammad backlog: {n} tickets, {} find calls, {} requests ({} searches), {:.2?} ({:.0} tickets/s), largest cursor {} bytes",
        scan.pages,
        requests.len(),
        searches.len(),
        started.elapsed(),
        n as f64 / started.elapsed().as_secs_f64(),
        scan.largest_cursor,
    );
}

/// Elasticsearch answers pages beyond its result window with an empty list: with a window of
/// 600 the scan must start new `updated_at` windows and still find every ticket once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ticket_once_across_the_search_window() {
    let sim = start(
        SimConfig::default()
            .with_data(generate(&GenerateOptions::new(2_000, 7)))
            .with_search_window(600),
    )
    .await;
    let mut conn = connection(&sim);
    conn.settings
        .insert("search_window".to_owned(), "600".to_owned());
    let adapter = conn.connect(&load("zammad")).await;
    let scan = conformance::check_every_ticket_once(&adapter, &sim, 30).await;
    assert_eq!(scan.ids.len(), 2_000);
    let windows: HashSet<String> = searches(&sim).into_iter().map(|(q, _)| q).collect();
    assert!(windows.len() >= 4, "updated_at windows slid: {windows:?}");
    assert!(
        searches(&sim).iter().all(|(_, r)| {
            let page: u64 = r.query_param("page").unwrap().parse().unwrap();
            let per: u64 = r.query_param("per_page").unwrap().parse().unwrap();
            page * per <= 600
        }),
        "no page beyond the window was asked for"
    );
}

#[tokio::test]
async fn tag_changes_keep_other_tags() {
    let (sim, adapter, id) = small().await;
    sim.clear_requests();
    conformance::check_tags_keep_others(&adapter, &sim, &id).await;
    let requests = sim.requests();
    assert!(
        requests.iter().all(|r| r.method != "PUT"),
        "tags never go through a ticket update"
    );
    let adds = requests
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v1/tags/add")
        .count();
    let removes = requests
        .iter()
        .filter(|r| r.method == "DELETE" && r.path == "/api/v1/tags/remove")
        .count();
    assert_eq!((adds, removes), (1, 1));
}

#[tokio::test]
async fn notes_are_internal() {
    let (sim, adapter, id) = small().await;
    conformance::check_note_is_internal(&adapter, &sim, &id).await;
    let note = sim.articles(id.parse().unwrap()).pop().unwrap();
    assert_eq!(
        (note.kind.as_str(), note.sender.as_str(), note.internal),
        ("note", "Agent", true)
    );
    assert_eq!(note.content_type, "text/plain");
}

// Zammad specifics beyond the shared suite.

#[tokio::test]
async fn the_text_is_the_first_article() {
    let (sim, adapter, id) = small().await;
    let first = sim.articles(id.parse().unwrap()).remove(0);
    let note = Note {
        subject: Some("Triage".into()),
        body: "<p>routed</p>".into(),
        html: true,
    };
    let note_id = adapter.add_note(&id, &note).await.unwrap();
    assert!(note_id.is_some());
    let t = adapter.get_ticket(&id).await.unwrap();
    assert_eq!(t.body_html.as_deref(), Some(first.body.as_str()));
    let text = t.body_text.unwrap();
    assert!(!text.contains('<') && !text.is_empty(), "{text}");
    assert!(t.number.is_some() && t.number.as_deref() != Some(id.as_str()));
    assert!(t.custom_fields.contains_key("language"));
    assert!(t.priority_level.is_some() && t.status_category.is_some());
}

#[tokio::test]
async fn an_agent_lists_queues_by_name_and_moves_tickets_by_name() {
    let sim = start_generated(20, 3).await;
    let adapter = connect(&sim).await;
    let queues = adapter.list_queues().await.unwrap();
    assert_eq!(queues.len(), 11);
    assert!(queues.iter().all(|q| q.id.is_none() && q.name.is_some()));
    let id = some_ticket_id(&sim);
    let patch = TicketPatch {
        queue: Some(EntityRef::named("IT Support")),
        priority: Some(EntityRef::named("3 high")),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &patch).await.unwrap();
    assert_eq!(t.queue.unwrap().name.as_deref(), Some("IT Support"));
    assert_eq!(
        SimulatorProbe::ticket(&sim, &id).unwrap().queue.as_deref(),
        Some("IT Support")
    );
    // An unknown group id reaches an agent as "Error ID …"; the one field sent is named.
    let by_id = TicketPatch {
        queue: Some(EntityRef::with_id("999")),
        ..TicketPatch::default()
    };
    match adapter.update_ticket(&id, &by_id).await {
        Err(AdapterError::Validation(f)) => {
            assert_eq!(f[0].field, "queue");
            assert!(f[0].message.starts_with("Error ID "), "{f:?}");
        }
        other => panic!("expected validation, got {other:?}"),
    }
}

#[tokio::test]
async fn only_the_fields_asked_for_are_sent() {
    let (sim, adapter, id) = small().await;
    sim.clear_requests();
    let patch = TicketPatch {
        priority: Some(EntityRef::with_id("3")),
        custom_fields: [("triage_confidence".to_owned(), serde_json::json!(87))].into(),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &patch).await.unwrap();
    assert_eq!(t.priority.unwrap().name.as_deref(), Some("3 high"));
    assert_eq!(t.custom_fields["triage_confidence"], serde_json::json!(87));
    let put = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a PUT");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&put.body).unwrap(),
        serde_json::json!({"priority_id": 3, "triage_confidence": 87})
    );
}

#[tokio::test]
async fn a_stale_version_is_a_conflict() {
    let (sim, adapter, id) = small().await;
    sim.clear_requests();
    let change = TicketPatch {
        tags: Some(TagOp::Add(vec!["x".into()])),
        ..TicketPatch::default()
    };
    let stale = "2001-01-01T00:00:00.000Z";
    conformance::check_stale_version_refused(&adapter, &sim, &id, &change, stale).await;
    assert!(
        sim.requests().iter().all(|r| r.method == "GET"),
        "nothing written"
    );
    let (t, _) = conformance::check_current_version_accepted(&adapter, &id, &change).await;
    assert!(t.tags.contains(&"x".to_owned()));
}

#[tokio::test]
async fn queue_and_status_filters_apply() {
    let (sim, adapter, id) = small().await;
    let every_status = [
        StatusCategory::New,
        StatusCategory::Open,
        StatusCategory::Pending,
        StatusCategory::Closed,
        StatusCategory::Other,
    ];
    conformance::check_queue_filter(&adapter, &id, &every_status).await;
    // A phrase that only starts the name matches in Elasticsearch, not in the adapter.
    let prefix = TicketQuery {
        queues: vec![EntityRef::named("Billing")],
        ..TicketQuery::default()
    };
    assert!(
        conformance::scan(&adapter, &prefix)
            .await
            .unwrap()
            .ids
            .is_empty()
    );
    let group = sim.group_id("Billing and Payments").unwrap().to_string();
    let by_id = TicketQuery {
        queues: vec![EntityRef::with_id(group)],
        ..TicketQuery::default()
    };
    assert_eq!(conformance::scan(&adapter, &by_id).await.unwrap().ids, [id]);
    let resolved = TicketQuery {
        statuses: vec![StatusCategory::Resolved],
        ..TicketQuery::default()
    };
    let page = adapter.find_tickets(&resolved, None).await.unwrap();
    assert!(
        page.tickets.is_empty() && page.next.is_none(),
        "Zammad has no resolved state"
    );
    let open_ids: HashSet<String> = conformance::scan(
        &adapter,
        &TicketQuery {
            statuses: vec![StatusCategory::New, StatusCategory::Open],
            ..TicketQuery::default()
        },
    )
    .await
    .unwrap()
    .ids
    .into_iter()
    .collect();
    let states = sim.states();
    let want: HashSet<String> = sim
        .tickets()
        .iter()
        .filter(|t| {
            let name = &states.iter().find(|s| s.id == t.state_id).unwrap().name;
            name == "new" || name == "open"
        })
        .map(|t| t.id.to_string())
        .collect();
    assert_eq!(open_ids, want);
}

#[tokio::test]
async fn a_native_query_is_anded_into_the_search() {
    let (sim, adapter, _) = small().await;
    let ids: Vec<String> = sim.all_ticket_ids().into_iter().take(3).collect();
    for id in &ids {
        sim.set_ticket_tags(id, &["needs-triage".to_owned()]);
    }
    let query = TicketQuery {
        native: Some("tags:needs-triage".into()),
        ..TicketQuery::default()
    };
    let page = adapter.find_tickets(&query, None).await.unwrap();
    let mut found: Vec<String> = page.tickets.into_iter().map(|t| t.id).collect();
    found.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(found, want);
    assert!(page.next.is_none() && page.total.is_none());
    let (q, _) = searches(&sim).pop().unwrap();
    assert!(q.starts_with("(tags:needs-triage) AND updated_at:["), "{q}");
}

#[tokio::test]
async fn updated_since_limits_the_scan() {
    let sim = start_generated(200, 5).await;
    let adapter = connect(&sim).await;
    let since = conformance::median_updated_at(&sim);
    conformance::check_updated_since(&adapter, &sim, since, 25).await;
}

#[tokio::test]
async fn the_token_stays_in_the_host_and_a_wrong_one_is_auth() {
    let sim = start_generated(5, 2).await;
    let mut conn = connection(&sim);
    conn.settings.clear();
    let adapter = conn.connect(&load("zammad")).await;
    assert_eq!(adapter.list_priorities().await.unwrap().len(), 3);
    let wrong = Connection {
        credential: Some(Credential::Header {
            name: "Authorization".into(),
            value: Secret::new("Token token=wrong"),
        }),
        ..connection(&sim)
    };
    let adapter = wrong.connect(&load("zammad")).await;
    let err = adapter.list_priorities().await.unwrap_err();
    assert!(matches!(err, AdapterError::Auth(_)), "{err}");
    let none = Connection {
        credential: None,
        ..connection(&sim)
    };
    let adapter = none.connect(&load("zammad")).await;
    let err = adapter.get_ticket("1").await.unwrap_err();
    assert!(matches!(err, AdapterError::Forbidden(_)), "{err}");
    assert!(
        sim.requests()
            .iter()
            .all(|r| !r.body.contains(sim.token()) && !r.path.contains(sim.token())),
        "the token never travels in a body or a path"
    );
}
