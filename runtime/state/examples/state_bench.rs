//! Prints how fast the on-disk store records decisions (begin + finish per ticket, each an
//! fsynced commit) and answers the start-up queries. `cargo run --release --example
//! state_bench -p triage-state -- [TICKETS] [DIR]`; DIR defaults to a temporary directory.

use std::time::Instant;

use chrono::Utc;
use triage_state::{
    DecisionRecord, HistoryQuery, Outcome, SqliteStore, StateStore, TicketKey, Verdict,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let tickets: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2_000);
    let tmp = tempfile::tempdir()?;
    let dir = args
        .next()
        .map(Into::into)
        .unwrap_or_else(|| tmp.path().to_owned());
    let store = SqliteStore::open(dir.join("bench-state.db"))?;

    let started = Instant::now();
    for i in 0..tickets {
        let key = TicketKey::new("bench", "sim", i.to_string());
        let record = DecisionRecord {
            key: key.clone(),
            fingerprint: format!("{i:064x}"),
            version_seen: Some("2026-11-25T10:00:00Z".into()),
            version_after: None,
            verdicts: vec![Verdict {
                field: "priority".into(),
                model: "prio".into(),
                model_version: "1".into(),
                label: "high".into(),
                confidence: 0.9,
                value: Some("3".into()),
            }],
            action: "update+note".into(),
            outcome: Outcome::Pending,
            error: None,
            attempts: 0,
            decided_at: Utc::now(),
        };
        store.begin(&record).await?;
        store
            .finish(&key, Outcome::Applied, Some("v2".into()), None)
            .await?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{tickets} decisions (begin+finish) in {secs:.2} s: {:.0} tickets/s, {:.2} ms each",
        f64::from(tickets) / secs,
        secs * 1000.0 / f64::from(tickets)
    );

    let started = Instant::now();
    let pending = store.pending("bench").await?.len();
    let failed = store.failed("bench", 3).await?.len();
    let counts = store.counts("bench").await?;
    let recent = store.history(&HistoryQuery::default()).await?.len();
    println!(
        "pending {pending}, failed {failed}, counts {counts:?}, history {recent} rows: {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
