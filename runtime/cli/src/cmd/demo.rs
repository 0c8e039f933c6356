//! `triage demo`: the main job on embedded defaults, with no external system.
//! Starts the Freshdesk simulator with a generated backlog, loads
//! `freshdesk.wasm` and the bundled models, classifies every ticket, writes the
//! queue and priority back with an internal note, and reports what it did,
//! including accuracy against the generator's true labels.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::{TimeZone, Utc};
use triage_classifier::{AsyncClassifier, ClassifierOptions};
use triage_core::{TicketAdapter, TicketQuery};
use triage_gateway::{Credential, Gateway, GatewayLimits, OriginPolicy, ReqwestTransport, Secret};
use triage_host::{AdapterSettings, Sandbox, SandboxConfig, SandboxLimits, WasmAdapter};
use triage_pipeline::{
    Field, NoObserver, NoteTemplate, Outcome, Pass, Step, StepPolicy, WritePolicy,
};
use triage_sim::freshdesk::{FreshdeskSim, SimConfig};
use triage_sim::generate::{GenerateOptions, generate};

/// Arguments of `triage demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Tickets in the generated backlog.
    #[arg(long, default_value_t = 1000)]
    tickets: usize,
    /// Seed of the backlog generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// The Freshdesk adapter (default: dist/adapters/freshdesk.wasm).
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

pub async fn run(args: Args) -> anyhow::Result<()> {
    let adapter_file = args
        .adapter
        .clone()
        .unwrap_or_else(|| locate("dist/adapters/freshdesk.wasm"));
    let models = args.models.clone().unwrap_or_else(|| locate("models"));

    let started = Instant::now();
    let data = generate(&GenerateOptions::new(args.tickets, args.seed));
    let sim = FreshdeskSim::start(SimConfig {
        data,
        ..SimConfig::default()
    })
    .await?;
    println!(
        "simulator: Freshdesk API at {} with {} tickets",
        sim.base_url(),
        sim.ticket_count()
    );

    let sandbox = Sandbox::new(SandboxConfig::from_env())?;
    let loaded = {
        let (sandbox, file) = (sandbox.clone(), adapter_file.clone());
        tokio::task::spawn_blocking(move || sandbox.load(&file, None)).await??
    };
    let gateway = Gateway::new(
        "demo",
        OriginPolicy::new(sim.base_url(), &[]).map_err(anyhow::Error::msg)?,
        Some(Credential::Basic {
            user: Secret::new(sim.api_key()),
            password: Secret::new("X"),
        }),
        GatewayLimits::default(),
        Arc::new(ReqwestTransport::new()?),
    );
    let adapter = WasmAdapter::connect(
        &loaded,
        AdapterSettings {
            connection: "demo".into(),
            gateway: Some(gateway),
            settings: [("base_url".to_owned(), sim.base_url().to_owned())].into(),
            limits: SandboxLimits::default(),
        },
    )
    .await?;
    let info = adapter.info().clone();
    println!(
        "adapter: {} {} from {} ({})",
        info.name,
        info.version,
        adapter_file.display(),
        if loaded.from_cache() {
            "compiled cache"
        } else {
            "compiled now"
        }
    );

    let steps = [(Field::Queue, "queue"), (Field::Priority, "priority")];
    let mut loaded_steps = Vec::new();
    for (field, dir) in steps {
        let path = models.join(dir);
        let model = AsyncClassifier::load(path.clone(), ClassifierOptions::default())
            .await
            .with_context(|| format!("loading model {}", path.display()))?;
        loaded_steps.push(Arc::new(Step {
            model_name: dir.to_owned(),
            model_version: "bundled".to_owned(),
            model,
            policy: StepPolicy::new(field, args.threshold),
        }));
    }
    println!(
        "models: {}/queue, {}/priority",
        models.display(),
        models.display()
    );

    let drain = Pass {
        pipeline: "demo".into(),
        connection: "demo".into(),
        adapter: Arc::new(adapter),
        steps: loaded_steps,
        write: WritePolicy {
            fields: true,
            tag: Some("triage".into()),
            note: Some(NoteTemplate::default()),
            dry_run: args.dry_run,
        },
        store: Arc::new(triage_state::SqliteStore::in_memory()?),
        batch: 100,
        concurrency: 4,
        max_attempts: 3,
        observer: Arc::new(NoObserver),
        stop: tokio_util::sync::CancellationToken::new(),
    };
    let query = TicketQuery {
        updated_since: Some(Utc.timestamp_opt(0, 0).single().expect("epoch")),
        ..TicketQuery::default()
    };
    let pass = Instant::now();
    let summary = drain.run(&query).await?;
    let seconds = pass.elapsed().as_secs_f64();

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
        "fetched {} · updated {} · unchanged {} · failed {} · {:.1} s ({:.0} tickets/s end to end)",
        summary.fetched,
        summary.updated,
        summary.unchanged,
        summary.failed,
        seconds,
        summary.fetched as f64 / seconds.max(1e-9)
    );
    let accuracy = sim.accuracy();
    println!(
        "accuracy against the generator's labels, over the {} tickets whose queue was set: queue {:.1} %, priority {:.1} %",
        accuracy.classified,
        accuracy.queue_rate() * 100.0,
        accuracy.priority_rate() * 100.0
    );
    println!("total {:.1} s", started.elapsed().as_secs_f64());
    sim.shutdown().await;
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
