//! The conformance suite against a **real** RT 5 server (Debian's request-tracker5, SQLite),
//! with `dist/adapters/rt.wasm` loaded by the real host and reaching RT through the real
//! gateway. Every test starts its own `rt-server` on 127.0.0.1 (OS-assigned port, fresh
//! copy of the template database) and stops it at the end.
//!
//! The tests that need RT are ignored by default, so `cargo test --workspace` passes on a
//! machine without it. With RT set up (`scripts/setup-rt.sh`):
//! `cargo test -p triage-tests --test all -- --ignored conformance_rt::`. `scripts/test.sh` runs them
//! when RT is installed, and must (`TRIAGE_RT=required`, as in CI).
//!
//! Not run against RT, on purpose:
//! - `check_rate_limit_is_surfaced` and `check_faults_are_transient`: RT has no rate limit
//!   and a real server cannot be told to fail its next request (the probe says so); the
//!   adapter maps 429 and 5xx with the SDK's shared rules, covered by its unit tests and
//!   the simulator suites.
//! - `check_tags_keep_others`: RT has no tags (capability false);
//!   `tag_changes_are_unsupported` checks what the adapter does instead.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::json;
use triage_core::{
    AdapterError, EntityRef, Note, StatusCategory, TagOp, TicketAdapter, TicketPatch, TicketQuery,
};
use triage_tests::conformance::{self, SimulatorProbe};
use triage_tests::rt::{self, RtServer, connect, connection_as};
use triage_tests::{Connection, load};

/// A server with `n` seeded tickets, the adapter, and the first ticket's id.
async fn with_tickets(n: usize) -> (RtServer, triage_host::WasmAdapter, String) {
    let rt = RtServer::start().await;
    let ids = rt.seed(n, 11).await;
    let adapter = connect(&rt).await;
    (rt, adapter, ids[0].clone())
}

#[tokio::test]
async fn describes_itself() {
    // Needs only rt.wasm: describe makes no request. Timings are printed, not asserted
    // (the test binary's private compile cache starts empty, so the load compiles).
    let started = Instant::now();
    let loaded = load("rt");
    let compiled = started.elapsed();
    let started = Instant::now();
    let adapter = Connection::to("http://127.0.0.1:9").connect(&loaded).await;
    let instantiated = started.elapsed();
    eprintln!(
        "rt.wasm: {} bytes; load with compile {compiled:.2?}; connect (instantiate + describe) {instantiated:.2?}",
        std::fs::metadata(triage_tests::adapter_file("rt"))
            .unwrap()
            .len()
    );
    let info = adapter.info();
    assert_eq!(info.name, "rt");
    assert_eq!(info.max_page_size, 100);
    let c = info.capabilities;
    assert!(c.internal_notes && c.custom_fields && c.native_search && c.optimistic_locking);
    assert!(!c.tags, "RT has no tags");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5 server: scripts/setup-rt.sh"]
async fn every_ticket_once_over_several_pages() {
    let n = 250;
    let started = Instant::now();
    let rt = RtServer::start().await;
    let up = started.elapsed();
    let seeding = Instant::now();
    let ids = rt.seed(n, 3).await;
    let seeded = seeding.elapsed();
    let adapter = connect(&rt).await;

    let scan = conformance::check_every_ticket_once(&adapter, &rt, 100).await;
    assert_eq!(scan.ids.len(), n);
    assert!(scan.pages >= 3, "{} pages of 100", scan.pages);
    let small = conformance::check_every_ticket_once(&adapter, &rt, 40).await;
    assert!(small.pages >= 7, "{} pages of 40", small.pages);
    assert_eq!(
        scan.ids, small.ids,
        "the same order (by id) whatever the page size"
    );

    let first = adapter
        .find_tickets(&TicketQuery::default(), None)
        .await
        .unwrap();
    assert_eq!(first.total, Some(n as u64));
    // The body is the message each ticket was opened with.
    let texts = conformance::generated_texts(n, 3);
    for (t, (subject, text)) in first.tickets.iter().zip(&texts).take(5) {
        assert_eq!(&t.subject, subject);
        assert_eq!(
            t.body_text.as_deref().map(str::trim),
            Some(text.trim()),
            "ticket {}",
            t.id
        );
        assert_eq!(t.queue.as_ref().unwrap().name.as_deref(), Some("General"));
        assert!(t.requester.is_some() && t.created_at.is_some());
    }
    assert_eq!(first.tickets[0].id, ids[0]);
    eprintln!(
        "rt: server up in {up:.2?}; {n} tickets seeded in {seeded:.2?} ({:.0} ms/ticket); \
         scan: {} pages of 100 in {:.2?}, {} pages of 40 in {:.2?}; largest cursor {} bytes",
        seeded.as_secs_f64() * 1000.0 / n as f64,
        scan.pages,
        scan.elapsed,
        small.pages,
        small.elapsed,
        scan.largest_cursor,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5 server: scripts/setup-rt.sh"]
async fn update_round_trips_queue_priority_and_custom_field() {
    let (rt, adapter, id) = with_tickets(4).await;
    conformance::check_update_round_trip(&adapter, &rt, &id).await;

    let set = TicketPatch {
        custom_fields: [("Triage Category".to_owned(), json!("refund"))].into(),
        ..TicketPatch::default()
    };
    let answered = adapter.update_ticket(&id, &set).await.unwrap();
    let reread = adapter.get_ticket(&id).await.unwrap();
    for t in [&answered, &reread] {
        assert_eq!(
            t.custom_fields.get("Triage Category"),
            Some(&json!("refund"))
        );
        assert_eq!(
            t.custom_fields.get("Language").map(|v| v.is_string()),
            Some(true)
        );
    }
    assert_eq!(rt.custom_field(&id, "Triage Category").await, ["refund"]);
    assert_eq!(
        answered.version, reread.version,
        "the answer carries the new version"
    );

    let clear = TicketPatch {
        custom_fields: [("triage category".to_owned(), serde_json::Value::Null)].into(),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &clear).await.unwrap();
    assert_eq!(
        t.custom_fields.get("Triage Category"),
        Some(&serde_json::Value::Null)
    );
    assert!(rt.custom_field(&id, "Triage Category").await.is_empty());

    // A level name writes the configured number; the number reads back with its level.
    let urgent = TicketPatch {
        priority: Some(EntityRef::named("urgent")),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &urgent).await.unwrap();
    assert_eq!(t.priority.as_ref().unwrap().id.as_deref(), Some("100"));
    assert_eq!(t.priority_level, Some(triage_core::PriorityLevel::High));
    assert_eq!(rt.ticket(&id).unwrap().priority.as_deref(), Some("100"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5 server: scripts/setup-rt.sh"]
async fn notes_are_internal_comments() {
    let (rt, adapter, id) = with_tickets(2).await;
    conformance::check_note_is_internal(&adapter, &rt, &id).await;
    let note = Note {
        subject: Some("triage".into()),
        body: "<p>Moved to <b>billing</b></p>".into(),
        html: true,
    };
    let txn = adapter
        .add_note(&id, &note)
        .await
        .unwrap()
        .expect("the comment's transaction id");
    let notes = rt.notes_with_ids(&id).await;
    let (last_id, last) = notes.last().unwrap();
    assert_eq!(last_id, &txn);
    assert!(
        last.internal && last.body.contains("<b>billing</b>"),
        "{last:?}"
    );
    let err = adapter
        .add_note(&rt.missing_ticket_id(), &note)
        .await
        .unwrap_err();
    assert!(matches!(err, AdapterError::NotFound(_)), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5 server: scripts/setup-rt.sh"]
async fn errors_are_typed() {
    let (rt, adapter, id) = with_tickets(2).await;
    conformance::check_errors_are_typed(&adapter, &rt, &id).await;

    // Refused before writing: a value outside a select list. Nothing changes.
    let before = adapter.get_ticket(&id).await.unwrap();
    let bad = TicketPatch {
        priority: Some(EntityRef::named("High")),
        custom_fields: [("Language".to_owned(), json!("xx"))].into(),
        ..TicketPatch::default()
    };
    match adapter.update_ticket(&id, &bad).await {
        Err(AdapterError::Validation(f)) => {
            assert_eq!(f[0].field, "custom_fields.Language");
            assert!(f[0].message.contains("en, de"), "{f:?}");
        }
        other => panic!("expected validation, got {other:?}"),
    }
    let unknown_cf = TicketPatch {
        custom_fields: [("No Such Field".to_owned(), json!("x"))].into(),
        ..TicketPatch::default()
    };
    let err = adapter.update_ticket(&id, &unknown_cf).await.unwrap_err();
    assert!(
        matches!(&err, AdapterError::Validation(f) if f[0].field == "custom_fields.No Such Field"),
        "{err}"
    );
    let after = adapter.get_ticket(&id).await.unwrap();
    assert_eq!(after.version, before.version, "nothing was written");

    let bad_sql = TicketQuery {
        native: Some("Bogus = 'x'".into()),
        ..TicketQuery::default()
    };
    let err = adapter.find_tickets(&bad_sql, None).await.unwrap_err();
    assert!(
        matches!(&err, AdapterError::Validation(f) if f[0].field == "native" && f[0].message.contains("Bogus")),
        "{err}"
    );

    let wrong = connection_as(&rt, rt::USER, "wrong password")
        .connect(&load("rt"))
        .await;
    let err = wrong.get_ticket(&id).await.unwrap_err();
    assert!(matches!(err, AdapterError::Auth(_)), "{err}");
    let onlooker = connection_as(&rt, rt::ONLOOKER, rt::PASSWORD)
        .connect(&load("rt"))
        .await;
    let err = onlooker.get_ticket(&id).await.unwrap_err();
    assert!(matches!(err, AdapterError::Forbidden(_)), "{err}");
    let err = onlooker
        .add_note(
            &id,
            &Note {
                subject: None,
                body: "x".into(),
                html: false,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AdapterError::Forbidden(_)), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5 server: scripts/setup-rt.sh"]
async fn a_stale_version_is_a_conflict() {
    let (rt, adapter, id) = with_tickets(2).await;
    let seen = adapter.get_ticket(&id).await.unwrap();
    let version = seen.version.clone().expect("get-ticket carries the ETag");
    rt.comment_as_admin(&id, "an agent was here").await;
    let change = TicketPatch {
        priority: Some(EntityRef::named("High")),
        ..TicketPatch::default()
    };
    conformance::check_stale_version_refused(&adapter, &rt, &id, &change, &version).await;
    assert_eq!(
        rt.ticket(&id).unwrap().priority.as_deref(),
        Some("0"),
        "nothing written"
    );

    // The server's own check, which covers a change between the adapter's read and its
    // write: a stale If-Match is 412 (the adapter maps 412 to conflict; see its unit tests).
    let (status, _) = rt
        .admin_status(
            reqwest::Method::PUT,
            &format!("/ticket/{id}"),
            Some(json!({"Priority": 100})),
        )
        .await;
    assert_eq!(status, 200);
    let raw = reqwest::Client::new()
        .put(format!("{}/REST/2.0/ticket/{id}", rt.base_url()))
        .basic_auth(rt::USER, Some(rt::PASSWORD))
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"Priority": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 412);

    let medium = TicketPatch {
        priority: Some(EntityRef::named("Medium")),
        ..TicketPatch::default()
    };
    let (t, sent) = conformance::check_current_version_accepted(&adapter, &id, &medium).await;
    assert_eq!(t.priority.unwrap().id.as_deref(), Some("50"));
    assert_ne!(t.version, Some(sent), "a write makes a new version");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5 server: scripts/setup-rt.sh"]
async fn tag_changes_are_unsupported() {
    let (rt, adapter, id) = with_tickets(2).await;
    let before = adapter.get_ticket(&id).await.unwrap();
    let patch = TicketPatch {
        queue: Some(EntityRef::named("IT Support")),
        tags: Some(TagOp::Add(vec!["triaged".into()])),
        ..TicketPatch::default()
    };
    let err = adapter.update_ticket(&id, &patch).await.unwrap_err();
    assert!(matches!(err, AdapterError::Unsupported(_)), "{err}");
    assert_eq!(rt.ticket(&id).unwrap().queue.as_deref(), Some("General"));
    let remove = TicketPatch {
        tags: Some(TagOp::Remove(vec!["anything".into()])),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &remove).await.unwrap();
    assert_eq!(
        t.version, before.version,
        "removing from no tags changes nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5 server: scripts/setup-rt.sh"]
async fn queue_and_status_filters_apply() {
    let (_rt, adapter, id) = with_tickets(6).await;
    let open = [StatusCategory::New, StatusCategory::Open];
    conformance::check_queue_filter(&adapter, &id, &open).await;
    let pending = TicketQuery {
        statuses: vec![StatusCategory::Pending, StatusCategory::Closed],
        ..TicketQuery::default()
    };
    assert!(
        conformance::scan(&adapter, &pending)
            .await
            .unwrap()
            .ids
            .is_empty()
    );
    let f = conformance::check_unknown_queue_filter_refused(&adapter).await;
    assert!(
        f[0].field == "queues" && f[0].message.contains("Nowhere"),
        "{f:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5 server: scripts/setup-rt.sh"]
async fn updated_since_limits_the_scan() {
    let (rt, adapter, _) = with_tickets(6).await;
    let all = rt.all_ticket_ids();
    let touched = all.iter().nth(2).unwrap().clone();
    // RT keeps whole seconds: let the clock pass the seeding's last second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    rt.comment_as_admin(&touched, "touch").await;
    let since = adapter
        .get_ticket(&touched)
        .await
        .unwrap()
        .updated_at
        .unwrap();
    let want = conformance::check_updated_since(&adapter, &rt, since, 2).await;
    assert!(
        want.contains(&touched) && want.len() < all.len(),
        "{want:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5 server: scripts/setup-rt.sh"]
async fn native_ticketsql_passes_through() {
    let (rt, adapter, _) = with_tickets(12).await;
    let sql = "CF.{Language} = 'de' OR Subject LIKE 'order'";
    let want = rt.search_ids(sql).await;
    let all = rt.all_ticket_ids();
    assert!(
        !want.is_empty() && want.len() < all.len(),
        "a selective query: {want:?}"
    );
    let query = TicketQuery {
        native: Some(sql.into()),
        page_size: 3,
        ..TicketQuery::default()
    };
    let first = adapter.find_tickets(&query, None).await.unwrap();
    assert_eq!(first.total, Some(want.len() as u64));
    let scan = conformance::scan(&adapter, &query).await.unwrap();
    let got: BTreeSet<String> = scan.ids.iter().cloned().collect();
    assert_eq!(got, want);
}
