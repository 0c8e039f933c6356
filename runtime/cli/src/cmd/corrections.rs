//! `triage history --corrections`: what agents changed of what triage wrote, per-label
//! agreement, and (`--jsonl`) the export `triage train` reads.
//!
//! Ticket text is not stored, so the export holds the ticket id, the field and the
//! agent's value; `triage train` (issue #12, item 1) is to fetch each ticket's text
//! through the pipeline's connection and add these as labelled examples with more
//! weight, and to leave out tickets whose value triage wrote and nobody confirmed.

use triage_config::Config;
use triage_service::agreement;
use triage_state::{CorrectionQuery, SqliteStore};

use super::history::Args;

pub async fn run(config: &Config, store: &SqliteStore, args: &Args) -> anyhow::Result<()> {
    let window = triage_config::parse_duration(&args.window)
        .map_err(|e| anyhow::anyhow!("--window: {e}"))?;
    let query = CorrectionQuery {
        pipeline: args.pipeline.clone(),
        since: None,
        limit: (!args.jsonl).then_some(args.limit),
    };
    let corrections = triage_state::StateStore::corrections(store, &query).await?;
    if args.jsonl {
        for c in corrections.iter().filter(|c| c.current.is_some()) {
            let line = serde_json::json!({
                "pipeline": c.key.pipeline,
                "connection": c.key.connection,
                "ticket_id": c.key.ticket_id,
                "field": c.field,
                "value": c.current,
                "written": c.written,
                "shadow": c.shadow,
                "observed_at": c.observed_at,
            });
            println!("{line}");
        }
        return Ok(());
    }
    println!(
        "{:<20} {:<14} {:<10} {:<9} {:<6} written → agent's",
        "observed at (UTC)", "pipeline", "ticket", "field", "mode"
    );
    for c in &corrections {
        println!(
            "{:<20} {:<14} {:<10} {:<9} {:<6} {} → {}",
            c.observed_at.format("%Y-%m-%d %H:%M:%S"),
            c.key.pipeline,
            c.key.ticket_id,
            c.field,
            if c.shadow { "shadow" } else { "live" },
            c.written,
            c.current.as_deref().unwrap_or("(cleared)")
        );
    }
    let pipelines: Vec<&String> = match &args.pipeline {
        Some(p) => vec![p],
        None => config.pipelines.keys().collect(),
    };
    for name in pipelines {
        let report = agreement::report(store, name, window, chrono::Utc::now()).await?;
        println!(
            "\nagreement of {name} since {}:",
            report.since.format("%Y-%m-%d")
        );
        for (mode, fields) in [("live", &report.live), ("shadow", &report.shadow)] {
            for (field, f) in fields {
                let agreed = |n: u64| {
                    if mode == "shadow" {
                        format!(", {n:>5} agreed")
                    } else {
                        String::new()
                    }
                };
                println!(
                    "  {mode:<6} {field:<9} {:>6} written, {:>5} corrected{}, agreement {}",
                    f.written,
                    f.corrected,
                    agreed(f.agreed),
                    percent(f.agreement)
                );
                for l in &f.labels {
                    println!(
                        "           {:<24} {:>6} written, {:>5} corrected{}, agreement {}",
                        l.label,
                        l.written,
                        l.corrected,
                        agreed(l.agreed),
                        percent(l.agreement)
                    );
                }
            }
        }
    }
    Ok(())
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".to_owned(), |r| format!("{:.1} %", r * 100.0))
}
