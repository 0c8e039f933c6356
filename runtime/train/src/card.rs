//! Scores (accuracy, macro-F1, per-label precision/recall/F1, confusion matrix) and the model
//! card written next to a trained model, and its reader for what precision targets need
//! ([`read_predictions`], used by configuration loading and `triage check`).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::precision::Prediction;

use serde::{Deserialize, Serialize};

/// Precision, recall, F1 and support of one label.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LabelScores {
    /// The label.
    pub label: String,
    /// Share of predictions of this label that were right.
    pub precision: f64,
    /// Share of tickets with this label that were found.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
    /// Tickets with this label.
    pub support: usize,
}

/// Scores of predictions against truth.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Scores {
    /// Share right.
    pub accuracy: f64,
    /// Mean F1 over labels.
    pub macro_f1: f64,
    /// Per label, in label order.
    pub per_label: Vec<LabelScores>,
    /// `confusion[truth][predicted]`.
    pub confusion: Vec<Vec<usize>>,
}

/// Scores `pred` against `truth` (label indices into `labels`).
pub fn score(pred: &[usize], truth: &[usize], labels: &[String]) -> Scores {
    let k = labels.len();
    let mut confusion = vec![vec![0usize; k]; k];
    for (&p, &t) in pred.iter().zip(truth) {
        confusion[t][p] += 1;
    }
    let per_label: Vec<LabelScores> = (0..k)
        .map(|l| {
            let tp = confusion[l][l] as f64;
            let predicted: usize = (0..k).map(|t| confusion[t][l]).sum();
            let support: usize = confusion[l].iter().sum();
            let precision = if predicted > 0 {
                tp / predicted as f64
            } else {
                0.0
            };
            let recall = if support > 0 {
                tp / support as f64
            } else {
                0.0
            };
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            LabelScores {
                label: labels[l].clone(),
                precision,
                recall,
                f1,
                support,
            }
        })
        .collect();
    let right: usize = (0..k).map(|l| confusion[l][l]).sum();
    Scores {
        accuracy: right as f64 / pred.len().max(1) as f64,
        macro_f1: per_label.iter().map(|s| s.f1).sum::<f64>() / k.max(1) as f64,
        per_label,
        confusion,
    }
}

/// The data window, as the seconds the caller gave as times.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Window {
    /// Oldest ticket.
    pub first: i64,
    /// Newest ticket.
    pub last: i64,
    /// First validation ticket.
    pub validation_from: i64,
}

/// Wall-clock time of one training stage.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Stage {
    /// What ran: `tokenizer`, `encode`, `features`, `fit C=…`, `calibration`, `refit`.
    pub name: String,
    /// Seconds it took.
    pub seconds: f64,
    /// L-BFGS iterations, for fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterations: Option<usize>,
}

/// What `model-card.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    /// The field predicted.
    pub field: String,
    /// Labels in logit order.
    pub labels: Vec<String>,
    /// Data window.
    pub window: Window,
    /// Tickets trained on (after dedupe and dropped labels).
    pub tickets: usize,
    /// Tickets dropped as duplicates of an earlier text.
    pub duplicates_dropped: usize,
    /// Labels left out for too few examples, with their counts.
    pub labels_dropped: BTreeMap<String, usize>,
    /// Tickets per label.
    pub counts: BTreeMap<String, usize>,
    /// Older tickets used to train during validation.
    pub train_tickets: usize,
    /// Newest tickets used to validate.
    pub validation_tickets: usize,
    /// (C, validation accuracy, validation macro-F1) per value tried.
    pub c_grid: Vec<(f64, f64, f64)>,
    /// The C chosen.
    pub c: f64,
    /// Validation scores of the chosen model.
    pub validation: Scores,
    /// Calibration temperature.
    pub temperature: f64,
    /// Expected calibration error (15 bins) on validation before calibration.
    pub ece_before: f64,
    /// The same after.
    pub ece_after: f64,
    /// Precision target → per label (label order) the lowest calibrated confidence whose
    /// validation precision reaches it; `null` where none does.
    pub thresholds: BTreeMap<String, Vec<Option<f64>>>,
    /// Wall-clock training time.
    pub training_seconds: f64,
    /// Where that time went, in order (absent in cards written before it existed).
    #[serde(default)]
    pub stages: Vec<Stage>,
    /// The validation model's calibrated prediction per validation ticket, oldest first:
    /// `[label, confidence, right]`. What any precision target is computed from.
    #[serde(default)]
    pub validation_predictions: Vec<Prediction>,
    /// Transfer: the tokenizer was given (a bundled model's), not trained on these tickets.
    #[serde(default)]
    pub tokenizer_given: bool,
    /// Transfer: prior examples that joined the fit (train only, never validation).
    #[serde(default)]
    pub prior_tickets: usize,
}

/// The card's file name in a model directory.
pub const CARD_FILE: &str = "model-card.json";

/// What precision targets and expectations need from a card.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CardPredictions {
    /// Labels in logit order.
    pub labels: Vec<String>,
    /// See [`Report::validation_predictions`]; never empty when read.
    pub validation_predictions: Vec<Prediction>,
}

/// Why a model directory's card cannot give validation predictions.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The directory has no `model-card.json` (only `triage train` writes one).
    #[error("{} does not exist; only models made by `triage train` carry one", .0.display())]
    Missing(PathBuf),
    /// The file exists but cannot be read or is not a card.
    #[error("{}: not a readable model card: {message}", path.display())]
    Unreadable {
        /// The card.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A card without validation predictions (written by an older `triage train`).
    #[error("{} has no validation predictions (written by an older `triage train`); retrain the model", .0.display())]
    NoPredictions(PathBuf),
}

/// The labels and validation predictions of the card in model directory `dir`.
pub fn read_predictions(dir: &Path) -> Result<CardPredictions, CardError> {
    #[derive(Deserialize)]
    struct Raw {
        labels: Vec<String>,
        #[serde(default)]
        validation_predictions: Vec<Prediction>,
    }
    let path = dir.join(CARD_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(CardError::Missing(path)),
        Err(e) => {
            return Err(CardError::Unreadable {
                path,
                message: e.to_string(),
            });
        }
    };
    let raw: Raw = serde_json::from_str(&text).map_err(|e| CardError::Unreadable {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if raw.validation_predictions.is_empty() {
        return Err(CardError::NoPredictions(path));
    }
    Ok(CardPredictions {
        labels: raw.labels,
        validation_predictions: raw.validation_predictions,
    })
}

/// The per-label table, for the card and the CLI.
pub fn table(scores: &Scores) -> String {
    let width = scores
        .per_label
        .iter()
        .map(|s| s.label.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut out = format!(
        "| {:<width$} | precision | recall | F1 | support |\n| {} | --- | --- | --- | --- |\n",
        "label",
        "-".repeat(width)
    );
    for s in &scores.per_label {
        let _ = writeln!(
            out,
            "| {:<width$} | {:.3} | {:.3} | {:.3} | {} |",
            s.label, s.precision, s.recall, s.f1, s.support
        );
    }
    out
}

/// `model-card.md`.
pub fn markdown(r: &Report) -> String {
    let mut md = format!(
        "# Model card: {}\n\nTrained by `triage train` (triage-train) on {} tickets in {:.1} s.\n\n",
        r.field, r.tickets, r.training_seconds
    );
    if !r.stages.is_empty() {
        md.push_str("Time per stage:");
        for (i, s) in r.stages.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            let _ = write!(md, "{sep}{} {:.1} s", s.name, s.seconds);
            if let Some(it) = s.iterations {
                let _ = write!(md, " ({it} iterations)");
            }
        }
        md.push_str(".\n\n");
    }
    let _ = writeln!(
        md,
        "## Data\n\n- window (seconds since the epoch): {} … {}; validation from {}",
        r.window.first, r.window.last, r.window.validation_from
    );
    let _ = writeln!(
        md,
        "- train {} (older) / validation {} (newest 15 %), then refit on all",
        r.train_tickets, r.validation_tickets
    );
    if r.tokenizer_given || r.prior_tickets > 0 {
        let _ = writeln!(
            md,
            "- transfer: tokenizer {}; prior examples in the fit: {}",
            if r.tokenizer_given {
                "given (a bundled model's)"
            } else {
                "trained on these tickets"
            },
            r.prior_tickets
        );
    }
    let _ = writeln!(
        md,
        "- duplicates dropped: {}; labels dropped (too few examples): {:?}\n",
        r.duplicates_dropped, r.labels_dropped
    );
    md.push_str("| label | tickets |\n| --- | --- |\n");
    for (l, n) in &r.counts {
        let _ = writeln!(md, "| {l} | {n} |");
    }
    let _ = writeln!(
        md,
        "\n## Validation\n\nC tried (C, accuracy, macro-F1): {:?}; chosen C = {}.\n\naccuracy {:.3}, macro-F1 {:.3}\n",
        r.c_grid, r.c, r.validation.accuracy, r.validation.macro_f1
    );
    md.push_str(&table(&r.validation));
    md.push_str(
        "\nConfusion matrix (rows: truth, columns: predicted, label order as above):\n\n```\n",
    );
    for row in &r.validation.confusion {
        let _ = writeln!(
            md,
            "{}",
            row.iter().map(|v| format!("{v:>5}")).collect::<String>()
        );
    }
    let _ = writeln!(
        md,
        "```\n\n## Calibration\n\nTemperature {:.3}; expected calibration error (15 bins) {:.4} before, {:.4} after.\n\n## Thresholds\n\nLowest calibrated confidence whose validation precision reaches the target (— = never):\n",
        r.temperature, r.ece_before, r.ece_after
    );
    md.push_str("| label |");
    for t in r.thresholds.keys() {
        let _ = write!(md, " p ≥ {t} |");
    }
    md.push_str("\n| --- |");
    md.push_str(&" --- |".repeat(r.thresholds.len()));
    md.push('\n');
    for (i, l) in r.labels.iter().enumerate() {
        let _ = write!(md, "| {l} |");
        for th in r.thresholds.values() {
            match th[i] {
                Some(v) => {
                    let _ = write!(md, " {v:.3} |");
                }
                None => md.push_str(" — |"),
            }
        }
        md.push('\n');
    }
    md
}
