//! Written values, corrections recorded once, agreement per value, the export query.

use super::{key, record, t};
use crate::sqlite::SqliteStore;
use crate::{CorrectionQuery, FieldWrite, Outcome, StateStore, TicketKey};

async fn write(store: &SqliteStore, k: &TicketKey, at: i64, queue: &str, outcome: Outcome) {
    let writes = [
        FieldWrite::new("queue", queue),
        FieldWrite::new("priority", "High"),
    ];
    store
        .begin_writing(&record(k, &format!("f{at}"), t(at)), &writes)
        .await
        .unwrap();
    store.finish(k, outcome, None, None).await.unwrap();
}

#[tokio::test]
async fn only_applied_and_dry_run_writes_count() {
    let store = SqliteStore::in_memory().unwrap();
    let (applied, dry, failed, pending) = (
        key("p", "a"),
        key("p", "d"),
        key("p", "f"),
        key("p", "pending"),
    );
    write(&store, &applied, 0, "Billing", Outcome::Applied).await;
    write(&store, &dry, 1, "Billing", Outcome::DryRun).await;
    write(&store, &failed, 2, "Billing", Outcome::Failed).await;
    store
        .begin_writing(
            &record(&pending, "f", t(3)),
            &[FieldWrite::new("queue", "Billing")],
        )
        .await
        .unwrap();

    let live = store.written(&applied).await.unwrap();
    let fields: Vec<_> = live
        .iter()
        .map(|w| (w.field.as_str(), w.value.as_str(), w.shadow))
        .collect();
    assert_eq!(
        fields,
        [("priority", "High", false), ("queue", "Billing", false)]
    );
    assert_eq!(live[0].written_at, t(0));
    assert!(store.written(&dry).await.unwrap().iter().all(|w| w.shadow));
    assert!(store.written(&failed).await.unwrap().is_empty());
    assert!(store.written(&pending).await.unwrap().is_empty());
    // The pending decision counts once it lands.
    store
        .finish(&pending, Outcome::Applied, None, None)
        .await
        .unwrap();
    assert_eq!(store.written(&pending).await.unwrap().len(), 1);
    // Plain begin writes nothing.
    store
        .begin(&record(&key("p", "plain"), "f", t(4)))
        .await
        .unwrap();
    store
        .finish(&key("p", "plain"), Outcome::Applied, None, None)
        .await
        .unwrap();
    assert!(store.written(&key("p", "plain")).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_newest_counted_write_is_the_one_corrected() {
    let store = SqliteStore::in_memory().unwrap();
    let k = key("p", "1");
    write(&store, &k, 0, "Billing", Outcome::Applied).await;
    write(&store, &k, 5, "Sales", Outcome::Applied).await;
    // A later failed decision does not hide the write before it.
    write(&store, &k, 9, "Hardware", Outcome::Failed).await;
    let queue = |ws: Vec<crate::WrittenValue>| ws.into_iter().find(|w| w.field == "queue").unwrap();
    assert_eq!(queue(store.written(&k).await.unwrap()).value, "Sales");

    let c = store
        .record_correction(&k, "queue", Some("Returns".into()), t(20))
        .await
        .unwrap()
        .expect("new correction");
    assert_eq!(
        (c.written.as_str(), c.current.as_deref(), c.shadow),
        ("Sales", Some("Returns"), false)
    );
    assert_eq!((c.written_at, c.observed_at), (t(5), t(20)));
    assert!(queue(store.written(&k).await.unwrap()).corrected);
}

#[tokio::test]
async fn a_correction_is_recorded_once() {
    let store = SqliteStore::in_memory().unwrap();
    let k = key("p", "1");
    write(&store, &k, 0, "Billing", Outcome::Applied).await;
    let first = store
        .record_correction(&k, "queue", Some("Sales".into()), t(10))
        .await
        .unwrap();
    assert!(first.is_some());
    // Seen again on later passes, even with another value: still the first one.
    for (at, value) in [(11, "Sales"), (12, "Returns")] {
        let again = store
            .record_correction(&k, "queue", Some(value.into()), t(at))
            .await
            .unwrap();
        assert!(again.is_none(), "recorded twice at {at}");
    }
    let all = store
        .corrections(&CorrectionQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0].current.as_deref(), all[0].observed_at),
        (Some("Sales"), t(10))
    );
    // Another field of the same ticket is its own correction; a cleared field too.
    let cleared = store
        .record_correction(&k, "priority", None, t(13))
        .await
        .unwrap()
        .expect("priority corrected");
    assert_eq!(cleared.current, None);
    // Nothing written: nothing to correct.
    assert!(
        store
            .record_correction(&key("p", "never"), "queue", Some("x".into()), t(14))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn corrections_filter_by_pipeline_and_time_newest_first() {
    let store = SqliteStore::in_memory().unwrap();
    for (i, pipeline) in ["p", "q", "p"].into_iter().enumerate() {
        let k = key(pipeline, &format!("t{i}"));
        write(&store, &k, i as i64, "Billing", Outcome::DryRun).await;
        store
            .record_correction(&k, "queue", Some("Sales".into()), t(100 + i as i64))
            .await
            .unwrap()
            .unwrap();
    }
    let ids =
        |cs: Vec<crate::Correction>| cs.into_iter().map(|c| c.key.ticket_id).collect::<Vec<_>>();
    let all = store
        .corrections(&CorrectionQuery::default())
        .await
        .unwrap();
    assert!(all.iter().all(|c| c.shadow));
    assert_eq!(ids(all), ["t2", "t1", "t0"]);
    let p = CorrectionQuery {
        pipeline: Some("p".into()),
        ..CorrectionQuery::default()
    };
    assert_eq!(ids(store.corrections(&p).await.unwrap()), ["t2", "t0"]);
    let recent = CorrectionQuery {
        since: Some(t(101)),
        limit: Some(1),
        ..CorrectionQuery::default()
    };
    assert_eq!(ids(store.corrections(&recent).await.unwrap()), ["t2"]);
}

#[tokio::test]
async fn agreement_counts_writes_in_the_window_per_value_and_mode() {
    let store = SqliteStore::in_memory().unwrap();
    // Live: Billing ×3 (one corrected), Sales ×1; one Billing before the window.
    for (i, queue) in ["Billing", "Billing", "Billing", "Sales"]
        .iter()
        .enumerate()
    {
        write(
            &store,
            &key("p", &format!("l{i}")),
            10 + i as i64,
            queue,
            Outcome::Applied,
        )
        .await;
    }
    write(&store, &key("p", "old"), 0, "Billing", Outcome::Applied).await;
    store
        .record_correction(&key("p", "old"), "queue", Some("Sales".into()), t(50))
        .await
        .unwrap();
    store
        .record_correction(&key("p", "l1"), "queue", Some("Sales".into()), t(50))
        .await
        .unwrap();
    // Shadow: Billing ×1, corrected. Another pipeline's are not counted.
    write(&store, &key("p", "s"), 20, "Billing", Outcome::DryRun).await;
    store
        .record_correction(&key("p", "s"), "queue", Some("Sales".into()), t(50))
        .await
        .unwrap();
    write(&store, &key("q", "x"), 20, "Billing", Outcome::Applied).await;
    write(&store, &key("p", "failed"), 20, "Billing", Outcome::Failed).await;

    let rows = store.agreement("p", t(5)).await.unwrap();
    let got: Vec<_> = rows
        .iter()
        .filter(|a| a.field == "queue")
        .map(|a| (a.value.as_str(), a.shadow, a.written, a.corrected))
        .collect();
    assert_eq!(
        got,
        [
            ("Billing", false, 3, 1),
            ("Sales", false, 1, 0),
            ("Billing", true, 1, 1)
        ]
    );
    let billing = &rows.iter().find(|a| a.field == "queue").unwrap();
    assert!((billing.rate() - 2.0 / 3.0).abs() < 1e-9);
    let priority: u64 = rows
        .iter()
        .filter(|a| a.field == "priority" && !a.shadow)
        .map(|a| a.written)
        .sum();
    assert_eq!(priority, 4);
}

#[tokio::test]
async fn a_version_1_database_gains_the_tables_and_keeps_its_decisions() {
    use crate::sqlite::migrations::{MIGRATIONS, migrate};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        // As a v1 triage left it: one decision, no writes recorded.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrate(&mut conn, &MIGRATIONS[..1], "f").unwrap();
        conn.execute_batch(
            "INSERT INTO decisions (pipeline, connection, ticket_id, fingerprint, action, \
             outcome, attempts, decided_at) VALUES ('p', 'freshdesk-main', 'old', 'f', \
             'update', 'applied', 1, '2026-01-01T00:00:00.000000000Z'); \
             INSERT INTO latest VALUES ('p', 'freshdesk-main', 'old', 1);",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let old = key("p", "old");
    assert_eq!(
        store.latest(&old).await.unwrap().unwrap().outcome,
        Outcome::Applied
    );
    assert!(store.written(&old).await.unwrap().is_empty());
    let k = key("p", "1");
    write(&store, &k, 0, "Billing", Outcome::Applied).await;
    assert_eq!(store.written(&k).await.unwrap().len(), 2);
    assert!(
        store
            .record_correction(&k, "queue", Some("Sales".into()), t(1))
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_shadow_write_keeps_what_the_field_showed_and_is_settled_once() {
    let store = SqliteStore::in_memory().unwrap();
    let (agreed, corrected, live) = (key("p", "a"), key("p", "c"), key("p", "l"));
    for (k, outcome) in [
        (&agreed, Outcome::DryRun),
        (&corrected, Outcome::DryRun),
        (&live, Outcome::Applied),
    ] {
        let writes = [FieldWrite::new("queue", "Billing").over(Some("Inbox".into()))];
        store
            .begin_writing(&record(k, "f", t(10)), &writes)
            .await
            .unwrap();
        store.finish(k, outcome, None, None).await.unwrap();
    }
    let before = store.written(&agreed).await.unwrap();
    assert_eq!(before[0].before, Some(Some("Inbox".into())));
    assert!(!before[0].agreed && before[0].shadow);

    assert!(
        store
            .record_agreement(&agreed, "queue", t(20))
            .await
            .unwrap()
    );
    assert!(
        !store
            .record_agreement(&agreed, "queue", t(21))
            .await
            .unwrap()
    );
    // Only a shadow write can be agreed with.
    assert!(!store.record_agreement(&live, "queue", t(20)).await.unwrap());
    store
        .record_correction(&corrected, "queue", Some("Sales".into()), t(20))
        .await
        .unwrap();
    assert!(store.written(&agreed).await.unwrap()[0].agreed);

    let rows = store.agreement("p", t(0)).await.unwrap();
    let shadow = rows.iter().find(|a| a.shadow).unwrap();
    assert_eq!((shadow.written, shadow.agreed, shadow.corrected), (2, 1, 1));
    assert!((shadow.rate() - 0.5).abs() < 1e-9);
    let live_row = rows.iter().find(|a| !a.shadow).unwrap();
    assert_eq!((live_row.written, live_row.agreed), (1, 0));
}

#[tokio::test]
async fn writes_recorded_before_version_3_have_no_known_earlier_value() {
    use crate::sqlite::migrations::{MIGRATIONS, migrate};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrate(&mut conn, &MIGRATIONS[..2], "f").unwrap();
        conn.execute_batch(
            "INSERT INTO decisions (pipeline, connection, ticket_id, fingerprint, action, \
             outcome, attempts, decided_at) VALUES ('p', 'freshdesk-main', 'old', 'f', \
             'none', 'dry_run', 1, '2026-01-01T00:00:00.000000000Z'); \
             INSERT INTO latest VALUES ('p', 'freshdesk-main', 'old', 1); \
             INSERT INTO written VALUES (1, 'queue', 'Billing', 'p', 'freshdesk-main', 'old', \
             '2026-01-01T00:00:00.000000000Z');",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let old = store.written(&key("p", "old")).await.unwrap();
    assert_eq!(old.len(), 1);
    assert!(old[0].shadow);
    assert_eq!(old[0].before, None);
}
