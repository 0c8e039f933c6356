//! `triage evaluate`: a model's report on labelled tickets, writing nothing — from a file
//! (`--jsonl F --field F --model DIR`) or from a pipeline's history (`--config F --pipeline P`,
//! each step's model as the pipeline uses it, or `--model DIR` holding `DIR/<field>`).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use triage_classifier::{Classifier, ClassifierOptions};
use triage_pipeline::decide::StepPolicy;
use triage_train::card;

use super::compare::{Scored, score_model};
use super::source::{Labels, Source};
use super::{Field, Labelled, history, jsonl};

/// Confidences at which coverage and accuracy are reported.
const COVERAGE_AT: [f32; 5] = [0.0, 0.5, 0.7, 0.9, 0.95];

/// Arguments of `triage evaluate`.
#[derive(clap::Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    source: Source,
    /// Model directory (with --config: a directory holding <field>/ models, as `train --out`
    /// writes; default: the models the pipeline uses).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn evaluate(args: EvaluateArgs) -> anyhow::Result<()> {
    match args.source.labels()? {
        Labels::File { path, field } => {
            let rows = jsonl::read(path, field)?;
            if rows.is_empty() {
                bail!("{}: no labelled tickets", path.display());
            }
            let model = args
                .model
                .clone()
                .unwrap_or_else(|| PathBuf::from("models").join(field.name()));
            print(&report(&rows, &model, None)?, args.json);
        }
        Labels::Pipeline {
            config,
            name,
            since,
            field: only,
        } => {
            let config = triage_config::load(config)?;
            let pipeline = history::pipeline_config(&config, name)?;
            let history = history::read(&config, name, since).await?;
            let mut reports = Vec::new();
            for step in &pipeline.steps {
                let field = Field::from(step.policy.field);
                if only.is_some_and(|f| f != field) {
                    continue;
                }
                let (rows, _) = history.labelled(field);
                let (model, policy) = match &args.model {
                    Some(dir) => (dir.join(field.name()), None),
                    None => {
                        let m = config
                            .models
                            .get(&step.model)
                            .with_context(|| format!("no model {:?}", step.model))?;
                        (m.path.clone(), Some(&step.policy))
                    }
                };
                if rows.is_empty() {
                    eprintln!("{}: no labelled tickets in the history", field.name());
                    continue;
                }
                reports.push(report(&rows, &model, policy)?);
            }
            if args.json {
                println!("{:#}", Value::Array(reports));
            } else {
                for r in &reports {
                    print(r, false);
                }
            }
        }
    }
    Ok(())
}

/// Scores, confusion and coverage of the model in `dir` on `rows`, as JSON.
fn report(rows: &[Labelled], dir: &Path, policy: Option<&StepPolicy>) -> anyhow::Result<Value> {
    let c = Classifier::load(dir, ClassifierOptions::default())
        .with_context(|| format!("loading model {}", dir.display()))?;
    let texts: Vec<String> = rows.iter().map(|r| r.text(c.text_form())).collect();
    let truth: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let mut labels: Vec<String> = Vec::new();
    for l in &truth {
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    let Scored {
        scores,
        correct,
        confidence,
    } = score_model(&c, &texts, &truth, &labels, policy)?;
    // Coverage (share at or above a confidence) and accuracy among those.
    let coverage: Vec<Value> = COVERAGE_AT
        .iter()
        .map(|&t| {
            let kept: Vec<bool> = correct
                .iter()
                .zip(&confidence)
                .filter(|(_, c)| **c >= t)
                .map(|(k, _)| *k)
                .collect();
            let right = kept.iter().filter(|&&k| k).count();
            let accuracy = if kept.is_empty() { 0.0 } else { right as f64 / kept.len() as f64 };
            json!({"threshold": t, "coverage": kept.len() as f64 / truth.len() as f64, "accuracy": accuracy})
        })
        .collect();
    Ok(json!({
        "model": dir,
        "mapped": policy.is_some(),
        "tickets": truth.len(),
        "scores": scores,
        "coverage": coverage,
    }))
}

fn print(report: &Value, as_json: bool) {
    if as_json {
        println!("{report:#}");
        return;
    }
    let Ok(scores) = serde_json::from_value::<triage_train::Scores>(report["scores"].clone())
    else {
        println!("{report:#}");
        return;
    };
    println!(
        "{} tickets, model {}{}: accuracy {:.3}, macro-F1 {:.3}\n",
        report["tickets"],
        report["model"].as_str().unwrap_or_default(),
        if report["mapped"] == true {
            " (as the pipeline maps it)"
        } else {
            ""
        },
        scores.accuracy,
        scores.macro_f1
    );
    println!("{}", card::table(&scores));
    println!("confusion (rows: truth, columns: predicted, label order as above):");
    for row in &scores.confusion {
        println!(
            "{}",
            row.iter().map(|v| format!("{v:>5}")).collect::<String>()
        );
    }
    println!("\nthreshold  coverage  accuracy");
    for c in report["coverage"].as_array().into_iter().flatten() {
        println!(
            "{:>9.2}  {:>8.3}  {:>8.3}",
            c["threshold"].as_f64().unwrap_or(0.0),
            c["coverage"].as_f64().unwrap_or(0.0),
            c["accuracy"].as_f64().unwrap_or(0.0)
        );
    }
    println!();
}
