//! `triage run --once`: one pass of each pipeline, a progress bar on a terminal,
//! a summary table at the end. For cron; exits 1 when a pipeline could not run.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use triage_pipeline::{PassObserver, TicketRecord};
use triage_service::{PipelineResult, run_once};

/// Arguments of `triage run`.
#[derive(clap::Args)]
pub struct Args {
    /// The configuration file.
    #[arg(long, short, default_value = "triage.yml")]
    config: PathBuf,
    /// One pass of each pipeline, then exit (the only mode; `triage serve` runs forever).
    #[arg(long, required = true)]
    once: bool,
    /// Only these pipelines (repeatable).
    #[arg(long = "pipeline", short)]
    pipelines: Vec<String>,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let config = triage_config::load(&args.config)?;
    let stop = tokio_util::sync::CancellationToken::new();
    {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("stopping after the tickets in flight…");
                stop.cancel();
            }
        });
    }
    let observer: Arc<dyn PassObserver> = if std::io::stderr().is_terminal() {
        Arc::new(Bars::default())
    } else {
        Arc::new(triage_pipeline::NoObserver)
    };
    let results = run_once(&config, &args.pipelines, observer, stop).await?;
    print_table(&results);
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| r.result.is_err())
        .map(|r| r.name.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("pipelines that could not run: {}", failed.join(", "))
    }
}

fn print_table(results: &[PipelineResult]) {
    println!(
        "{:<20} {:>8} {:>8} {:>8} {:>9} {:>8} {:>7} {:>8} {:>10}",
        "pipeline",
        "fetched",
        "skipped",
        "updated",
        "unchanged",
        "dry-run",
        "failed",
        "seconds",
        "tickets/s"
    );
    for r in results {
        match &r.result {
            Ok(s) => println!(
                "{:<20} {:>8} {:>8} {:>8} {:>9} {:>8} {:>7} {:>8.1} {:>10.0}{}",
                r.name,
                s.fetched,
                s.skipped,
                s.updated,
                s.unchanged,
                s.dry_run,
                s.failed,
                r.seconds,
                s.fetched as f64 / r.seconds.max(1e-9),
                if s.stopped { "  (stopped early)" } else { "" }
            ),
            Err(e) => println!("{:<20} error: {e}", r.name),
        }
    }
}

/// One progress bar per pipeline, on stderr.
#[derive(Default)]
pub struct Bars {
    all: MultiProgress,
    bars: Mutex<std::collections::BTreeMap<String, ProgressBar>>,
}

impl PassObserver for Bars {
    fn listed(&self, pipeline: &str, tickets: usize, to_decide: usize) {
        let bar = self.all.add(ProgressBar::new(to_decide as u64));
        bar.set_style(
            ProgressStyle::with_template("{prefix:<16} {bar:40} {pos}/{len} {per_sec} {msg}")
                .expect("valid template"),
        );
        bar.set_prefix(pipeline.to_owned());
        bar.set_message(format!("({} listed)", tickets));
        bar.enable_steady_tick(Duration::from_millis(200));
        self.bars
            .lock()
            .expect("bars")
            .insert(pipeline.to_owned(), bar);
    }

    fn ticket_done(&self, pipeline: &str, _record: &TicketRecord, _took: Duration) {
        if let Some(bar) = self.bars.lock().expect("bars").get(pipeline) {
            bar.inc(1);
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        for bar in self.bars.lock().expect("bars").values() {
            bar.finish();
        }
    }
}
