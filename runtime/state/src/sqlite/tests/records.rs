//! Recording decisions and reading them back.

use super::{decide, key, record, t};
use crate::sqlite::SqliteStore;
use crate::{DecisionRecord, HistoryQuery, Outcome, StateError, StateStore};
use chrono::Utc;

#[tokio::test]
async fn record_with_verdicts_round_trips() {
    let store = SqliteStore::in_memory().unwrap();
    let k = key("p", "1");
    let rec = record(&k, "fp1", t(0));
    store.begin(&rec).await.unwrap();
    let got = store.latest(&k).await.unwrap().expect("recorded");
    assert_eq!(got, DecisionRecord { attempts: 1, ..rec });
    assert!(store.latest(&key("p", "2")).await.unwrap().is_none());
    assert!(store.latest(&key("other", "1")).await.unwrap().is_none());
}

#[tokio::test]
async fn latest_wins_and_history_keeps_every_decision() {
    let store = SqliteStore::in_memory().unwrap();
    let k = key("p", "1");
    decide(&store, &record(&k, "fp1", t(0)), Outcome::Applied).await;
    let mut second = record(&k, "fp2", t(10));
    second.verdicts.truncate(1);
    store.begin(&second).await.unwrap();
    let got = store.latest(&k).await.unwrap().unwrap();
    assert_eq!(got.fingerprint, "fp2");
    assert_eq!(got.verdicts.len(), 1);
    assert_eq!(got.outcome, Outcome::Pending);
    let trail = store.history(&HistoryQuery::default()).await.unwrap();
    let fps: Vec<_> = trail
        .iter()
        .map(|r| (r.fingerprint.as_str(), r.outcome))
        .collect();
    assert_eq!(fps, [("fp2", Outcome::Pending), ("fp1", Outcome::Applied)]);
}

#[tokio::test]
async fn attempts_count_retries_of_the_same_text_only() {
    let store = SqliteStore::in_memory().unwrap();
    let k = key("p", "1");
    for expected in 1..=3 {
        decide(&store, &record(&k, "fp1", t(expected)), Outcome::Failed).await;
        assert_eq!(
            store.latest(&k).await.unwrap().unwrap().attempts,
            expected as u32
        );
    }
    store.begin(&record(&k, "fp-new", t(9))).await.unwrap();
    assert_eq!(store.latest(&k).await.unwrap().unwrap().attempts, 1);
    // Another ticket's count is its own.
    store
        .begin(&record(&key("p", "2"), "fp1", t(9)))
        .await
        .unwrap();
    assert_eq!(
        store
            .latest(&key("p", "2"))
            .await
            .unwrap()
            .unwrap()
            .attempts,
        1
    );
}

#[tokio::test]
async fn begin_without_finish_is_pending() {
    let store = SqliteStore::in_memory().unwrap();
    let (a, b, c) = (key("p", "a"), key("p", "b"), key("p", "c"));
    store.begin(&record(&a, "fa", t(0))).await.unwrap();
    decide(&store, &record(&b, "fb", t(1)), Outcome::Applied).await;
    store.begin(&record(&c, "fc", t(2))).await.unwrap();
    store
        .begin(&record(&key("q", "a"), "fa", t(3)))
        .await
        .unwrap();
    let pending = store.pending("p").await.unwrap();
    let ids: Vec<_> = pending.iter().map(|r| r.key.ticket_id.as_str()).collect();
    assert_eq!(ids, ["a", "c"], "oldest first, this pipeline only");
    assert_eq!(pending[0].verdicts.len(), 2);
    // A pending record superseded by a finished one is no longer pending.
    decide(&store, &record(&a, "fa", t(4)), Outcome::Unchanged).await;
    let ids: Vec<_> = store
        .pending("p")
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.key.ticket_id)
        .collect();
    assert_eq!(ids, ["c"]);
}

#[tokio::test]
async fn finish_updates_the_latest_record_only() {
    let store = SqliteStore::in_memory().unwrap();
    let k = key("p", "1");
    decide(&store, &record(&k, "fp1", t(0)), Outcome::Failed).await;
    store.begin(&record(&k, "fp1", t(5))).await.unwrap();
    store
        .finish(&k, Outcome::Applied, Some("v-after".into()), None)
        .await
        .unwrap();
    let trail = store
        .history(&HistoryQuery {
            ticket_id: Some("1".into()),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(trail.len(), 2);
    assert_eq!(
        (trail[0].outcome, trail[0].version_after.as_deref()),
        (Outcome::Applied, Some("v-after"))
    );
    assert_eq!(
        (trail[1].outcome, trail[1].version_after.as_deref()),
        (Outcome::Failed, None)
    );
    // The error is recorded with the outcome.
    store
        .finish(&k, Outcome::Failed, None, Some("HTTP 422: priority".into()))
        .await
        .unwrap();
    let latest = store.latest(&k).await.unwrap().unwrap();
    assert_eq!(latest.error.as_deref(), Some("HTTP 422: priority"));
}

#[tokio::test]
async fn finish_refuses_unknown_keys_and_pending() {
    let store = SqliteStore::in_memory().unwrap();
    let k = key("p", "nope");
    let err = store
        .finish(&k, Outcome::Applied, None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, StateError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("p/freshdesk-main/nope"), "{err}");
    store.begin(&record(&k, "f", t(0))).await.unwrap();
    let err = store
        .finish(&k, Outcome::Pending, None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, StateError::NotFinal { .. }), "{err:?}");
}

#[tokio::test]
async fn failed_lists_retryable_tickets_below_the_threshold() {
    let store = SqliteStore::in_memory().unwrap();
    let (once, thrice, fixed) = (key("p", "once"), key("p", "thrice"), key("p", "fixed"));
    decide(&store, &record(&once, "f", t(0)), Outcome::Failed).await;
    for i in 0..3 {
        decide(&store, &record(&thrice, "f", t(i)), Outcome::Failed).await;
    }
    decide(&store, &record(&fixed, "f", t(0)), Outcome::Failed).await;
    decide(&store, &record(&fixed, "f", t(1)), Outcome::Applied).await;
    decide(&store, &record(&key("q", "x"), "f", t(0)), Outcome::Failed).await;

    assert_eq!(
        store.failed("p", 3).await.unwrap(),
        std::slice::from_ref(&once)
    );
    assert_eq!(store.failed("p", 4).await.unwrap(), [once, thrice]);
    assert!(store.failed("p", 1).await.unwrap().is_empty());
}

#[tokio::test]
async fn watermarks_are_per_pipeline_and_replaced() {
    let store = SqliteStore::in_memory().unwrap();
    assert!(store.watermark("p").await.unwrap().is_none());
    let before = Utc::now();
    store.set_watermark("p", t(0)).await.unwrap();
    store.set_watermark("q", t(5)).await.unwrap();
    store.set_watermark("p", t(100)).await.unwrap();
    let p = store.watermark("p").await.unwrap().unwrap();
    assert_eq!((p.pipeline.as_str(), p.updated_since), ("p", t(100)));
    assert!(p.recorded_at >= before);
    assert_eq!(
        store.watermark("q").await.unwrap().unwrap().updated_since,
        t(5)
    );
}

#[tokio::test]
async fn history_filters_and_limits_newest_first() {
    let store = SqliteStore::in_memory().unwrap();
    let outcomes = [Outcome::Applied, Outcome::Failed, Outcome::DryRun];
    for i in 0..9 {
        let pipeline = if i % 2 == 0 { "p" } else { "q" };
        let k = key(pipeline, &format!("t{}", i % 3));
        decide(
            &store,
            &record(&k, &format!("f{i}"), t(i)),
            outcomes[i as usize % 3],
        )
        .await;
    }
    let stamps =
        |rs: Vec<DecisionRecord>| rs.into_iter().map(|r| r.fingerprint).collect::<Vec<_>>();

    let all = store
        .history(&HistoryQuery {
            limit: 100,
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        stamps(all),
        ["f8", "f7", "f6", "f5", "f4", "f3", "f2", "f1", "f0"]
    );
    let limited = store
        .history(&HistoryQuery {
            limit: 3,
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(stamps(limited), ["f8", "f7", "f6"]);
    let p = HistoryQuery {
        pipeline: Some("p".into()),
        limit: 100,
        ..HistoryQuery::default()
    };
    assert_eq!(
        stamps(store.history(&p).await.unwrap()),
        ["f8", "f6", "f4", "f2", "f0"]
    );
    let p_t0 = HistoryQuery {
        ticket_id: Some("t0".into()),
        ..p.clone()
    };
    assert_eq!(stamps(store.history(&p_t0).await.unwrap()), ["f6", "f0"]);
    let failed = HistoryQuery {
        outcome: Some(Outcome::Failed),
        limit: 100,
        ..HistoryQuery::default()
    };
    assert_eq!(
        stamps(store.history(&failed).await.unwrap()),
        ["f7", "f4", "f1"]
    );
    let all_three = HistoryQuery {
        outcome: Some(Outcome::Applied),
        ticket_id: Some("t0".into()),
        ..p
    };
    assert_eq!(
        stamps(store.history(&all_three).await.unwrap()),
        ["f6", "f0"]
    );
    let none = HistoryQuery {
        limit: 0,
        ..HistoryQuery::default()
    };
    assert!(store.history(&none).await.unwrap().is_empty());
}

#[tokio::test]
async fn counts_cover_latest_outcomes_of_one_pipeline() {
    let store = SqliteStore::in_memory().unwrap();
    decide(&store, &record(&key("p", "1"), "a", t(0)), Outcome::Failed).await;
    decide(&store, &record(&key("p", "1"), "a", t(1)), Outcome::Applied).await;
    decide(&store, &record(&key("p", "2"), "a", t(2)), Outcome::Applied).await;
    decide(&store, &record(&key("p", "3"), "a", t(3)), Outcome::DryRun).await;
    store
        .begin(&record(&key("p", "4"), "a", t(4)))
        .await
        .unwrap();
    decide(&store, &record(&key("q", "1"), "a", t(5)), Outcome::Failed).await;
    let counts = store.counts("p").await.unwrap();
    let expected = [
        ("applied", 2),
        ("dry_run", 1),
        ("failed", 0),
        ("pending", 1),
        ("unchanged", 0),
    ];
    assert_eq!(counts, expected.map(|(k, v)| (k.to_owned(), v)).into());
    assert!(
        store
            .counts("nobody")
            .await
            .unwrap()
            .values()
            .all(|&n| n == 0)
    );
}

#[tokio::test]
async fn concurrent_calls_from_many_tasks() {
    let store = SqliteStore::in_memory().unwrap();
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                decide(
                    &store,
                    &record(&key("p", &i.to_string()), "f", t(i)),
                    Outcome::Applied,
                )
                .await;
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(store.counts("p").await.unwrap()["applied"], 32);
}

#[tokio::test]
async fn update_landed_keeps_the_record_pending_with_its_version() {
    let store = SqliteStore::in_memory().unwrap();
    let k = key("p", "1");
    store.begin(&record(&k, "f", t(0))).await.unwrap();
    store.update_landed(&k, Some("v7".into())).await.unwrap();
    let pending = store.pending("p").await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].version_after.as_deref(), Some("v7"));
    store
        .finish(&k, Outcome::Applied, Some("v8".into()), None)
        .await
        .unwrap();
    let latest = store.latest(&k).await.unwrap().unwrap();
    assert_eq!(
        (latest.outcome, latest.version_after.as_deref()),
        (Outcome::Applied, Some("v8"))
    );
    let err = store
        .update_landed(&key("p", "none"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, StateError::NotFound { .. }), "{err:?}");
}
