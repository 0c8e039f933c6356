//! Transfer from the bundled models for small histories (issue 12): trains on N simulator
//! tickets (Rust generator, `triage_sim::generate`) with and without each transfer candidate
//! and scores on held-out generator tickets (where choices are made) and, measured only, on
//! the hand-written `models/eval/set-a.jsonl` and `set-b.jsonl` (never tuned on).
//!
//! Candidates: the bundled model's tokenizer instead of one trained on the N tickets; prior
//! generated tickets (another seed) at a lower weight; both.
//! `TRIAGE_BENCH_SIZES` (default 200,500,1000,3000), `TRIAGE_BENCH_FIELDS` (queue,priority),
//! `TRIAGE_BENCH_PRIOR` (prior tickets, 3000), `TRIAGE_BENCH_WEIGHTS` (prior weights,
//! 0.1,0.3,1). Prints figures, asserts nothing.

use std::path::{Path, PathBuf};

use triage_classifier::text::{TextForm, ticket_text};
use triage_train::{Example, Options, Trained, calibrate, tokenize, train};

fn env_list<T: std::str::FromStr>(name: &str, default: &str) -> Vec<T> {
    std::env::var(name)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter_map(|v| v.trim().parse().ok())
        .collect()
}

fn generated(count: usize, seed: u64, field: &str, weight: f32) -> Vec<Example> {
    let data =
        triage_sim::generate::generate(&triage_sim::generate::GenerateOptions::new(count, seed));
    data.tickets
        .iter()
        .map(|t| {
            let truth = &data.truth[&t.id];
            Example {
                text: ticket_text(
                    &t.subject,
                    Some(&t.description_text),
                    Some(&t.description),
                    TextForm::Clean,
                ),
                label: match field {
                    "queue" => truth.queue.clone(),
                    _ => truth.priority.name().to_owned(),
                },
                time: t.created_at.timestamp(),
                weight,
            }
        })
        .collect()
}

fn models() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

/// (text, label) of a hand-written eval file, built like `triage train --jsonl` reads it.
fn eval_set(name: &str, field: &str) -> Vec<(String, String)> {
    let path = models().join("eval").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
            let subject = s("subject").unwrap_or_default();
            let body = s("body");
            let (body, html) = match v.get("html") {
                Some(serde_json::Value::Bool(true)) => (None, body),
                Some(serde_json::Value::String(h)) => (body, Some(h.clone())),
                _ => (body, None),
            };
            let t = ticket_text(&subject, body.as_deref(), html.as_deref(), TextForm::Clean);
            (t, s(field).expect("labelled"))
        })
        .collect()
}

/// (accuracy, macro-F1) of `t` on `rows`; a label the model does not know counts as wrong.
fn score(t: &Trained, rows: &[(String, String)]) -> (f64, f64) {
    let texts: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let pred: Vec<usize> = t
        .logits(&texts)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|l| calibrate::top(l, 1.0).0)
        .collect();
    let mut labels = t.labels.clone();
    for (_, l) in rows {
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    let truth: Vec<usize> = rows
        .iter()
        .map(|(_, l)| labels.iter().position(|x| x == l).unwrap())
        .collect();
    let s = triage_train::score(&pred, &truth, &labels);
    (s.accuracy, s.macro_f1)
}

fn main() {
    let sizes: Vec<usize> = env_list("TRIAGE_BENCH_SIZES", "200,500,1000,3000");
    let fields: Vec<String> = env_list("TRIAGE_BENCH_FIELDS", "queue,priority");
    let prior_n: usize = env_list("TRIAGE_BENCH_PRIOR", "3000")[0];
    let weights: Vec<f32> = env_list("TRIAGE_BENCH_WEIGHTS", "0.1,0.3,1");
    for field in &fields {
        let bundled = tokenize::load(&models().join(field).join("tokenizer.json"))
            .unwrap_or_else(|e| panic!("{e}"));
        let held: Vec<(String, String)> = generated(2000, 9090, field, 1.0)
            .into_iter()
            .map(|e| (e.text, e.label))
            .collect();
        let (a, b) = (
            eval_set("set-a.jsonl", field),
            eval_set("set-b.jsonl", field),
        );
        println!(
            "\n== {field}: held-out generator {} (seed 9090), set-a {}, set-b {}; prior {prior_n} generator tickets (seed 5150)",
            held.len(),
            a.len(),
            b.len()
        );
        println!(
            "{:>5} {:<22} {:>13} {:>13} {:>13} {:>6}",
            "N", "variant", "held acc/F1", "set-a acc/F1", "set-b acc/F1", "secs"
        );
        for &n in &sizes {
            let history = generated(n, 1000 + n as u64, field, 1.0);
            let mut variants: Vec<(String, Option<tokenizers::Tokenizer>, Option<f32>)> = vec![
                ("own tokenizer".into(), None, None),
                ("bundled tokenizer".into(), Some(bundled.clone()), None),
            ];
            for &w in &weights {
                variants.push((format!("prior w={w}"), None, Some(w)));
                variants.push((
                    format!("bundled tok + prior w={w}"),
                    Some(bundled.clone()),
                    Some(w),
                ));
            }
            let mut base: Option<[(f64, f64); 3]> = None;
            for (name, tok, w) in variants {
                let opts = Options {
                    field: field.clone(),
                    tokenizer: tok,
                    prior: w.map_or_else(Vec::new, |w| generated(prior_n, 5150, field, w)),
                    ..Options::default()
                };
                let started = std::time::Instant::now();
                let t = match train(history.clone(), &opts) {
                    Ok(t) => t,
                    Err(e) => {
                        println!("{n:>5} {name:<22} {e}");
                        continue;
                    }
                };
                let secs = started.elapsed().as_secs_f64();
                let s = [score(&t, &held), score(&t, &a), score(&t, &b)];
                let cell = |i: usize| format!("{:.3}/{:.3}", s[i].0, s[i].1);
                let ratio = base.map_or(String::new(), |b0| {
                    format!(
                        "  ratio acc held {:.3} a {:.3} b {:.3}",
                        s[0].0 / b0[0].0,
                        s[1].0 / b0[1].0,
                        s[2].0 / b0[2].0
                    )
                });
                println!(
                    "{n:>5} {name:<22} {:>13} {:>13} {:>13} {secs:>6.1}{ratio}",
                    cell(0),
                    cell(1),
                    cell(2)
                );
                base.get_or_insert(s);
            }
        }
    }
}
