//! The conformance suite against the GitLab simulator, with `dist/adapters/gitlab.wasm`
//! loaded by the real host and reaching the simulator through the real gateway.
//! Every test starts its own simulator on 127.0.0.1 with an OS-assigned port.

use std::collections::HashSet;
use std::time::Duration;

use triage_core::{AdapterError, EntityRef, StatusCategory, TagOp, TicketAdapter, TicketPatch};
use triage_gateway::{Credential, Secret};
use triage_tests::conformance;
use triage_tests::gitlab::{connect, connection, small, start_generated};
use triage_tests::replay::raw_replay;
use triage_tests::{conformance_tests, load};

fn issues_path(sim: &triage_sim::gitlab::SimHandle) -> String {
    format!(
        "/api/v4/projects/{}/issues",
        sim.project_path().replace('/', "%2F")
    )
}

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
    assert_eq!(info.name, "gitlab");
    assert_eq!(info.max_page_size, 100);
    assert!(
        info.capabilities.tags
            && info.capabilities.internal_notes
            && info.capabilities.custom_fields
            && info.capabilities.native_search
    );
    assert!(
        !info.capabilities.optimistic_locking,
        "REST v4 has no conditional update"
    );
}

/// A few thousand issues, many sharing an `updated_at` second, in pages of 100: each once.
/// Then the same requests fetched raw with reqwest for comparison (printed, not asserted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multi_page_backlog_is_found_exactly_once() {
    let n = 4_000;
    let sim = start_generated(n, 42, 0.03).await;
    let issues = sim.issue_count();
    assert!(issues > 3_000, "{issues} issues");
    let adapter = connect(&sim).await;
    sim.clear_requests();
    let scan = conformance::check_every_ticket_once(&adapter, &sim, 100).await;
    assert!(scan.pages >= 30, "{} pages", scan.pages);
    let path = issues_path(&sim);
    let lists: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == path)
        .collect();
    assert!(lists.iter().all(|r| {
        r.query_param("order_by").as_deref() == Some("updated_at")
            && r.query_param("sort").as_deref() == Some("asc")
            && r.query_param("per_page").as_deref() == Some("100")
    }));
    assert!(lists[0].query_param("updated_after").is_none());
    assert!(
        lists[1..]
            .iter()
            .all(|r| r.query_param("updated_after").is_some())
    );

    let (raw, pages) = raw_replay(sim.base_url(), &lists, ("private-token", sim.token())).await;
    let raw_issues: usize = pages.iter().map(|p| p.as_array().map_or(0, Vec::len)).sum();
    let per_s = |d: Duration| scan.ids.len() as f64 / d.as_secs_f64();
    eprintln!(
        "gitlab backlog: {issues} issues; sandbox scan: {} find calls, {:.2?} ({:.0} issues/s); raw reqwest of the same pages: {raw_issues} issues in {:.2?} ({:.0} issues/s); sandbox/raw = {:.2}x; re-read by the sliding window: {}; largest cursor {} bytes",
        scan.pages,
        scan.elapsed,
        per_s(scan.elapsed),
        raw,
        per_s(raw),
        scan.elapsed.as_secs_f64() / raw.as_secs_f64(),
        raw_issues.saturating_sub(scan.ids.len()),
        scan.largest_cursor,
    );
}

/// More issues share one millisecond than fit a page: the scan steps through the pages of
/// that window instead of asking for the same page again.
#[tokio::test]
async fn ties_larger_than_a_page_are_read_once() {
    let sim = start_generated(0, 1, 0.0).await;
    let at = chrono::Utc::now() - chrono::Duration::days(1);
    for n in 0..25 {
        sim.insert_issue(triage_sim::gitlab::Issue {
            id: 0,
            iid: 0,
            title: format!("tie {n}"),
            description: "same moment".into(),
            state: "opened".into(),
            labels: vec![],
            author_id: triage_sim::gitlab::SUPPORT_BOT_ID,
            service_desk_reply_to: None,
            confidential: false,
            weight: None,
            due_date: None,
            created_at: at,
            updated_at: at,
            closed_at: None,
        });
    }
    let adapter = connect(&sim).await;
    let scan = conformance::check_every_ticket_once(&adapter, &sim, 10).await;
    assert_eq!(scan.ids.len(), 25);
    let pages: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == issues_path(&sim))
        .filter_map(|r| r.query_param("page"))
        .collect();
    assert_eq!(
        pages,
        ["1", "1", "2", "3"],
        "a fresh window, then its pages"
    );
}

#[tokio::test]
async fn tag_changes_keep_other_labels_through_add_and_remove_labels() {
    let (sim, adapter, id) = small().await;
    let before = sim.issue(id.parse().unwrap()).unwrap();
    sim.clear_requests();
    conformance::check_tags_keep_others(&adapter, &sim, &id).await;
    let writes: Vec<serde_json::Value> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| {
            assert_eq!(r.method, "PUT");
            serde_json::from_str(&r.body).unwrap()
        })
        .collect();
    assert_eq!(
        writes,
        [
            serde_json::json!({"add_labels": "triaged"}),
            serde_json::json!({"remove_labels": "triaged"})
        ],
        "never a whole-list `labels` write"
    );
    let after = sim.issue(id.parse().unwrap()).unwrap();
    let scoped = |labels: &[String]| -> Vec<String> {
        labels
            .iter()
            .filter(|l| l.contains("::"))
            .cloned()
            .collect()
    };
    assert_eq!(
        scoped(&after.labels),
        scoped(&before.labels),
        "queue and priority labels untouched"
    );
}

// GitLab specifics beyond the shared suite.

/// Moving queues adds the new scoped label and removes the old one, the other labels stay.
#[tokio::test]
async fn a_queue_move_leaves_one_queue_label_and_the_rest() {
    let (sim, adapter, id) = small().await;
    let iid: u64 = id.parse().unwrap();
    sim.modify_issue(iid, |i| {
        i.labels.retain(|l| !l.starts_with("queue::"));
        i.labels.push("queue::Sales and Pre-Sales".into());
        i.labels.push("customer-reported".into());
    });
    sim.clear_requests();
    let patch = TicketPatch {
        queue: Some(EntityRef::named("billing and payments")),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(&id, &patch).await.unwrap();
    let q = t.queue.unwrap();
    assert_eq!(
        (q.id.as_deref(), q.name.as_deref()),
        (
            Some("queue::Billing and Payments"),
            Some("Billing and Payments")
        )
    );
    let labels = sim.issue(iid).unwrap().labels;
    let queues: Vec<&String> = labels.iter().filter(|l| l.starts_with("queue::")).collect();
    assert_eq!(queues, ["queue::Billing and Payments"]);
    assert!(labels.contains(&"customer-reported".to_owned()));
    let put = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&put.body).unwrap();
    assert_eq!(body["add_labels"], "queue::Billing and Payments");
    assert!(
        body["remove_labels"]
            .as_str()
            .unwrap()
            .contains("queue::Sales and Pre-Sales")
    );
    assert!(body.get("labels").is_none());
    assert!(
        sim.requests().iter().all(|r| r.authorized),
        "the host added the token to every request"
    );
}

/// The simulator enforces one label per scope, as GitLab does: a raw `add_labels` of a
/// second queue drops the first.
#[tokio::test]
async fn the_simulator_keeps_one_label_per_scope() {
    let (sim, _adapter, id) = small().await;
    let url = format!("{}{}/{id}", sim.base_url(), issues_path(&sim));
    let http = reqwest::Client::new();
    for q in ["queue::IT Support", "queue::General Inquiry"] {
        let r = http
            .put(&url)
            .header("private-token", sim.token())
            .json(&serde_json::json!({ "add_labels": q }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let labels = sim.issue(id.parse().unwrap()).unwrap().labels;
    let queues: Vec<&String> = labels.iter().filter(|l| l.starts_with("queue::")).collect();
    assert_eq!(queues, ["queue::General Inquiry"]);
}

#[tokio::test]
async fn the_note_is_sent_internal_and_its_id_is_returned() {
    let (sim, adapter, id) = small().await;
    sim.clear_requests();
    let note = triage_core::Note {
        subject: Some("triage".into()),
        body: "routed to <billing>".into(),
        html: false,
    };
    let note_id = adapter.add_note(&id, &note).await.unwrap();
    let stored = sim.notes(id.parse().unwrap());
    let last = stored.last().unwrap();
    assert_eq!(note_id, Some(last.id.to_string()));
    assert!(last.internal);
    assert_eq!(last.body, "**triage**\n\nrouted to <billing>");
    let post = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&post.body).unwrap();
    assert_eq!(body["internal"], true);
    assert_eq!(body["confidential"], true, "the pre-15.6 name as well");
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_checked_before_writing() {
    let (sim, adapter, id) = small().await;
    let change = TicketPatch {
        priority: Some(EntityRef::named("urgent")),
        tags: Some(TagOp::Add(vec!["x".into()])),
        ..TicketPatch::default()
    };
    sim.clear_requests();
    conformance::check_stale_version_refused(&adapter, &sim, &id, &change, "2001-01-01T00:00:00Z")
        .await;
    assert!(
        sim.requests().iter().all(|r| r.method == "GET"),
        "nothing was written"
    );
    let (t, _) = conformance::check_current_version_accepted(&adapter, &id, &change).await;
    assert!(t.tags.contains(&"x".to_owned()));
    assert_eq!(t.priority.unwrap().id.as_deref(), Some("priority::urgent"));
}

#[tokio::test]
async fn queue_and_status_filters_apply() {
    let (sim, adapter, id) = small().await;
    conformance::check_queue_filter(&adapter, &id, &[StatusCategory::Open]).await;
    conformance::check_unknown_queue_filter_refused(&adapter).await;
    let filtered = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == issues_path(&sim))
        .find(|r| r.query_param("labels").is_some())
        .expect("a single queue is filtered by the server");
    assert_eq!(
        filtered.query_param("labels").as_deref(),
        Some("queue::Billing and Payments")
    );
    assert_eq!(filtered.query_param("state").as_deref(), Some("opened"));
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
        .find(|r| r.path == issues_path(&sim))
        .unwrap();
    let sent = first.query_param("updated_after").expect("updated_after");
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(&sent).unwrap(),
        since,
        "{sent}"
    );
}

/// A native query is GitLab's own list parameters.
#[tokio::test]
async fn native_parameters_pass_through() {
    let (sim, adapter, _) = small().await;
    let word = "zzqx-unique";
    let iid = sim.issues()[3].iid;
    sim.modify_issue(iid, |i| i.title = format!("printer {word}"));
    let query = triage_tests::native(&format!("search={word}"));
    let scan = conformance::scan(&adapter, &query).await.unwrap();
    assert_eq!(scan.ids, [iid.to_string()]);
    let reserved = triage_tests::native("page=2");
    match adapter.find_tickets(&reserved, None).await {
        Err(AdapterError::Validation(f)) => assert_eq!(f[0].field, "native"),
        other => panic!("expected validation on native, got {other:?}"),
    }
}

/// A queue name the project lacks is refused before GitLab would create it as a label.
#[tokio::test]
async fn an_unknown_queue_is_never_created_as_a_label() {
    let (sim, adapter, id) = small().await;
    let labels = sim.labels().len();
    sim.clear_requests();
    let patch = TicketPatch {
        queue: Some(EntityRef::named("Typo Queue")),
        ..TicketPatch::default()
    };
    match adapter.update_ticket(&id, &patch).await {
        Err(AdapterError::Validation(f)) => assert_eq!(f[0].field, "queue"),
        other => panic!("expected validation on queue, got {other:?}"),
    }
    assert!(sim.requests().iter().all(|r| r.method == "GET"));
    assert_eq!(sim.labels().len(), labels);
}

#[tokio::test]
async fn bearer_works_and_a_wrong_token_is_an_auth_error() {
    let sim = start_generated(20, 2, 0.0).await;
    let bearer = triage_tests::Connection {
        credential: Some(Credential::Bearer(Secret::new(sim.token()))),
        ..connection(&sim)
    };
    let adapter = bearer.connect(&load("gitlab")).await;
    assert_eq!(adapter.list_queues().await.unwrap().len(), 10);
    assert_eq!(adapter.list_priorities().await.unwrap().len(), 4);
    let wrong = triage_tests::Connection {
        credential: Some(Credential::Header {
            name: "PRIVATE-TOKEN".into(),
            value: Secret::new("glpat-wrong"),
        }),
        ..connection(&sim)
    };
    let adapter = wrong.connect(&load("gitlab")).await;
    let err = adapter.list_queues().await.unwrap_err();
    assert!(matches!(err, AdapterError::Auth(_)), "{err}");
    let unique: HashSet<_> = sim.requests().iter().map(|r| r.status).collect();
    assert!(unique.contains(&Some(401)));
}

/// An issue of an earlier page changed mid-scan moves to the end of the `updated_at` order,
/// shifting every later issue back by one: an offset scan would skip one; the sliding window
/// misses none (the moved issue comes again: it changed).
#[tokio::test]
async fn a_change_during_the_scan_loses_nothing() {
    let sim = start_generated(300, 8, 0.0).await;
    let adapter = connect(&sim).await;
    let query = triage_core::TicketQuery {
        page_size: 50,
        ..triage_core::TicketQuery::default()
    };
    let first = adapter.find_tickets(&query, None).await.unwrap();
    let moved = first.tickets[0].id.clone();
    let tag = TicketPatch {
        tags: Some(TagOp::Add(vec!["touched".into()])),
        ..TicketPatch::default()
    };
    adapter.update_ticket(&moved, &tag).await.unwrap();
    let mut ids: Vec<String> = first.tickets.into_iter().map(|t| t.id).collect();
    let mut cursor = first.next;
    while let Some(c) = cursor {
        let page = adapter.find_tickets(&query, Some(c)).await.unwrap();
        ids.extend(page.tickets.into_iter().map(|t| t.id));
        cursor = page.next;
    }
    let found: std::collections::BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(found, conformance::SimulatorProbe::all_ticket_ids(&sim));
    assert_eq!(ids.len(), found.len() + 1, "only the moved issue twice");
    assert_eq!(ids.last(), Some(&moved));
}

/// The throttle's reply as GitLab sends it: 429 "Retry later" with `Retry-After`,
/// `RateLimit-Reset` and the `RateLimit-*` counters.
#[tokio::test]
async fn the_simulator_throttles_with_gitlab_headers() {
    let (sim, _adapter, id) = small().await;
    sim.set_rate_limits(triage_sim::ratelimit::RateLimitConfig::per_minute(2));
    let url = format!("{}{}/{id}", sim.base_url(), issues_path(&sim));
    let http = reqwest::Client::new();
    let mut last = None;
    for _ in 0..3 {
        last = Some(
            http.get(&url)
                .header("private-token", sim.token())
                .send()
                .await
                .unwrap(),
        );
    }
    let r = last.unwrap();
    assert_eq!(r.status(), 429);
    let h = r.headers();
    assert!(h["retry-after"].to_str().unwrap().parse::<u64>().unwrap() > 0);
    assert!(h.contains_key("ratelimit-reset"));
    assert_eq!(h["ratelimit-limit"], "2");
    assert_eq!(h["ratelimit-remaining"], "0");
    assert_eq!(r.text().await.unwrap(), "Retry later\n");
}
