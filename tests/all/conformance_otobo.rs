//! The conformance suite against the OTOBO simulator, with `dist/adapters/otobo.wasm` loaded by
//! the real host and reaching the simulator through the real gateway, which injects the agent's
//! `UserLogin`/`Password` into each request. Every shared check runs in both route styles (the
//! shipped `GenericTicketConnectorREST` and OTAI's `/ticket-*` web service); every test starts
//! its own simulator on 127.0.0.1 with an OS-assigned port.

use std::collections::HashSet;
use std::time::Instant;

use serde_json::{Value, json};
use triage_core::{
    AdapterError, EntityRef, Note, StatusCategory, TagOp, TicketAdapter, TicketPatch, TicketQuery,
};
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::otobo::{RouteStyle, SimConfig, SimHandle};
use triage_tests::conformance::{self, SimulatorProbe};
use triage_tests::otobo::{
    connect, connection, credential, small, some_ticket_id, start, start_generated,
};
use triage_tests::{conformance_tests, load};

// Every shared check in both route styles: `<name>::generic` and `<name>::otai`.
conformance_tests! {
    variants {
        generic = small(RouteStyle::Generic);
        otai = small(RouteStyle::Otai);
    }
    update_round_trips => check_update_round_trip;
    tag_changes_keep_other_tags => check_tags_keep_others;
    notes_are_internal => check_note_is_internal;
    errors_are_typed => check_errors_are_typed;
    rate_limits_surface_with_retry_after => check_rate_limit_is_surfaced;
    faults_are_transient => check_faults_are_transient;
}

/// The searches of a scan: the window starts they asked for.
fn window_starts(sim: &SimHandle, style: RouteStyle) -> Vec<Option<String>> {
    sim.requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/Ticket") || r.path.ends_with("/ticket-search"))
        .map(|r| match style {
            RouteStyle::Generic => r.query_param("TicketCreateTimeNewerDate"),
            RouteStyle::Otai => {
                serde_json::from_str::<Value>(&r.body).unwrap()["TicketCreateTimeNewerDate"]
                    .as_str()
                    .map(str::to_owned)
            }
        })
        .collect()
}

/// Small search windows (20 ids) and pages (6) over 700 tickets created seven to a second, so
/// nearly every window ends inside a second: every ticket exactly once, in both styles. (A window
/// must hold more than the tickets of two seconds: it restarts a second before the last one.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ticket_once_across_search_windows() {
    for style in RouteStyle::ALL {
        let mut data = generate(&GenerateOptions::new(700, 3));
        let first = data.tickets[0].created_at;
        for (i, t) in data.tickets.iter_mut().enumerate() {
            t.created_at = first + chrono::Duration::seconds(i as i64 / 7);
            t.updated_at = t.updated_at.max(t.created_at);
        }
        let sim = start(SimConfig::default().with_data(data)).await;
        let mut conn = connection(&sim, style);
        conn.settings.insert("search_limit".into(), "20".into());
        let adapter = conn.connect(&load("otobo")).await;
        let scan = conformance::check_every_ticket_once(&adapter, &sim, 6).await;
        let starts = window_starts(&sim, style);
        assert!(
            starts.len() >= 700 / 10,
            "{style:?}: {} windows",
            starts.len()
        );
        assert_eq!(starts[0], None, "the first window starts at the beginning");
        assert!(
            starts[1..].iter().all(Option::is_some),
            "later windows start at a time"
        );
        assert!(
            scan.largest_cursor < 1_000,
            "cursor {} bytes",
            scan.largest_cursor
        );
    }
}

/// A large backlog through the sandbox with the default window (500) and full pages (100); the
/// same requests replayed with plain reqwest for comparison (printed, not asserted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backlog_found_exactly_once() {
    let n = 20_000;
    let started = Instant::now();
    let sim = start_generated(n, 42).await;
    let generated = started.elapsed();
    let adapter = connect(&sim, RouteStyle::Generic).await;
    sim.clear_requests();
    let scan = conformance::check_every_ticket_once(&adapter, &sim, 100).await;
    assert_eq!(scan.ids.len(), n);
    let urls: Vec<String> = sim
        .requests()
        .iter()
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
    let mut bytes = 0;
    for url in &urls {
        bytes += http
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
    }
    let raw = raw_started.elapsed();
    eprintln!(
        "otobo backlog: {n} tickets (generated in {generated:.2?}); sandbox scan: {} find calls, {} requests, {:.2?} ({:.0} tickets/s); raw reqwest of the same requests: {bytes} bytes in {raw:.2?}; sandbox/raw = {:.2}x; largest cursor {} bytes",
        scan.pages,
        urls.len(),
        scan.elapsed,
        n as f64 / scan.elapsed.as_secs_f64(),
        scan.elapsed.as_secs_f64() / raw.as_secs_f64(),
        scan.largest_cursor,
    );
}

#[tokio::test]
async fn describes_itself() {
    let (sim, adapter, _) = small(RouteStyle::Otai).await;
    let info = adapter.info();
    assert_eq!(info.name, "otobo");
    assert_eq!(info.max_page_size, 100);
    let c = info.capabilities;
    assert!(c.tags && c.internal_notes && c.custom_fields && c.native_search);
    // Without a tag field there are no tags.
    let mut conn = connection(&sim, RouteStyle::Otai);
    conn.settings.remove("tag_field");
    let adapter = conn.connect(&load("otobo")).await;
    assert!(!adapter.info().capabilities.tags);
    let id = some_ticket_id(&sim);
    let tag = TicketPatch {
        tags: Some(TagOp::Add(vec!["triaged".into()])),
        ..TicketPatch::default()
    };
    let err = adapter.update_ticket(&id, &tag).await.unwrap_err();
    assert!(
        matches!(err, AdapterError::Unsupported(ref m) if m.contains("tag_field")),
        "{err}"
    );
}

/// The host puts the login into the JSON body, or the query of a GET; the adapter never set it.
#[tokio::test]
async fn credentials_travel_in_the_body_or_the_query() {
    for style in RouteStyle::ALL {
        let (sim, adapter, id) = small(style).await;
        sim.clear_requests();
        adapter.get_ticket(&id).await.unwrap();
        let note = Note {
            subject: None,
            body: "x".into(),
            html: false,
        };
        adapter.add_note(&id, &note).await.unwrap();
        let requests = sim.requests();
        assert_eq!(requests.len(), 2);
        assert!(requests.iter().all(|r| r.authorized), "{style:?}");
        for r in &requests {
            let in_query = r.query_param("UserLogin").as_deref() == Some(sim.login());
            let body: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
            let in_body = body["UserLogin"] == sim.login() && body["Password"] == sim.password();
            let want_query = r.method == "GET";
            assert_eq!(
                (in_query, in_body),
                (want_query, !want_query),
                "{style:?} {} {}",
                r.method,
                r.path
            );
        }
    }
}

#[tokio::test]
async fn wrong_logins_are_auth_errors_and_sessions_work() {
    let sim = start_generated(5, 1).await;
    let id = some_ticket_id(&sim);
    let mut wrong = connection(&sim, RouteStyle::Generic);
    wrong.credential = Some(credential(sim.login(), "not-the-password"));
    let adapter = wrong.connect(&load("otobo")).await;
    let err = adapter.get_ticket(&id).await.unwrap_err();
    assert!(
        matches!(err, AdapterError::Auth(ref m) if m.contains("AuthFail")),
        "{err}"
    );

    // An operator who prefers a session creates one and configures the SessionID alone.
    let login = json!({"UserLogin": sim.login(), "Password": sim.password()});
    let reply = reqwest::Client::new()
        .post(format!(
            "{}/Session",
            sim.webservice_url(RouteStyle::Generic)
        ))
        .header("content-type", "application/json")
        .body(login.to_string())
        .send()
        .await
        .unwrap();
    let session: Value = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    let session_id = session["SessionID"].as_str().unwrap();
    let mut by_session = connection(&sim, RouteStyle::Otai);
    by_session.credential = Some(
        triage_gateway::Credential::fields([(
            "SessionID",
            triage_gateway::Secret::new(session_id),
        )])
        .unwrap(),
    );
    let adapter = by_session.connect(&load("otobo")).await;
    assert_eq!(adapter.get_ticket(&id).await.unwrap().id, id);
    sim.expire_sessions();
    assert!(matches!(
        adapter.get_ticket(&id).await,
        Err(AdapterError::Auth(_))
    ));
}

/// Times come without a zone; the `timezone` setting places them.
#[tokio::test]
async fn local_times_are_converted_with_the_timezone_setting() {
    let (sim, adapter, id) = small(RouteStyle::Generic).await;
    let t = adapter.get_ticket(&id).await.unwrap();
    let stored = sim.ticket(id.parse().unwrap()).unwrap();
    assert_eq!(t.created_at, Some(stored.created));
    assert_eq!(t.updated_at, Some(stored.changed));
    let mut utc = connection(&sim, RouteStyle::Generic);
    utc.settings.remove("timezone");
    let wrong = utc
        .connect(&load("otobo"))
        .await
        .get_ticket(&id)
        .await
        .unwrap();
    assert_eq!(
        (wrong.created_at.unwrap() - stored.created).num_seconds(),
        i64::from(sim.utc_offset().local_minus_utc()),
        "taken for UTC, a +01:00 time reads an hour late"
    );
}

#[tokio::test]
async fn updated_since_limits_the_scan() {
    let sim = start_generated(200, 5).await;
    let adapter = connect(&sim, RouteStyle::Otai).await;
    let since = conformance::median_updated_at(&sim);
    conformance::check_updated_since(&adapter, &sim, since, 25).await;
}

#[tokio::test]
async fn queue_and_status_filters_and_empty_results() {
    for style in RouteStyle::ALL {
        let (_sim, adapter, id) = small(style).await;
        let every_status = [
            StatusCategory::New,
            StatusCategory::Open,
            StatusCategory::Pending,
            StatusCategory::Closed,
            StatusCategory::Other,
        ];
        eprintln!("route style {style:?}");
        conformance::check_queue_filter(&adapter, &id, &every_status).await;
        // Nothing matches: OTOBO answers `{}`; one empty, final page.
        let misc = TicketQuery {
            queues: vec![EntityRef::named("Misc")],
            ..TicketQuery::default()
        };
        let page = adapter.find_tickets(&misc, None).await.unwrap();
        assert!(page.tickets.is_empty() && page.next.is_none());
        conformance::check_unknown_queue_filter_refused(&adapter).await;
    }
}

#[tokio::test]
async fn a_native_query_is_merged_into_the_search() {
    for style in RouteStyle::ALL {
        let (sim, adapter, id) = small(style).await;
        let title = sim.ticket(id.parse().unwrap()).unwrap().title;
        let query = TicketQuery {
            native: Some(json!({"Title": title}).to_string()),
            ..TicketQuery::default()
        };
        let scan = conformance::scan(&adapter, &query).await.unwrap();
        assert!(scan.ids.contains(&id), "{style:?}: {:?}", scan.ids);
        assert!(scan.ids.len() < 60);
    }
    let (_sim, adapter, _) = small(RouteStyle::Generic).await;
    let nested = TicketQuery {
        native: Some(r#"{"DynamicField_Language":{"Equals":"de"}}"#.into()),
        ..TicketQuery::default()
    };
    let err = adapter.find_tickets(&nested, None).await.unwrap_err();
    assert!(
        matches!(err, AdapterError::Unsupported(ref m) if m.contains("otai")),
        "{err}"
    );
    let (sim, adapter, _) = small(RouteStyle::Otai).await;
    let german = sim
        .tickets()
        .iter()
        .filter(|t| t.dynamic_fields.get("Language") == Some(&json!("de")))
        .count();
    let scan = conformance::scan(&adapter, &nested).await.unwrap();
    assert_eq!(scan.ids.len(), german);
}

/// A ticket deleted between the search and its page is left out; the scan goes on.
#[tokio::test]
async fn a_ticket_deleted_mid_scan_is_left_out() {
    let sim = start_generated(50, 8).await;
    let adapter = connect(&sim, RouteStyle::Otai).await;
    let query = TicketQuery {
        page_size: 10,
        ..TicketQuery::default()
    };
    let first = adapter.find_tickets(&query, None).await.unwrap();
    let seen: HashSet<String> = first.tickets.iter().map(|t| t.id.clone()).collect();
    let victim = sim
        .all_ticket_ids()
        .into_iter()
        .find(|id| !seen.contains(id))
        .unwrap();
    assert!(sim.delete_ticket(victim.parse().unwrap()));
    let mut ids: Vec<String> = seen.into_iter().collect();
    let mut cursor = first.next;
    while let Some(c) = cursor {
        let page = adapter.find_tickets(&query, Some(c)).await.unwrap();
        ids.extend(page.tickets.into_iter().map(|t| t.id));
        cursor = page.next;
    }
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no duplicates");
    assert_eq!(ids.len(), 49);
    assert!(!ids.contains(&victim));
}

#[tokio::test]
async fn the_wrong_route_style_is_unsupported_not_transient() {
    let sim = start_generated(5, 1).await;
    let mut conn = connection(&sim, RouteStyle::Generic);
    conn.settings.insert("route_style".into(), "otai".into());
    let adapter = conn.connect(&load("otobo")).await;
    let err = adapter
        .find_tickets(&TicketQuery::default(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AdapterError::Unsupported(ref m) if m.contains("route_style")),
        "{err}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_stale_version_is_a_conflict() {
    let (sim, adapter, id) = small(RouteStyle::Generic).await;
    sim.clear_requests();
    let change = TicketPatch {
        tags: Some(TagOp::Add(vec!["triaged".into()])),
        ..TicketPatch::default()
    };
    conformance::check_stale_version_refused(&adapter, &sim, &id, &change, "2001-01-01T00:00:00Z")
        .await;
    assert!(
        !sim.requests().iter().any(|r| r.method == "PATCH"),
        "nothing written"
    );
    let (t, _) = conformance::check_current_version_accepted(&adapter, &id, &change).await;
    assert!(t.tags.contains(&"triaged".to_owned()));
}

/// Priorities by OTOBO name, by canonical word and by id; custom fields as dynamic fields; the
/// note's article id comes back.
#[tokio::test]
async fn priorities_custom_fields_and_note_ids() {
    let (sim, adapter, id) = small(RouteStyle::Otai).await;
    let n: u64 = id.parse().unwrap();
    for (given, want) in [
        (EntityRef::named("high"), 4),
        (EntityRef::named("5 very high"), 5),
        (EntityRef::with_id("2"), 2),
    ] {
        let patch = TicketPatch {
            priority: Some(given),
            ..TicketPatch::default()
        };
        let t = adapter.update_ticket(&id, &patch).await.unwrap();
        assert_eq!(t.priority.unwrap().id, Some(want.to_string()));
        assert_eq!(sim.ticket(n).unwrap().priority_id, want);
    }
    let patch = TicketPatch {
        custom_fields: [
            ("Language".to_owned(), json!("de")),
            ("TriageConfidence".to_owned(), json!(0.93)),
        ]
        .into(),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &patch).await.unwrap();
    assert_eq!(t.custom_fields["Language"], json!("de"));
    assert_eq!(
        sim.ticket(n).unwrap().dynamic_fields["TriageConfidence"],
        json!("0.93")
    );
    let note = Note {
        subject: Some("Triage".into()),
        body: "<b>billing</b>".into(),
        html: true,
    };
    let article_id = adapter
        .add_note(&id, &note)
        .await
        .unwrap()
        .expect("an article id");
    let a = sim.articles(n).pop().unwrap();
    assert_eq!(a.id.to_string(), article_id);
    assert_eq!(
        (a.subject.as_str(), a.mime_type(), a.channel.as_str()),
        ("Triage", "text/html", "Internal")
    );
    assert!(!a.visible_for_customer);
}

#[tokio::test]
async fn numeric_ids_work_too() {
    let sim = start(SimConfig {
        ids_as_strings: false,
        ..SimConfig::default().with_data(triage_sim::generate::generate(
            &triage_sim::generate::GenerateOptions::new(30, 2),
        ))
    })
    .await;
    let adapter = connect(&sim, RouteStyle::Otai).await;
    conformance::check_every_ticket_once(&adapter, &sim, 7).await;
    let id = some_ticket_id(&sim);
    assert_eq!(adapter.get_ticket(&id).await.unwrap().id, id);
}

#[tokio::test]
async fn queues_come_from_the_settings() {
    let (sim, _, _) = small(RouteStyle::Generic).await;
    let mut conn = connection(&sim, RouteStyle::Generic);
    conn.settings.remove("queues");
    let adapter = conn.connect(&load("otobo")).await;
    let err = adapter.list_queues().await.unwrap_err();
    assert!(
        matches!(err, AdapterError::Unsupported(ref m) if m.contains("queues")),
        "{err}"
    );
    let priorities = adapter.list_priorities().await.unwrap();
    assert_eq!(priorities.len(), 5);
    assert_eq!(priorities[3].name.as_deref(), Some("4 high"));
}
