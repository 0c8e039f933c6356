//! `triage train --jsonl FILE --field F --out DIR` and `triage evaluate --jsonl FILE`: train
//! a model from labelled tickets in a file, or score a model directory on them.
//!
//! Input lines: `{"id"?, "subject", "body", "html"?: true|"<html>", "queue"?, "priority"?,
//! "created_at"?}` or `{"text", …}`. The text is built by
//! `triage_classifier::text::ticket_text`, as in the pipeline. Tickets are ordered by
//! `created_at` (RFC 3339) when every line has one, else by line order, and the newest 15 %
//! validate.
//!
//! Replacing: when `DIR/<field>` already holds a model, both it and the new model are scored
//! on the same validation tickets; the new one is written only when its macro-F1 is higher
//! (or with `--force`). Nothing is written on any error.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;
use serde_json::Value;
use triage_classifier::text::{TextForm, ticket_text};
use triage_classifier::{Classifier, ClassifierOptions};
use triage_train::{Example, Options, Scores, card, score};

/// Which field a model predicts.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Field {
    /// The queue (group).
    Queue,
    /// The priority.
    Priority,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Self::Queue => "queue",
            Self::Priority => "priority",
        }
    }
}

/// Arguments of `triage train`.
#[derive(clap::Args)]
pub struct TrainArgs {
    /// Labelled tickets, one JSON object per line.
    #[arg(long)]
    jsonl: PathBuf,
    /// Which label to learn.
    #[arg(long, value_enum)]
    field: Field,
    /// Output directory; the model goes to DIR/<field>/.
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing model even when it scores better.
    #[arg(long)]
    force: bool,
    /// Labels with fewer tickets are left out (and reported).
    #[arg(long, default_value_t = 10)]
    min_per_label: usize,
}

/// Arguments of `triage evaluate`.
#[derive(clap::Args)]
pub struct EvaluateArgs {
    /// Labelled tickets, one JSON object per line.
    #[arg(long)]
    jsonl: PathBuf,
    /// Which label to score.
    #[arg(long, value_enum)]
    field: Field,
    /// Model directory.
    #[arg(long, default_value = "models/queue")]
    model: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct Line {
    text: Option<String>,
    #[serde(default)]
    subject: String,
    body: Option<String>,
    html: Option<Value>,
    queue: Option<String>,
    priority: Option<String>,
    created_at: Option<String>,
}

/// (subject, plain body, HTML body, label, time) per line.
struct Labelled {
    subject: String,
    body: Option<String>,
    html: Option<String>,
    label: String,
    time: i64,
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

fn read(path: &Path, field: Field) -> anyhow::Result<Vec<Labelled>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    let mut all_timed = true;
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let at = || format!("{}:{}", path.display(), i + 1);
        let l: Line = serde_json::from_str(raw).with_context(at)?;
        let label = match field {
            Field::Queue => l.queue,
            Field::Priority => l.priority,
        }
        .with_context(|| format!("{}: no `{}`", at(), field.name()))?;
        let time = match l
            .created_at
            .as_deref()
            .map(chrono::DateTime::parse_from_rfc3339)
        {
            Some(Ok(t)) => t.timestamp(),
            Some(Err(e)) => bail!("{}: `created_at`: {e}", at()),
            None => {
                all_timed = false;
                i as i64
            }
        };
        let (subject, body, html) = match (l.text, l.html) {
            (Some(t), _) => (t, None, None),
            (None, Some(Value::Bool(true))) => (l.subject, None, l.body),
            (None, Some(Value::String(h))) => (l.subject, l.body, Some(h)),
            (None, _) => (l.subject, l.body, None),
        };
        out.push(Labelled {
            subject,
            body,
            html,
            label,
            time,
        });
    }
    if !all_timed {
        // Mixed: fall back to line order for every ticket.
        for (i, l) in out.iter_mut().enumerate() {
            l.time = i as i64;
        }
    }
    Ok(out)
}

/// Scores `model` on (text, label) pairs; texts are given cleaned, so a raw-text model is
/// scored on cleaned text too (the figure then understates it slightly).
fn score_model(
    c: &Classifier,
    texts: &[String],
    truth: &[String],
    labels: &[String],
) -> anyhow::Result<(Scores, Vec<f32>)> {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let got = c.classify_batch(&refs)?;
    // Labels the model predicts that the data lacks count as wrong (index past the end).
    let mut all = labels.to_vec();
    for p in &got {
        if !all.contains(&p.label) {
            all.push(p.label.clone());
        }
    }
    let idx = |l: &str| all.iter().position(|x| x == l).expect("listed");
    let pred: Vec<usize> = got.iter().map(|p| idx(&p.label)).collect();
    let y: Vec<usize> = truth.iter().map(|l| idx(l)).collect();
    Ok((
        score(&pred, &y, &all),
        got.iter().map(|p| p.confidence).collect(),
    ))
}

pub async fn train(args: TrainArgs) -> anyhow::Result<()> {
    let rows = read(&args.jsonl, args.field)?;
    let examples: Vec<Example> = rows
        .iter()
        .map(|r| Example {
            text: r.text(TextForm::Clean),
            label: r.label.clone(),
            time: r.time,
            weight: 1.0,
        })
        .collect();
    let opts = Options {
        min_per_label: args.min_per_label,
        field: args.field.name().into(),
        ..Options::default()
    };
    let trained =
        tokio::task::spawn_blocking(move || triage_train::train(examples, &opts)).await??;
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
    let dir = args.out.join(args.field.name());
    let new = &r.validation;
    println!(
        "validation: newest {} tickets\n\nnew model: accuracy {:.3}, macro-F1 {:.3}",
        r.validation_tickets, new.accuracy, new.macro_f1
    );
    if dir.join("model.onnx").is_file() {
        let current = Classifier::load(&dir, ClassifierOptions::default())
            .with_context(|| format!("loading the current model {}", dir.display()))?;
        let (texts, truth): (Vec<String>, Vec<String>) = trained.validation.iter().cloned().unzip();
        let (old, _) = score_model(&current, &texts, &truth, &trained.labels)?;
        println!(
            "current model ({}): accuracy {:.3}, macro-F1 {:.3}\n",
            dir.display(),
            old.accuracy,
            old.macro_f1
        );
        println!("{:<32} {:>9} {:>9}", "label (F1)", "current", "new");
        for s in &new.per_label {
            let o = old
                .per_label
                .iter()
                .find(|o| o.label == s.label)
                .map_or(0.0, |o| o.f1);
            println!("{:<32} {:>9.3} {:>9.3}", s.label, o, s.f1);
        }
        if old.macro_f1 >= new.macro_f1 && !args.force {
            bail!(
                "the current model in {} scores at least as well on the same validation tickets (macro-F1 {:.3} vs {:.3}); nothing written (--force replaces it)",
                dir.display(),
                old.macro_f1,
                new.macro_f1
            );
        }
    } else {
        println!("\n{}", card::table(new));
    }
    trained.write(&dir)?;
    println!("written to {}", dir.display());
    Ok(())
}

pub async fn evaluate(args: EvaluateArgs) -> anyhow::Result<()> {
    let rows = read(&args.jsonl, args.field)?;
    if rows.is_empty() {
        bail!("{}: no labelled tickets", args.jsonl.display());
    }
    let c = Classifier::load(&args.model, ClassifierOptions::default())
        .with_context(|| format!("loading model {}", args.model.display()))?;
    let texts: Vec<String> = rows.iter().map(|r| r.text(c.text_form())).collect();
    let truth: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let mut labels: Vec<String> = c.labels().to_vec();
    for l in &truth {
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    let (s, conf) = score_model(&c, &texts, &truth, &labels)?;
    // Coverage (share at or above a confidence) and accuracy among those.
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let preds = c.classify_batch(&refs)?;
    let coverage: Vec<Value> = [0.0f32, 0.5, 0.7, 0.9, 0.95]
        .iter()
        .map(|&t| {
            let kept: Vec<bool> = preds.iter().zip(&truth).zip(&conf).filter(|(_, c)| **c >= t).map(|((p, y), _)| p.label == *y).collect();
            let acc = if kept.is_empty() { 0.0 } else { kept.iter().filter(|&&k| k).count() as f64 / kept.len() as f64 };
            serde_json::json!({"threshold": t, "coverage": kept.len() as f64 / truth.len() as f64, "accuracy": acc})
        })
        .collect();
    if args.json {
        println!(
            "{:#}",
            serde_json::json!({"model": args.model, "tickets": truth.len(), "scores": s, "coverage": coverage})
        );
        return Ok(());
    }
    println!(
        "{} tickets, model {}: accuracy {:.3}, macro-F1 {:.3}\n",
        truth.len(),
        args.model.display(),
        s.accuracy,
        s.macro_f1
    );
    println!("{}", card::table(&s));
    println!("confusion (rows: truth, columns: predicted, label order as above):");
    for row in &s.confusion {
        println!(
            "{}",
            row.iter().map(|v| format!("{v:>5}")).collect::<String>()
        );
    }
    println!("\nthreshold  coverage  accuracy");
    for c in coverage {
        println!(
            "{:>9.2}  {:>8.3}  {:>8.3}",
            c["threshold"].as_f64().unwrap_or(0.0),
            c["coverage"].as_f64().unwrap_or(0.0),
            c["accuracy"].as_f64().unwrap_or(0.0)
        );
    }
    Ok(())
}
