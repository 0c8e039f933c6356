//! Accuracy of the bundled models on raw versus cleaned ticket text ([`triage_classifier::text`]),
//! to decide which form a model gets. Run with `cargo bench -p triage-classifier --bench text_form`.
//!
//! Tickets: the Freshdesk simulator's generator (seed 4242, 3,000 tickets, written
//! independently of `models/train`), and the hand-written `models/eval` sets (measured only:
//! nothing is tuned on them). Prints figures, asserts nothing.

use std::path::{Path, PathBuf};

use triage_classifier::text::{TextForm, ticket_text};
use triage_classifier::{Classifier, ClassifierOptions};

struct Labelled {
    subject: String,
    text: Option<String>,
    html: Option<String>,
    queue: String,
    priority: String,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn simulator() -> Vec<Labelled> {
    let data =
        triage_sim::generate::generate(&triage_sim::generate::GenerateOptions::new(3000, 4242));
    data.tickets
        .iter()
        .map(|t| {
            let truth = &data.truth[&t.id];
            Labelled {
                subject: t.subject.clone(),
                text: Some(t.description_text.clone()),
                html: Some(t.description.clone()),
                queue: truth.queue.clone(),
                priority: truth.priority.name().to_string(),
            }
        })
        .collect()
}

fn eval_set(name: &str) -> Vec<Labelled> {
    let path = repo().join("models/eval").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let body = v["body"].as_str().unwrap_or_default().to_string();
            let html = v["html"].as_bool().unwrap_or(false);
            Labelled {
                subject: v["subject"].as_str().unwrap_or_default().to_string(),
                text: (!html).then(|| body.clone()),
                html: html.then_some(body),
                queue: v["queue"].as_str().unwrap().to_string(),
                priority: v["priority"].as_str().unwrap().to_string(),
            }
        })
        .collect()
}

fn accuracy(c: &Classifier, set: &[Labelled], form: TextForm, want: fn(&Labelled) -> &str) -> f64 {
    let texts: Vec<String> = set
        .iter()
        .map(|t| ticket_text(&t.subject, t.text.as_deref(), t.html.as_deref(), form))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let got = c.classify_batch(&refs).unwrap();
    let right = got
        .iter()
        .zip(set)
        .filter(|(p, t)| p.label == want(t))
        .count();
    right as f64 / set.len() as f64
}

/// Reads one field's true label from a ticket.
type LabelOf = fn(&Labelled) -> &str;

fn main() {
    let sets = [
        ("simulator (3000)", simulator()),
        ("eval set-a (130)", eval_set("set-a.jsonl")),
        ("eval set-b (130)", eval_set("set-b.jsonl")),
    ];
    let fields: [(&str, LabelOf); 2] = [("queue", |t| &t.queue), ("priority", |t| &t.priority)];
    println!(
        "{:<10} {:<18} {:>7} {:>7} {:>7}",
        "model", "tickets", "raw", "clean", "Δ"
    );
    for (model, want) in fields {
        let c = Classifier::load(
            repo().join("models").join(model),
            ClassifierOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for (name, set) in &sets {
            let raw = accuracy(&c, set, TextForm::Raw, want);
            let clean = accuracy(&c, set, TextForm::Clean, want);
            println!(
                "{model:<10} {name:<18} {raw:>7.3} {clean:>7.3} {:>+7.3}",
                clean - raw
            );
        }
    }
}
