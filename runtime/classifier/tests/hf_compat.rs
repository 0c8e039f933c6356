//! A BERT sequence classifier exported from HuggingFace transformers gives, through triage,
//! the logits transformers computed (models/hf-compat/make_fixture.py regenerates both).

mod common;

use serde::Deserialize;
use triage_classifier::{Classifier, ClassifierOptions};

#[derive(Deserialize)]
struct Expected {
    texts: Vec<String>,
    logits: Vec<Vec<f32>>,
    labels: Vec<String>,
}

#[test]
fn bert_logits_match_transformers() {
    let dir = common::model("hf-compat/bert-tiny");
    let expected: Expected =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let c = Classifier::load(&dir, ClassifierOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.max_length(), 128);
    let texts: Vec<&str> = expected.texts.iter().map(String::as_str).collect();

    // Once batched (padding and length sorting involved), once text by text.
    let batched = c.logits_batch(&texts).unwrap();
    let single: Vec<Vec<f32>> = texts
        .iter()
        .map(|t| c.logits_batch(&[t]).unwrap().remove(0))
        .collect();
    for got in [&batched, &single] {
        let mut worst = 0.0f32;
        for (g, w) in got.iter().zip(&expected.logits) {
            assert_eq!(g.len(), w.len());
            for (a, b) in g.iter().zip(w) {
                worst = worst.max((a - b).abs());
            }
        }
        assert!(worst < 1e-4, "max |Δ logits| = {worst}");
    }
    let labels: Vec<String> = c
        .classify_batch(&texts)
        .unwrap()
        .into_iter()
        .map(|p| p.label)
        .collect();
    assert_eq!(labels, expected.labels);
}
