//! `triage-train`: trains the bundled model architecture from a team's labelled tickets, in
//! Rust, and writes a standard model directory the classifier loads unchanged.
//!
//! # Design
//!
//! - **Text**: callers pass ticket text already built by `triage_classifier::text::ticket_text`
//!   (the same function the pipeline uses at inference), so training and inference see the
//!   same text. The model directory's `config.json` says `"text": "clean"`.
//! - **Tokenizer** ([`tokenize`]): WordPiece trained with the `tokenizers` crate with exactly
//!   the settings of `models/train/train.py`. It and the IDF are label-free, so both are fit on
//!   every ticket (validation tickets included); labels of validation tickets are only seen by
//!   the final refit.
//! - **Features** ([`features`]): subword unigram + hashed bigram TF-IDF bag, exactly
//!   `models/train/bagmodel.py`.
//! - **Model** ([`logreg`]): multinomial logistic regression, L2 chosen on validation among
//!   [`C_GRID`] by accuracy (macro-F1 breaks ties), fitted by a small L-BFGS (weighted by
//!   [`Example::weight`]); the search stops after [`GRID_PATIENCE`] values in a row that
//!   score below the best.
//! - **Validation by time**: tickets sorted by time, the newest [`VALIDATION_SHARE`] validate,
//!   the rest train; then the chosen C is refit on everything (warm-started).
//! - **Calibration** ([`calibrate`]): temperature fitted on validation logits, stored in
//!   `config.json` (`"temperature"`) and applied by the classifier.
//! - **Precision thresholds** ([`precision`]): per label the lowest calibrated validation
//!   confidence reaching a precision target, for [`PRECISION_TARGETS`] in the card; the card
//!   also keeps every validation prediction so that configuration can resolve any target.
//!   The refit model uses the temperature and thresholds measured on the validation model
//!   (the usual approximation; a refit on 15 % more data is, if anything, better calibrated).
//! - **Export** ([`onnx`]): the graph of `bagmodel.py` written as protobuf by hand.
//! - **Card** ([`card`]): `model-card.json` and `model-card.md`.
//!
//! # Transfer
//!
//! For small histories, [`Options::prior`] adds prior examples (the CLI gives the simulator
//! generator's tickets, whose labels are the bundled models') to the fit only: they never
//! validate, count in no label count, and only those with one of the tickets' labels and a
//! text none of the tickets has are used. Tokenizer and IDF are fit on tickets and prior
//! together (both are label-free). [`Options::tokenizer`] uses a given tokenizer (a bundled
//! model's, [`tokenize::load`]) instead of training one; measured, it did not help
//! (docs/training.md, *Transfer*), so the CLI does not use it.

#![deny(missing_docs)]

pub mod calibrate;
pub mod card;
mod error;
pub mod features;
pub mod logreg;
pub mod onnx;
mod par;
pub mod precision;
pub mod tokenize;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

pub use card::{LabelScores, Report, Scores, Stage, score};
pub use error::{Error, Result};

use logreg::{Fit, Model};

/// Values of scikit-learn's C tried (λ = 1 / (C · n)).
pub const C_GRID: [f64; 4] = [1.0, 3.0, 10.0, 30.0];
/// The C search stops once this many weaker penalties in a row scored below the best: the
/// weakest (slowest) fits are skipped when validation already falls away from the best.
pub const GRID_PATIENCE: usize = 2;
/// A fit stops when the objective improves by less than this, relatively. Against 1e-6 it
/// took about a quarter less CPU, and every C's validation scores were the same to three
/// decimals at 10k and 50k tickets (docs/training.md).
pub const FIT_TOL: f64 = 1e-5;
/// Share of the newest tickets that validate.
pub const VALIDATION_SHARE: f64 = 0.15;
/// Precision targets for which thresholds are stored.
pub const PRECISION_TARGETS: [f64; 3] = [0.8, 0.9, 0.95];

/// One labelled ticket.
#[derive(Debug, Clone)]
pub struct Example {
    /// Text as the classifier reads it.
    pub text: String,
    /// The label (a native queue or priority name).
    pub label: String,
    /// Creation time, as sortable seconds (validation takes the newest).
    pub time: i64,
    /// How much this ticket counts in the fit: 1.0 is normal; a ticket whose label an agent
    /// corrected is given more. Must be finite and positive.
    pub weight: f32,
}

/// Training knobs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Tokenizer vocabulary size.
    pub vocab_size: usize,
    /// Hashed bigram buckets.
    pub buckets: usize,
    /// Labels with fewer examples are left out (and reported).
    pub min_per_label: usize,
    /// Most L-BFGS iterations per fit.
    pub max_iter: usize,
    /// Threads for the fits (0: as many as the machine has). The model does not depend on it.
    pub threads: usize,
    /// What the model predicts ("queue", "priority"), for the card.
    pub field: String,
    /// Transfer: a tokenizer to use instead of training one on the tickets (e.g. a bundled
    /// model's, [`tokenize::load`]); `None` trains one. See *Transfer* in the crate docs.
    pub tokenizer: Option<tokenizers::Tokenizer>,
    /// Transfer: prior examples (e.g. generated tickets) added to the fit only, usually with
    /// a weight below 1. Only those whose label is one of the tickets' labels are used; they
    /// never validate and count in no label count.
    pub prior: Vec<Example>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            vocab_size: 8000,
            buckets: 1 << 16,
            min_per_label: 10,
            max_iter: 150,
            threads: 0,
            field: "queue".into(),
            tokenizer: None,
            prior: Vec::new(),
        }
    }
}

/// A trained model, ready to score texts or be written as a model directory.
pub struct Trained {
    /// Labels in logit order.
    pub labels: Vec<String>,
    /// The tokenizer.
    pub tokenizer: tokenizers::Tokenizer,
    /// IDF per feature row.
    pub idf: Vec<f32>,
    /// The refit model.
    pub model: Model,
    /// Calibration temperature.
    pub temperature: f64,
    /// Bigram buckets.
    pub buckets: usize,
    /// What the card reports.
    pub report: Report,
    /// The validation tickets (text, label), newest last, for comparing with another model.
    pub validation: Vec<(String, String)>,
    /// The validation model's calibrated (label index, confidence) per validation ticket:
    /// what the thresholds were computed from.
    pub validation_predictions: Vec<(usize, f64)>,
}

impl Trained {
    /// Uncalibrated logits for `texts` computed in Rust (what the ONNX graph must reproduce).
    pub fn logits(&self, texts: &[String]) -> Result<Vec<Vec<f64>>> {
        let vocab = self.tokenizer.get_vocab_size(true);
        let ids = tokenize::encode(&self.tokenizer, texts)?;
        let x = features::features(features::counts(&ids, vocab, self.buckets), &self.idf);
        Ok(self.model.logits(&x))
    }

    /// Calibrated probabilities for `texts`.
    pub fn probabilities(&self, texts: &[String]) -> Result<Vec<Vec<f64>>> {
        Ok(self
            .logits(texts)?
            .iter()
            .map(|l| calibrate::probs(l, self.temperature))
            .collect())
    }

    /// Writes `model.onnx`, `tokenizer.json`, `config.json`, `model-card.json` and
    /// `model-card.md` into `dir` (created if needed). Files are written to a temporary
    /// directory next to it first and moved in at the end, so a failure leaves nothing half
    /// written.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let parent = dir.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(error::io(parent))?;
        let staging = parent.join(format!(
            ".{}.partial",
            dir.file_name().and_then(|n| n.to_str()).unwrap_or("model")
        ));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging).map_err(error::io(&staging))?;
        let vocab = self.tokenizer.get_vocab_size(true);
        let k = self.labels.len();
        let table: Vec<f32> = (0..self.model.width * k)
            .map(|i| (self.model.weights[i] * f64::from(self.idf[i / k])) as f32)
            .collect();
        let idf2: Vec<f32> = self.idf.iter().map(|v| v * v).collect();
        let bias: Vec<f32> = self.model.bias.iter().map(|&b| b as f32).collect();
        let put = |name: &str, bytes: &[u8]| -> Result<()> {
            let p = staging.join(name);
            std::fs::write(&p, bytes).map_err(error::io(&p))
        };
        put(
            "model.onnx",
            &onnx::export(&table, &idf2, &bias, vocab, self.buckets),
        )?;
        let tok_path = staging.join("tokenizer.json");
        self.tokenizer
            .save(&tok_path, false)
            .map_err(|e| Error::Tokenizer(format!("{}: {e}", tok_path.display())))?;
        let config = serde_json::json!({
            "architectures": ["TriageBagClassifier"],
            "model_type": "triage-bag",
            "id2label": self.labels.iter().enumerate().map(|(i, l)| (i.to_string(), l.clone())).collect::<BTreeMap<_, _>>(),
            "label2id": self.labels.iter().enumerate().map(|(i, l)| (l.clone(), i)).collect::<BTreeMap<_, _>>(),
            "max_position_embeddings": tokenize::MAX_LENGTH,
            "bigram_buckets": self.buckets,
            "vocab_size": vocab,
            "text": "clean",
            "temperature": self.temperature,
        });
        put("config.json", format!("{:#}\n", config).as_bytes())?;
        put(
            "model-card.json",
            format!(
                "{:#}\n",
                serde_json::to_value(&self.report).expect("plain data")
            )
            .as_bytes(),
        )?;
        put("model-card.md", card::markdown(&self.report).as_bytes())?;
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(error::io(dir))?;
        }
        std::fs::rename(&staging, dir).map_err(error::io(dir))
    }
}

/// Records the wall-clock time of each stage since the previous one.
struct Stopwatch {
    last: Instant,
    stages: Vec<Stage>,
}

impl Stopwatch {
    fn new() -> Self {
        Self {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    fn lap(&mut self, name: impl Into<String>, iterations: Option<usize>) {
        let now = Instant::now();
        self.stages.push(Stage {
            name: name.into(),
            seconds: (now - self.last).as_secs_f64(),
            iterations,
        });
        self.last = now;
    }
}

/// Of each set of examples with the same text, the one with the largest weight (the first
/// of equals); in the given order.
fn dedupe(examples: Vec<Example>) -> Vec<Example> {
    let mut winner: HashMap<&str, usize> = HashMap::with_capacity(examples.len());
    for (i, e) in examples.iter().enumerate() {
        let w = winner.entry(e.text.as_str()).or_insert(i);
        if e.weight > examples[*w].weight {
            *w = i;
        }
    }
    let mut keep = vec![false; examples.len()];
    for &i in winner.values() {
        keep[i] = true;
    }
    examples
        .into_iter()
        .zip(keep)
        .filter_map(|(e, k)| k.then_some(e))
        .collect()
}

/// The prior examples that can join the fit: labels among the tickets' `labels`, text not
/// among the tickets' (the team's label wins), of equal texts the one with the largest weight.
fn prior_for(prior: &[Example], team: &[Example], labels: &BTreeMap<&str, usize>) -> Vec<Example> {
    let team_texts: std::collections::HashSet<&str> =
        team.iter().map(|e| e.text.as_str()).collect();
    dedupe(
        prior
            .iter()
            .filter(|e| {
                labels.contains_key(e.label.as_str()) && !team_texts.contains(e.text.as_str())
            })
            .cloned()
            .collect(),
    )
}

/// Trains a model on `examples` (any order; of examples with the same text only the one
/// with the largest weight is kept, the first of equals).
pub fn train(examples: Vec<Example>, opts: &Options) -> Result<Trained> {
    let started = Instant::now();
    let mut clock = Stopwatch::new();
    if examples.is_empty() {
        return Err(Error::NoHistory);
    }
    if let Some((index, e)) = examples
        .iter()
        .enumerate()
        .find(|(_, e)| !(e.weight.is_finite() && e.weight > 0.0))
    {
        return Err(Error::Weight {
            index,
            time: e.time,
            weight: e.weight,
        });
    }
    if let Some((index, e)) = opts
        .prior
        .iter()
        .enumerate()
        .find(|(_, e)| !(e.weight.is_finite() && e.weight > 0.0))
    {
        return Err(Error::PriorWeight {
            index,
            time: e.time,
            weight: e.weight,
        });
    }
    let given = examples.len();
    let mut examples = dedupe(examples);
    let duplicates = given - examples.len();
    let mut per_label: BTreeMap<String, usize> = BTreeMap::new();
    for e in &examples {
        *per_label.entry(e.label.clone()).or_default() += 1;
    }
    let dropped: BTreeMap<String, usize> = per_label
        .iter()
        .filter(|(_, n)| **n < opts.min_per_label)
        .map(|(l, n)| (l.clone(), *n))
        .collect();
    let labels: Vec<String> = per_label
        .keys()
        .filter(|l| !dropped.contains_key(*l))
        .cloned()
        .collect();
    if labels.len() < 2 {
        return Err(Error::TooFewLabels {
            labels: labels.len(),
            min: opts.min_per_label,
            found: per_label
                .iter()
                .map(|(l, n)| format!("{l}: {n}"))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    examples.retain(|e| !dropped.contains_key(&e.label));
    examples.sort_by_key(|e| e.time);
    let index: BTreeMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let prior = prior_for(&opts.prior, &examples, &index);
    let n = examples.len();
    // Team tickets first (sorted by time), then the prior: rows n.. only ever train.
    let all = || examples.iter().chain(&prior);
    let y: Vec<usize> = all().map(|e| index[e.label.as_str()]).collect();
    let weights: Vec<f64> = all().map(|e| f64::from(e.weight)).collect();
    let texts: Vec<String> = all().map(|e| e.text.clone()).collect();

    clock.lap("prepare", None);

    // Label-free statistics (tokenizer, IDF) are fit on every text the fit sees.
    let tokenizer = match &opts.tokenizer {
        Some(t) => t.clone(),
        None => tokenize::train(&texts, opts.vocab_size)?,
    };
    clock.lap("tokenizer", None);
    let vocab = tokenizer.get_vocab_size(true);
    let ids = tokenize::encode(&tokenizer, &texts)?;
    clock.lap("encode", None);
    let counts = features::counts(&ids, vocab, opts.buckets);
    let width = vocab + opts.buckets;
    let idf = features::idf(&counts, width);
    let x = features::features(counts, &idf);

    let cut = n - ((n as f64 * VALIDATION_SHARE).round() as usize).clamp(1, n - 1);
    let train_idx: Vec<usize> = (0..cut).chain(n..texts.len()).collect();
    let val_idx: Vec<usize> = (cut..n).collect();
    let (xt, xv) = (x.select(&train_idx), x.select(&val_idx));
    let yt: Vec<usize> = train_idx.iter().map(|&i| y[i]).collect();
    let yv = &y[cut..n];
    let wt: Vec<f64> = train_idx.iter().map(|&i| weights[i]).collect();
    let fit_opts = |c: f64, total_weight: f64| Fit {
        lambda: 1.0 / (c * total_weight),
        max_iter: opts.max_iter,
        tol: FIT_TOL,
        threads: opts.threads,
    };
    clock.lap("features", None);

    // Strongest penalty first: each fit warm-starts the next, weaker one.
    let mut model = Model::zeros(width, labels.len());
    let mut best: Option<(f64, f64, f64, Model)> = None;
    let mut grid = Vec::new();
    let mut worse = 0;
    for &c in &C_GRID {
        if worse == GRID_PATIENCE {
            break;
        }
        let done = logreg::fit(&mut model, &xt, &yt, &wt, fit_opts(c, wt.iter().sum()));
        clock.lap(format!("fit C={c}"), Some(done.iterations));
        let pred: Vec<usize> = model
            .logits(&xv)
            .iter()
            .map(|l| calibrate::top(l, 1.0).0)
            .collect();
        let s = card::score(&pred, yv, &labels);
        grid.push((c, s.accuracy, s.macro_f1));
        if best
            .as_ref()
            .is_none_or(|b| (s.accuracy, s.macro_f1) > (b.1, b.2))
        {
            best = Some((c, s.accuracy, s.macro_f1, model.clone()));
            worse = 0;
        } else {
            worse += 1;
        }
    }
    let (best_c, _, _, val_model) = best.expect("grid is not empty");
    let val_logits = val_model.logits(&xv);
    let temperature = calibrate::fit_temperature(&val_logits, yv);
    let predicted: Vec<(usize, f64)> = val_logits
        .iter()
        .map(|l| calibrate::top(l, temperature))
        .collect();
    let pred_labels: Vec<usize> = predicted.iter().map(|p| p.0).collect();
    let validation_scores = card::score(&pred_labels, yv, &labels);
    let validation_predictions: Vec<precision::Prediction> = predicted
        .iter()
        .zip(yv)
        .map(|(&(p, c), &t)| (labels[p].clone(), c, p == t))
        .collect();
    let thresholds: BTreeMap<String, Vec<Option<f64>>> = PRECISION_TARGETS
        .iter()
        .map(|&t| {
            (
                format!("{t}"),
                precision::thresholds(&validation_predictions, &labels, t),
            )
        })
        .collect();
    clock.lap("calibration", None);

    let mut final_model = val_model.clone();
    let done = logreg::fit(
        &mut final_model,
        &x,
        &y,
        &weights,
        fit_opts(best_c, weights.iter().sum()),
    );
    clock.lap("refit", Some(done.iterations));

    let report = Report {
        field: opts.field.clone(),
        labels: labels.clone(),
        window: card::Window {
            first: examples.first().map_or(0, |e| e.time),
            last: examples.last().map_or(0, |e| e.time),
            validation_from: examples[cut].time,
        },
        tickets: n,
        duplicates_dropped: duplicates,
        labels_dropped: dropped,
        counts: labels.iter().map(|l| (l.clone(), per_label[l])).collect(),
        train_tickets: cut,
        validation_tickets: n - cut,
        c_grid: grid,
        c: best_c,
        validation: validation_scores,
        temperature,
        ece_before: calibrate::ece(&val_logits, yv, 1.0, 15),
        ece_after: calibrate::ece(&val_logits, yv, temperature, 15),
        thresholds,
        training_seconds: started.elapsed().as_secs_f64(),
        stages: clock.stages,
        validation_predictions,
        tokenizer_given: opts.tokenizer.is_some(),
        prior_tickets: prior.len(),
    };
    let validation = val_idx
        .iter()
        .map(|&i| (texts[i].clone(), labels[y[i]].clone()))
        .collect();
    Ok(Trained {
        labels,
        tokenizer,
        idf,
        model: final_model,
        temperature,
        buckets: opts.buckets,
        report,
        validation,
        validation_predictions: predicted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(text: &str, label: &str, weight: f32) -> Example {
        Example {
            text: text.into(),
            label: label.into(),
            time: 0,
            weight,
        }
    }

    #[test]
    fn dedupe_keeps_the_larger_weight_and_the_first_of_equals() {
        let kept = dedupe(vec![
            ex("printer jammed", "Hardware", 1.0),
            ex("vpn down", "Network", 1.0),
            ex("printer jammed", "Facilities", 3.0),
            ex("vpn down", "Access", 1.0),
            ex("printer jammed", "Hardware", 2.0),
        ]);
        let got: Vec<(&str, &str)> = kept
            .iter()
            .map(|e| (e.text.as_str(), e.label.as_str()))
            .collect();
        assert_eq!(
            got,
            [("vpn down", "Network"), ("printer jammed", "Facilities")]
        );
    }
}
