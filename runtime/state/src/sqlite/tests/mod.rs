//! Behaviour of the SQLite store through the `StateStore` trait, and shared fixtures.

mod corrections;
mod durability;
mod open;
mod records;

use chrono::{DateTime, TimeZone, Utc};

use super::SqliteStore;
use crate::{DecisionRecord, Outcome, StateStore, TicketKey, Verdict};

pub(super) fn t(secs: i64) -> DateTime<Utc> {
    // Nanoseconds included: they must survive the round trip.
    Utc.timestamp_opt(1_780_000_000 + secs, 123_456_789)
        .unwrap()
}

pub(super) fn key(pipeline: &str, ticket: &str) -> TicketKey {
    TicketKey::new(pipeline, "freshdesk-main", ticket)
}

pub(super) fn record(key: &TicketKey, fingerprint: &str, at: DateTime<Utc>) -> DecisionRecord {
    DecisionRecord {
        key: key.clone(),
        fingerprint: fingerprint.to_owned(),
        version_seen: Some(format!("seen-{fingerprint}")),
        version_after: None,
        verdicts: vec![
            Verdict {
                field: "priority".into(),
                model: "prio-bag".into(),
                model_version: "2026.11.1".into(),
                label: "urgent".into(),
                confidence: 0.912_345_7,
                value: Some("4".into()),
            },
            Verdict {
                field: "group".into(),
                model: "group-bag".into(),
                model_version: "3".into(),
                label: "billing".into(),
                confidence: 0.41,
                value: None,
            },
        ],
        action: "update+note".into(),
        outcome: Outcome::Pending,
        error: None,
        attempts: 99, // ignored: the store counts
        decided_at: at,
    }
}

pub(super) async fn decide(store: &SqliteStore, rec: &DecisionRecord, outcome: Outcome) {
    store.begin(rec).await.unwrap();
    store.finish(&rec.key, outcome, None, None).await.unwrap();
}
