//! Passes of the pipeline over the Freshdesk simulator, through freshdesk.wasm,
//! the bundled models and a SQLite state store: every ticket is written exactly
//! once, a second pass writes nothing, a dry run writes nothing, low confidence
//! goes to the fallback, an intent left pending is resumed without a
//! second update, and an agent's change of a written queue is recorded once as a
//! correction and left alone.

use std::path::PathBuf;
use std::sync::Arc;

use triage_classifier::{AsyncClassifier, ClassifierOptions};
use triage_core::TicketQuery;
use triage_pipeline::{
    Fallback, Field, NoObserver, NoteTemplate, Pass, Step, StepPolicy, WritePolicy,
};
use triage_sim::freshdesk::SimHandle;
use triage_state::{SqliteStore, StateStore, TicketKey};
use triage_tests::freshdesk;
use triage_tests::service::successful_writes as writes;

const TICKETS: usize = 250;

async fn step(field: Field, dir: &str, policy: impl FnOnce(&mut StepPolicy)) -> Arc<Step> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../models")
        .join(dir);
    let model = AsyncClassifier::load(path, ClassifierOptions::default())
        .await
        .expect("bundled model loads (run scripts/setup-onnxruntime.sh once)");
    let mut p = StepPolicy::new(field, 0.0);
    policy(&mut p);
    Arc::new(Step {
        model_name: dir.into(),
        model_version: "test".into(),
        model,
        policy: p,
    })
}

async fn pass(
    sim: &SimHandle,
    store: Arc<dyn StateStore>,
    steps: Vec<Arc<Step>>,
    dry_run: bool,
) -> Pass {
    Pass {
        pipeline: "inbox".into(),
        connection: "freshdesk".into(),
        adapter: Arc::new(freshdesk::connect(sim).await),
        steps,
        write: WritePolicy {
            fields: true,
            tag: Some("triage".into()),
            note: Some(NoteTemplate::default()),
            dry_run,
        },
        store,
        batch: 64,
        concurrency: 4,
        max_attempts: 3,
        observer: Arc::new(NoObserver),
        stop: Default::default(),
    }
}

/// [`pass`] with its observations counted into `metrics`.
async fn metered(
    sim: &SimHandle,
    store: Arc<dyn StateStore>,
    steps: &[Arc<Step>],
    metrics: &Arc<triage_service::metrics::Metrics>,
    dry_run: bool,
) -> Pass {
    let mut p = pass(sim, store, steps.to_vec(), dry_run).await;
    p.observer = metrics.clone();
    p
}

fn memory() -> Arc<dyn StateStore> {
    Arc::new(SqliteStore::in_memory().expect("in-memory store"))
}

async fn drain(sim: &SimHandle, steps: Vec<Arc<Step>>, dry_run: bool) -> triage_pipeline::Summary {
    pass(sim, memory(), steps, dry_run)
        .await
        .run(&TicketQuery::default())
        .await
        .expect("pass completes")
}

#[tokio::test]
async fn every_ticket_is_written_exactly_once_with_a_private_note() {
    let sim = freshdesk::start_generated(TICKETS, 11).await;
    let steps = vec![
        step(Field::Queue, "queue", |_| {}).await,
        step(Field::Priority, "priority", |_| {}).await,
    ];
    let summary = drain(&sim, steps, false).await;
    assert_eq!(
        (summary.fetched, summary.updated, summary.failed),
        (TICKETS, TICKETS, 0)
    );

    let written = writes(&sim);
    assert_eq!(written.len(), TICKETS);
    assert!(written.values().all(|w| *w == (1, 1)), "{written:?}");
    for ticket in sim.tickets() {
        assert!(
            ticket.group_id.is_some(),
            "ticket {} has no group",
            ticket.id
        );
        assert!(
            ticket.tags.iter().any(|t| t == "triage"),
            "ticket {}",
            ticket.id
        );
        let notes = sim.notes(ticket.id);
        assert_eq!(notes.len(), 1, "ticket {}", ticket.id);
        assert!(notes[0].private, "ticket {}", ticket.id);
    }
}

#[tokio::test]
async fn a_dry_run_changes_nothing() {
    let sim = freshdesk::start_generated(TICKETS, 12).await;
    let before = sim.tickets();
    let summary = drain(&sim, vec![step(Field::Queue, "queue", |_| {}).await], true).await;
    assert_eq!((summary.fetched, summary.updated), (TICKETS, 0));
    assert!(writes(&sim).is_empty());
    assert_eq!(sim.tickets(), before);
    assert!(sim.all_notes().is_empty());
}

#[tokio::test]
async fn low_confidence_goes_to_the_fallback_queue() {
    let sim = freshdesk::start_generated(TICKETS, 13).await;
    let unreachable = |p: &mut StepPolicy| {
        p.threshold = 1.01;
        p.fallback = Fallback::Set("General Inquiry".into());
    };
    let summary = drain(
        &sim,
        vec![step(Field::Queue, "queue", unreachable).await],
        false,
    )
    .await;
    assert_eq!(summary.updated, TICKETS, "tickets start without a group");
    let fallback = sim.group_id("General Inquiry").expect("group exists");
    assert!(sim.tickets().iter().all(|t| t.group_id == Some(fallback)));
}

#[tokio::test]
async fn a_second_pass_with_the_same_store_writes_nothing() {
    let sim = freshdesk::start_generated(TICKETS, 14).await;
    let store = memory();
    let steps = vec![step(Field::Queue, "queue", |_| {}).await];
    let first = pass(&sim, store.clone(), steps.clone(), false).await;
    let summary = first
        .run(&TicketQuery::default())
        .await
        .expect("first pass");
    assert_eq!(summary.updated, TICKETS);
    let before = writes(&sim);

    let second = pass(&sim, store, steps, false).await;
    let summary = second
        .run(&TicketQuery::default())
        .await
        .expect("second pass");
    assert_eq!((summary.updated, summary.failed), (0, 0));
    assert_eq!(summary.skipped, summary.fetched, "{summary:?}");
    assert_eq!(writes(&sim), before);
}

#[tokio::test]
async fn a_pending_intent_whose_update_landed_is_not_updated_again() {
    let sim = freshdesk::start_generated(TICKETS, 15).await;
    let store = memory();
    let steps = vec![step(Field::Queue, "queue", |_| {}).await];
    let first = pass(&sim, store.clone(), steps.clone(), false).await;
    first
        .run(&TicketQuery::default())
        .await
        .expect("first pass");

    // As if the process died after the update of ticket `id` but before its
    // note and outcome were recorded: the latest record is pending again.
    let id = sim.tickets()[0].id.to_string();
    let key = triage_state::TicketKey::new("inbox", "freshdesk", &id);
    let mut record = store.latest(&key).await.unwrap().expect("decided");
    record.outcome = triage_state::Outcome::Pending;
    record.version_after = None;
    store.begin(&record).await.unwrap();
    let puts_before = writes(&sim)[&id];

    let resumed = pass(&sim, store.clone(), steps, false).await;
    let summary = resumed.run(&TicketQuery::default()).await.expect("resume");
    assert_eq!(summary.resumed, 1);
    let after = writes(&sim)[&id];
    assert_eq!(
        after.0, puts_before.0,
        "the landed update is not sent again"
    );
    assert_eq!(
        after.1,
        puts_before.1 + 1,
        "the note is written (it was not recorded)"
    );
    let latest = store.latest(&key).await.unwrap().unwrap();
    assert_eq!(latest.outcome, triage_state::Outcome::Applied);
}

#[tokio::test]
async fn an_agents_change_of_a_written_queue_is_one_correction_and_is_left_alone() {
    let sim = freshdesk::start_generated(40, 16).await;
    let store = memory();
    let metrics = triage_service::metrics::Metrics::shared();
    let steps = vec![step(Field::Queue, "queue", |_| {}).await];
    let counted = |store| metered(&sim, store, &steps, &metrics, false);
    let first = counted(store.clone())
        .await
        .run(&TicketQuery::default())
        .await;
    assert_eq!(first.expect("first pass").updated, 40);

    // An agent moves one ticket to another group, through the API as a person would.
    let ticket = sim.tickets()[0].clone();
    let written = sim
        .groups()
        .into_iter()
        .find(|g| Some(g.id) == ticket.group_id)
        .expect("triage set a group");
    let other = sim
        .groups()
        .into_iter()
        .find(|g| g.id != written.id)
        .unwrap();
    freshdesk::agent_moves(&sim, ticket.id, other.id).await;
    let before = writes(&sim);

    let second = counted(store.clone())
        .await
        .run(&TicketQuery::default())
        .await;
    let second = second.expect("second pass");
    assert_eq!((second.corrections, second.updated), (1, 0), "{second:?}");
    assert_eq!(
        writes(&sim),
        before,
        "nothing written, least of all the corrected ticket"
    );
    assert_eq!(sim.ticket(ticket.id).unwrap().group_id, Some(other.id));
    let corrections = store
        .corrections(&triage_state::CorrectionQuery::default())
        .await
        .unwrap();
    assert_eq!(corrections.len(), 1, "{corrections:?}");
    let c = &corrections[0];
    assert_eq!(c.key.ticket_id, ticket.id.to_string());
    assert_eq!(
        (c.field.as_str(), c.written.as_str()),
        ("queue", written.name.as_str())
    );
    assert_eq!(c.current.as_deref(), Some(other.name.as_str()));
    let encoded = metrics.encode();
    assert!(
        encoded.contains(r#"triage_corrections_total{pipeline="inbox",field="queue"} 1"#),
        "{encoded}"
    );

    // A third pass records it no second time and still leaves the ticket alone.
    let third = counted(store.clone())
        .await
        .run(&TicketQuery::default())
        .await;
    assert_eq!(third.expect("third pass").corrections, 0);
    assert_eq!(writes(&sim), before);
    assert!(
        metrics
            .encode()
            .contains(r#"triage_corrections_total{pipeline="inbox",field="queue"} 1"#)
    );
}

/// Shadow accuracy: a dry run's values are settled only when an agent sets the field —
/// one agent picks what triage would have written (an agreement), another picks something
/// else (a shadow correction); untouched tickets count for neither.
#[tokio::test]
async fn a_dry_runs_values_are_compared_once_agents_set_the_field() {
    let sim = freshdesk::start_generated(30, 17).await;
    let store = memory();
    let metrics = triage_service::metrics::Metrics::shared();
    let steps = vec![step(Field::Queue, "queue", |_| {}).await];
    let counted = |store| metered(&sim, store, &steps, &metrics, true);
    let query = TicketQuery::default();
    let first = counted(store.clone())
        .await
        .run(&query)
        .await
        .expect("first pass");
    assert_eq!((first.dry_run, first.updated), (30, 0), "{first:?}");
    // Nobody touched anything: nothing to compare, nothing held.
    let second = counted(store.clone())
        .await
        .run(&query)
        .await
        .expect("second pass");
    assert_eq!(second.corrections, 0, "{second:?}");

    let tickets = sim.tickets();
    let shadow_of = |id: u64| {
        let store = store.clone();
        async move {
            let key = TicketKey::new("inbox", "freshdesk", id.to_string());
            let written = store.written(&key).await.unwrap();
            written
                .into_iter()
                .find(|w| w.field == "queue")
                .unwrap()
                .value
        }
    };
    let (agreeing, disagreeing) = (tickets[0].id, tickets[1].id);
    let would = shadow_of(agreeing).await;
    freshdesk::agent_moves(&sim, agreeing, sim.group_id(&would).unwrap()).await;
    let would_not = shadow_of(disagreeing).await;
    let other = sim
        .groups()
        .into_iter()
        .find(|g| g.name != would_not)
        .unwrap();
    freshdesk::agent_moves(&sim, disagreeing, other.id).await;

    let third = counted(store.clone())
        .await
        .run(&query)
        .await
        .expect("third pass");
    assert_eq!(third.corrections, 1, "{third:?}");
    let corrections = store
        .corrections(&triage_state::CorrectionQuery::default())
        .await
        .unwrap();
    assert_eq!(corrections.len(), 1);
    assert!(corrections[0].shadow);
    assert_eq!(corrections[0].key.ticket_id, disagreeing.to_string());
    let report = triage_service::agreement::report(
        &*store,
        "inbox",
        std::time::Duration::from_secs(3600),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let queue = &report.shadow["queue"];
    assert_eq!((queue.written, queue.agreed, queue.corrected), (30, 1, 1));
    assert_eq!(queue.agreement, Some(0.5));
    let encoded = metrics.encode();
    for line in [
        r#"triage_shadow_agreements_total{pipeline="inbox",field="queue"} 1"#,
        r#"triage_shadow_corrections_total{pipeline="inbox",field="queue"} 1"#,
    ] {
        assert!(encoded.contains(line), "{line} missing from\n{encoded}");
    }
    // Settled tickets are the agents' now; a fourth pass settles nothing again.
    let fourth = counted(store.clone())
        .await
        .run(&query)
        .await
        .expect("fourth pass");
    assert_eq!(fourth.corrections, 0);
    let again = triage_service::agreement::report(
        &*store,
        "inbox",
        std::time::Duration::from_secs(3600),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(again.shadow["queue"].agreed, 1);
}
