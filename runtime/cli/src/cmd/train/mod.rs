//! `triage train` and `triage evaluate`: train a model from labelled tickets, or score a
//! model on them. Two sources of labelled tickets:
//!
//! - `--jsonl FILE --field F` ([`jsonl`]): a file, one ticket per line;
//! - `--config F --pipeline P` ([`history`]): the pipeline's own history, read through its
//!   connection and adapter (read-only), one model per step (`DIR/queue`, `DIR/priority`).
//!
//! The text is built by `triage_classifier::text::ticket_text`, as in the pipeline, and the
//! newest 15 % of tickets validate.
//!
//! Replacing: the new model is scored beside the model it would replace — the one the
//! pipeline uses now (its labels through the step's `mapping`, as the pipeline writes them)
//! and whatever `DIR/<field>` already holds — on the same validation tickets, and written
//! only when its macro-F1 is higher than each by more than [`compare::MIN_GAIN`] (or with
//! `--force`). Nothing is written on any error.

mod compare;
mod evaluate;
mod history;
mod jsonl;
mod source;
mod transfer;

use std::path::{Path, PathBuf};

use anyhow::bail;
use triage_classifier::text::{TextForm, ticket_text};
use triage_config::StepConfig;
use triage_train::{Example, Options, card};

pub use evaluate::{EvaluateArgs, evaluate};

use compare::Incumbent;
use source::{Labels, Source};
use transfer::Transfer;

/// Which field a model predicts.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Field {
    /// The queue (group).
    Queue,
    /// The priority.
    Priority,
}

impl Field {
    /// The pipeline's name for the field (`queue`, `priority`).
    fn name(self) -> &'static str {
        triage_pipeline::decide::Field::from(self).as_str()
    }
}

impl From<triage_pipeline::decide::Field> for Field {
    fn from(f: triage_pipeline::decide::Field) -> Self {
        match f {
            triage_pipeline::decide::Field::Queue => Self::Queue,
            triage_pipeline::decide::Field::Priority => Self::Priority,
        }
    }
}

impl From<Field> for triage_pipeline::decide::Field {
    fn from(f: Field) -> Self {
        match f {
            Field::Queue => Self::Queue,
            Field::Priority => Self::Priority,
        }
    }
}

/// Arguments of `triage train`.
#[derive(clap::Args)]
pub struct TrainArgs {
    #[command(flatten)]
    source: Source,
    /// Output directory; each model goes to DIR/<field>/.
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing model even when it scores better.
    #[arg(long)]
    force: bool,
    /// Labels with fewer tickets are left out (and reported).
    #[arg(long, default_value_t = 10)]
    min_per_label: usize,
    /// Below 2,000 tickets, add generated tickets with the same labels to the fit and keep
    /// the model that validates better (docs/training.md, Transfer); `off`: history alone.
    #[arg(long, value_enum, default_value = "auto")]
    transfer: Transfer,
}

/// One labelled ticket: subject, plain body, HTML body, label, time, weight.
struct Labelled {
    subject: String,
    body: Option<String>,
    html: Option<String>,
    label: String,
    time: i64,
    weight: f32,
}

impl Labelled {
    fn text(&self, form: TextForm) -> String {
        ticket_text(
            &self.subject,
            self.body.as_deref(),
            self.html.as_deref(),
            form,
        )
    }
}

pub async fn train(args: TrainArgs) -> anyhow::Result<()> {
    match args.source.labels()? {
        Labels::File { path, field } => {
            let rows = jsonl::read(path, field)?;
            let incumbents = Incumbent::existing(&args.out, field, None);
            train_field(rows, field, &args, &incumbents, None).await
        }
        Labels::Pipeline {
            config,
            name,
            since,
            field,
        } => train_pipeline(&args, config, name, since, field).await,
    }
}

async fn train_pipeline(
    args: &TrainArgs,
    path: &Path,
    name: &str,
    since: Option<&str>,
    only: Option<Field>,
) -> anyhow::Result<()> {
    let config = triage_config::load(path)?;
    let pipeline = history::pipeline_config(&config, name)?;
    let steps: Vec<&StepConfig> = pipeline
        .steps
        .iter()
        .filter(|s| only.is_none_or(|f| f == Field::from(s.policy.field)))
        .collect();
    if steps.is_empty() {
        bail!(
            "pipeline {name:?} has no step for that field ({})",
            path.display()
        );
    }
    let history = history::read(&config, name, since).await?;
    eprintln!(
        "history of pipeline {name:?}: {} finished tickets{}",
        history.tickets.len(),
        match history.other_status {
            0 => String::new(),
            n => format!(" ({n} in other statuses skipped)"),
        }
    );
    let mut refused = Vec::new();
    for step in steps {
        let field = Field::from(step.policy.field);
        println!("\n== {} (model {:?})", field.name(), step.model);
        let rows = history.labelled_for_training(field)?;
        let current = config.models.get(&step.model).map(|m| m.path.clone());
        let incumbents = Incumbent::for_step(current, &step.policy, &args.out, field);
        if let Err(e) = train_field(rows, field, args, &incumbents, Some(&step.policy)).await {
            eprintln!("{}: {e:#}", field.name());
            refused.push(field.name());
        }
    }
    if !refused.is_empty() {
        bail!("not written: {}", refused.join(", "));
    }
    Ok(())
}

/// Trains one field's model, compares it with the incumbents and writes it to
/// `DIR/<field>` when it is better (or `--force`).
async fn train_field(
    rows: Vec<Labelled>,
    field: Field,
    args: &TrainArgs,
    incumbents: &[Incumbent<'_>],
    policy: Option<&triage_pipeline::decide::StepPolicy>,
) -> anyhow::Result<()> {
    let examples: Vec<Example> = rows
        .iter()
        .map(|r| Example {
            text: r.text(TextForm::Clean),
            label: r.label.clone(),
            time: r.time,
            weight: r.weight,
        })
        .collect();
    let opts = Options {
        min_per_label: args.min_per_label,
        field: field.name().into(),
        ..Options::default()
    };
    let (mode, policy) = (args.transfer, policy.cloned());
    let (trained, line) = tokio::task::spawn_blocking(move || {
        transfer::fit(examples, opts, mode, field, policy.as_ref())
    })
    .await??;
    let r = &trained.report;
    if !r.labels_dropped.is_empty() {
        eprintln!(
            "left out (fewer than {} tickets): {:?}",
            args.min_per_label, r.labels_dropped
        );
    }
    eprintln!(
        "{} tickets ({} duplicates dropped), {} labels, trained in {:.1} s",
        r.tickets,
        r.duplicates_dropped,
        r.labels.len(),
        r.training_seconds
    );
    println!("{line}");
    let new = &r.validation;
    println!(
        "validation: newest {} tickets\n\nnew model: accuracy {:.3}, macro-F1 {:.3}",
        r.validation_tickets, new.accuracy, new.macro_f1
    );
    let better = compare::against(&trained, incumbents)?;
    if incumbents.is_empty() {
        println!("\n{}", card::table(new));
    }
    if let Some(b) = better.first()
        && !args.force
    {
        bail!(
            "the model in {} scores as well on the same validation tickets (macro-F1 {:.3} vs {:.3}, less than {} apart); nothing written (--force replaces it)",
            b.dir.display(),
            b.macro_f1,
            new.macro_f1,
            compare::MIN_GAIN
        );
    }
    let dir = args.out.join(field.name());
    trained.write(&dir)?;
    println!("written to {}", dir.display());
    Ok(())
}
