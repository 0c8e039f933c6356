//! A new model beside the ones it would replace, on the same validation tickets.

use std::path::{Path, PathBuf};

use anyhow::Context;
use triage_classifier::{Classifier, ClassifierOptions};
use triage_pipeline::decide::StepPolicy;
use triage_train::{Scores, Trained, score};

use super::Field;

/// A model the new one must beat: its directory and, for the pipeline's own model, the
/// step whose `mapping` turns its labels into what the pipeline writes.
pub struct Incumbent<'p> {
    pub dir: PathBuf,
    pub policy: Option<&'p StepPolicy>,
}

impl<'p> Incumbent<'p> {
    /// `DIR/<field>` when it already holds a model.
    pub fn existing(out: &Path, field: Field, policy: Option<&'p StepPolicy>) -> Vec<Self> {
        let dir = out.join(field.name());
        let found = Self { dir, policy };
        if found.exists() {
            vec![found]
        } else {
            Vec::new()
        }
    }

    /// The step's model (through its mapping) and `DIR/<field>` when that is another one.
    pub fn for_step(
        current: Option<PathBuf>,
        policy: &'p StepPolicy,
        out: &Path,
        field: Field,
    ) -> Vec<Self> {
        let mut all: Vec<Self> = current
            .map(|dir| Self {
                dir,
                policy: Some(policy),
            })
            .into_iter()
            .filter(Self::exists)
            .collect();
        for other in Self::existing(out, field, None) {
            if !all.iter().any(|a| same_dir(&a.dir, &other.dir)) {
                all.push(other);
            }
        }
        all
    }

    /// A model directory is there.
    pub fn exists(&self) -> bool {
        self.dir.join("model.onnx").is_file()
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// How much higher the new model's macro-F1 must be to replace a model: less is within
/// the run-to-run noise of training (the tokenizer trainer is not deterministic in the
/// last digits), and replacing a model for noise only churns the pipeline's decisions.
pub const MIN_GAIN: f64 = 0.005;

/// An incumbent that scores about as well as the new model, or better (within [`MIN_GAIN`]).
pub struct AsGood {
    pub dir: PathBuf,
    pub macro_f1: f64,
}

/// Scores every incumbent on the new model's validation tickets, prints the per-label F1
/// table, and returns those at least as good as the new model.
pub fn against(trained: &Trained, incumbents: &[Incumbent<'_>]) -> anyhow::Result<Vec<AsGood>> {
    let new = &trained.report.validation;
    let (texts, truth): (Vec<String>, Vec<String>) = trained.validation.iter().cloned().unzip();
    let mut columns = Vec::new();
    for inc in incumbents {
        let c = Classifier::load(&inc.dir, ClassifierOptions::default())
            .with_context(|| format!("loading the current model {}", inc.dir.display()))?;
        let s = score_model(&c, &texts, &truth, &trained.labels, inc.policy)?.scores;
        println!(
            "current model ({}{}): accuracy {:.3}, macro-F1 {:.3}",
            inc.dir.display(),
            if inc.policy.is_some() {
                ", as the pipeline maps it"
            } else {
                ""
            },
            s.accuracy,
            s.macro_f1
        );
        columns.push((inc, s));
    }
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    print!("\n{:<32}", "label (F1)");
    for i in 1..=columns.len() {
        print!(
            " {:>9}",
            format!(
                "current{}",
                if columns.len() > 1 {
                    i.to_string()
                } else {
                    String::new()
                }
            )
        );
    }
    println!(" {:>9}", "new");
    for s in &new.per_label {
        print!("{:<32}", s.label);
        for (_, old) in &columns {
            let f1 = old
                .per_label
                .iter()
                .find(|o| o.label == s.label)
                .map_or(0.0, |o| o.f1);
            print!(" {f1:>9.3}");
        }
        println!(" {:>9.3}", s.f1);
    }
    Ok(columns
        .into_iter()
        .filter(|(_, old)| old.macro_f1 + MIN_GAIN >= new.macro_f1)
        .map(|(inc, old)| AsGood {
            dir: inc.dir.clone(),
            macro_f1: old.macro_f1,
        })
        .collect())
}

/// Scores `model` on (text, label) pairs. With a
/// step's policy, a predicted label counts as what the pipeline would write for it (its
/// `mapping`), matched to the truth ignoring case as adapters resolve names. Labels the
/// model predicts that the data lacks count as wrong.
pub fn score_model(
    c: &Classifier,
    texts: &[String],
    truth: &[String],
    labels: &[String],
    policy: Option<&StepPolicy>,
) -> anyhow::Result<Scored> {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let got = c.classify_batch(&refs)?;
    let mut all = labels.to_vec();
    let predicted: Vec<String> = got
        .iter()
        .map(|p| {
            let native = policy.map_or_else(|| p.label.clone(), |s| s.native_value(&p.label));
            all.iter()
                .find(|l| l.eq_ignore_ascii_case(&native))
                .cloned()
                .unwrap_or(native)
        })
        .collect();
    for p in &predicted {
        if !all.contains(p) {
            all.push(p.clone());
        }
    }
    let idx = |l: &str| all.iter().position(|x| x == l).expect("listed");
    let pred: Vec<usize> = predicted.iter().map(|p| idx(p)).collect();
    let y: Vec<usize> = truth.iter().map(|l| idx(l)).collect();
    Ok(Scored {
        scores: score(&pred, &y, &all),
        correct: pred.iter().zip(&y).map(|(p, y)| p == y).collect(),
        confidence: got.iter().map(|p| p.confidence).collect(),
    })
}

/// A model's scores on labelled tickets, and per ticket whether it was right and how sure.
pub struct Scored {
    pub scores: Scores,
    pub correct: Vec<bool>,
    pub confidence: Vec<f32>,
}
