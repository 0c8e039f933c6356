//! `triage history`: recent decisions from the state store (the audit trail).

use std::path::PathBuf;

use triage_state::{HistoryQuery, Outcome, SqliteStore, StateStore};

/// Arguments of `triage history`.
#[derive(clap::Args)]
pub struct Args {
    /// The configuration file (for the state database's path).
    #[arg(long, short, default_value = "triage.yml")]
    config: PathBuf,
    /// Only this pipeline.
    #[arg(long, short)]
    pub(super) pipeline: Option<String>,
    /// Only this ticket id.
    #[arg(long)]
    ticket: Option<String>,
    /// Only this outcome (pending, applied, unchanged, dry_run, failed).
    #[arg(long)]
    outcome: Option<String>,
    /// How many decisions, newest first.
    #[arg(long, default_value_t = 20)]
    pub(super) limit: usize,
    /// One JSON object per line instead of a table.
    #[arg(long)]
    json: bool,
    /// Agents' corrections of what triage wrote, and per-label agreement over `--window`.
    #[arg(long)]
    corrections: bool,
    /// With --corrections: every correction as one JSON line `{ticket_id, field, value}`
    /// (value: the agent's), the labelled examples `triage train` weighs up.
    #[arg(long, requires = "corrections")]
    pub(super) jsonl: bool,
    /// With --corrections: the agreement window (e.g. 7d, 30d).
    #[arg(long, default_value = "30d")]
    pub(super) window: String,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let config = triage_config::load(&args.config)?;
    let store = SqliteStore::open(&config.state.path)?;
    if args.corrections {
        return super::corrections::run(&config, &store, &args).await;
    }
    let outcome = args
        .outcome
        .as_deref()
        .map(str::parse::<Outcome>)
        .transpose()?;
    let records = store
        .history(&HistoryQuery {
            pipeline: args.pipeline,
            ticket_id: args.ticket,
            outcome,
            limit: args.limit,
        })
        .await?;
    if args.json {
        for r in &records {
            println!("{}", serde_json::to_string(r)?);
        }
        return Ok(());
    }
    println!(
        "{:<20} {:<14} {:<10} {:<11} {:<10} decisions",
        "decided at (UTC)", "pipeline", "ticket", "action", "outcome"
    );
    for r in &records {
        let verdicts: Vec<String> = r
            .verdicts
            .iter()
            .map(|v| {
                let written = v.value.as_deref().unwrap_or("unchanged");
                format!("{}={} ({:.2}) → {written}", v.field, v.label, v.confidence)
            })
            .collect();
        println!(
            "{:<20} {:<14} {:<10} {:<11} {:<10} {}{}",
            r.decided_at.format("%Y-%m-%d %H:%M:%S"),
            r.key.pipeline,
            r.key.ticket_id,
            r.action,
            r.outcome.as_str(),
            verdicts.join(", "),
            r.error
                .as_deref()
                .map(|e| format!("  error: {e}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}
