//! `triage demo`: the main job on embedded defaults, with no external system.
//! Starts a simulator (`--system`, Freshdesk by default) with a generated
//! backlog, writes a `triage.yml` for it (the same format an operator writes),
//! and runs the pipeline once through the service's own code path: the system's
//! `.wasm` in the sandbox, the bundled models, a SQLite state store. Reports what
//! it did, including accuracy against the generator's true labels where the
//! simulator measures it. The systems' connections are in `systems.rs`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use tokio_util::sync::CancellationToken;
use triage_pipeline::{NoObserver, Outcome, PassObserver};
use triage_service::run_once;
use triage_sim::generate::{GenerateOptions, generate};

use crate::cmd::run::Bars;

mod systems;

pub use systems::System;

/// Arguments of `triage demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Tickets in the generated backlog.
    #[arg(long, default_value_t = 1000)]
    tickets: usize,
    /// Seed of the backlog generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// The ticket system to simulate.
    #[arg(long, value_enum, default_value_t = System::Freshdesk)]
    system: System,
    /// The system's adapter (default: dist/adapters/<system>.wasm).
    #[arg(long)]
    adapter: Option<PathBuf>,
    /// Directory holding the queue/ and priority/ models (default: models/).
    #[arg(long)]
    models: Option<PathBuf>,
    /// Minimum confidence to set a field.
    #[arg(long, default_value_t = 0.5)]
    threshold: f32,
    /// Decide and report, but change nothing.
    #[arg(long)]
    dry_run: bool,
}

/// The demo's configuration: the same file format an operator writes (see
/// examples/demo.yml), pointed at the simulator, with the API key in a secret file.
const CONFIG: &str = "state: state.db
models:
  queue: {models}/queue
  priority: {models}/priority
connections:
  simulator:
    adapter: {adapter}
    base_url: {base_url}
    auth: {auth}
    settings: {settings}
    limits: { concurrency: 4 }
pipelines:
  demo:
    connection: simulator
    source: { since: 2000-01-01T00:00:00Z }
    steps:
      - { field: queue, model: queue, threshold: {threshold} }
      - { field: priority, model: priority, threshold: {threshold}{priority_mapping} }
    write: { tag: {tag}, note: true }
    dry_run: {dry_run}
";

pub async fn run(args: Args) -> anyhow::Result<()> {
    let adapter_file = args
        .adapter
        .clone()
        .unwrap_or_else(|| locate(&format!("dist/adapters/{}.wasm", args.system.name())));
    let models = args.models.clone().unwrap_or_else(|| locate("models"));

    let started = Instant::now();
    let data = generate(&GenerateOptions::new(args.tickets, args.seed));
    let sim = systems::start(args.system, data).await?;
    println!(
        "simulator: {} at {} with {} tickets",
        sim.title, sim.base_url, sim.tickets
    );

    let dir = tempfile::tempdir().context("a temporary directory for the demo's state")?;
    for (name, content) in &sim.secret_files {
        std::fs::write(dir.path().join(name), content)?;
    }
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let text = CONFIG
        .replace("{models}", &absolute(&models).display().to_string())
        .replace("{adapter}", &absolute(&adapter_file).display().to_string())
        .replace("{priority_mapping}", &sim.priority_mapping)
        .replace("{tag}", sim.tag)
        .replace("{auth}", &sim.auth)
        .replace("{settings}", &sim.settings)
        .replace("{base_url}", &sim.base_url)
        .replace("{threshold}", &args.threshold.to_string())
        .replace("{dry_run}", &args.dry_run.to_string());
    let config_path = dir.path().join("triage.yml");
    std::fs::write(&config_path, text)?;
    let config = triage_config::load(&config_path)?;
    println!(
        "adapter: {}\nmodels: {}/queue, {}/priority",
        adapter_file.display(),
        models.display(),
        models.display()
    );

    let observer: Arc<dyn PassObserver> = if std::io::stderr().is_terminal() {
        Arc::new(Bars::default())
    } else {
        Arc::new(NoObserver)
    };
    let pass = Instant::now();
    let mut results = run_once(&config, &[], observer, CancellationToken::new()).await?;
    let seconds = pass.elapsed().as_secs_f64();
    let summary = results.remove(0).result.map_err(anyhow::Error::msg)?;

    println!();
    println!("sample of decisions:");
    for record in summary.records.iter().take(8) {
        let verdicts: Vec<String> = record
            .verdicts
            .iter()
            .map(|v| format!("{}={} ({:.2})", v.field.as_str(), v.label, v.confidence))
            .collect();
        let outcome = match &record.outcome {
            Outcome::Updated => "updated".to_owned(),
            Outcome::Unchanged => "unchanged".to_owned(),
            Outcome::DryRun => "dry run".to_owned(),
            Outcome::Failed(e) => format!("failed: {e}"),
        };
        println!(
            "  #{:<6} {:<48} {} → {outcome}",
            record.id,
            clip(&record.subject, 48),
            verdicts.join(", ")
        );
    }
    println!();
    println!(
        "fetched {} · updated {} · unchanged {} · dry run {} · failed {} · {:.1} s ({:.0} tickets/s end to end)",
        summary.fetched,
        summary.updated,
        summary.unchanged,
        summary.dry_run,
        summary.failed,
        seconds,
        summary.fetched as f64 / seconds.max(1e-9)
    );
    match (sim.accuracy)() {
        Some(accuracy) => println!(
            "accuracy against the generator's labels, over the {} tickets whose queue was set: queue {:.1} %, priority {:.1} %",
            accuracy.classified,
            accuracy.queue_rate() * 100.0,
            accuracy.priority_rate() * 100.0
        ),
        None => println!("accuracy: this simulator does not measure it"),
    }
    println!("total {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn clip(text: &str, width: usize) -> String {
    match text.char_indices().nth(width - 1) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// A bundled file: relative to the working directory, else to the checkout the
/// binary was built from.
fn locate(relative: &str) -> PathBuf {
    let here = Path::new(relative);
    if here.exists() {
        return here.to_owned();
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}
