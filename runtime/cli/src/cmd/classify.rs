//! `triage classify`: run a model directory on text given as arguments or as JSON lines.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use triage_classifier::text::{TextForm, ticket_text};
use triage_classifier::{AsyncClassifier, ClassifierOptions, Prediction};

/// Arguments of `triage classify`.
#[derive(clap::Args)]
pub struct Args {
    /// Model directory: model.onnx, tokenizer.json and config.json (id2label) or labels.txt.
    /// Relative paths are resolved from the current directory (the repository root for the
    /// default models; models/priority is the other one).
    #[arg(long, short, env = "TRIAGE_MODEL", default_value = "models/queue")]
    model: PathBuf,
    /// Read JSON lines from stdin ({"id"?, "text"} or {"id"?, "subject", "body"}) and write one
    /// JSON line per input.
    #[arg(long, conflicts_with = "text")]
    jsonl: bool,
    /// How many labels to show per text.
    #[arg(long, default_value_t = 3)]
    top: usize,
    /// ONNX Runtime intra-op threads (default: available cores, at most 4).
    #[arg(long)]
    threads: Option<usize>,
    /// Most texts per forward pass.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Text to classify (several are classified together).
    text: Vec<String>,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    if !args.jsonl && args.text.is_empty() {
        anyhow::bail!("give a text to classify, or --jsonl to read JSON lines from stdin");
    }
    let defaults = ClassifierOptions::default();
    let options = ClassifierOptions {
        intra_threads: args.threads.unwrap_or(defaults.intra_threads),
        max_batch: args.batch.max(1),
        top_k: args.top.max(1),
        ..defaults
    };
    let classifier = AsyncClassifier::load(args.model.clone(), options)
        .await
        .with_context(|| format!("loading model {}", args.model.display()))?;
    if args.jsonl {
        jsonl(&classifier, args.batch.max(1)).await
    } else {
        let predictions = classifier.classify_batch(args.text.clone()).await?;
        print_table(&args.text, &predictions)
    }
}

fn print_table(texts: &[String], predictions: &[Prediction]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    for (text, p) in texts.iter().zip(predictions) {
        if texts.len() > 1 {
            writeln!(out, "{}", text.lines().next().unwrap_or_default())?;
        }
        let width = p.top.iter().map(|s| s.label.len()).max().unwrap_or(0);
        for s in &p.top {
            writeln!(out, "  {:<width$}  {:.3}", s.label, s.confidence)?;
        }
    }
    Ok(())
}

/// One output line; fields in the documented order (serde_json's `json!` would sort them).
#[derive(Serialize)]
struct Output {
    id: Value,
    label: String,
    confidence: f64,
    top: Vec<Scored>,
}

#[derive(Serialize)]
struct Scored {
    label: String,
    confidence: f64,
}

/// Four decimals: f32 noise beyond that reads as precision the model does not have.
fn round4(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}

impl Output {
    fn new(id: Value, p: Prediction) -> Self {
        Self {
            id,
            label: p.label,
            confidence: round4(p.confidence),
            top: p
                .top
                .into_iter()
                .map(|s| Scored {
                    label: s.label,
                    confidence: round4(s.confidence),
                })
                .collect(),
        }
    }
}

/// One input line. Either `text` (classified as given), or `subject` and/or `body` / `html`
/// (joined and cleaned exactly as the pipeline does, see `triage_classifier::text`).
#[derive(Deserialize)]
struct Input {
    #[serde(default)]
    id: Value,
    text: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    html: Option<String>,
}

impl Input {
    fn text(self, form: TextForm) -> anyhow::Result<(Value, String)> {
        let text = match (self.text, self.subject, self.body, self.html) {
            (Some(t), ..) => t,
            (None, None, None, None) => {
                anyhow::bail!("needs `text`, or `subject` and `body` (or `html`)")
            }
            (None, subject, body, html) => ticket_text(
                subject.as_deref().unwrap_or_default(),
                body.as_deref(),
                html.as_deref(),
                form,
            ),
        };
        Ok((self.id, text))
    }
}

/// Lines are read on a plain thread and handed over as they come; each forward pass takes
/// whatever has arrived (up to `batch`), so a fast producer gets full batches and a slow one
/// gets answers without waiting for a batch to fill.
async fn jsonl(classifier: &AsyncClassifier, batch: usize) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::channel::<std::io::Result<String>>(batch * 4);
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            if tx.blocking_send(line).is_err() {
                break;
            }
        }
    });
    let form = classifier.classifier().text_form();
    let mut failed = 0usize;
    let mut line_no = 0usize;
    while let Some(first) = rx.recv().await {
        let mut lines = vec![first];
        while lines.len() < batch {
            match rx.try_recv() {
                Ok(l) => lines.push(l),
                Err(_) => break,
            }
        }
        // Parse first; classify the good lines together; answer in input order.
        let mut parsed = Vec::with_capacity(lines.len());
        for line in lines {
            line_no += 1;
            let line = line.context("reading stdin")?;
            if line.trim().is_empty() {
                continue;
            }
            parsed.push(
                serde_json::from_str::<Input>(&line)
                    .map_err(anyhow::Error::from)
                    .and_then(|i| i.text(form))
                    .map_err(|e| format!("line {line_no}: {e}")),
            );
        }
        let texts: Vec<String> = parsed
            .iter()
            .filter_map(|p| p.as_ref().ok().map(|(_, t)| t.clone()))
            .collect();
        let mut predictions = classifier.classify_batch(texts).await?.into_iter();
        let mut out = std::io::stdout().lock();
        for p in parsed {
            let line = match p {
                Ok((id, _)) => {
                    let p = predictions.next().expect("one prediction per text");
                    serde_json::to_string(&Output::new(id, p))?
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("{e}");
                    json!({"error": e}).to_string()
                }
            };
            writeln!(out, "{line}")?;
        }
        out.flush()?;
    }
    if failed > 0 {
        anyhow::bail!("{failed} input line(s) could not be classified");
    }
    Ok(())
}
