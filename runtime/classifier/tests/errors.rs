//! A broken model directory fails with an error that names the offending file.

mod common;

use std::fs;

use triage_classifier::{Classifier, ClassifierOptions, Error};

fn load(dir: &std::path::Path) -> Error {
    Classifier::load(dir, ClassifierOptions::default()).unwrap_err()
}

#[test]
fn missing_model_file() {
    let dir = common::copy_model("queue");
    fs::remove_file(dir.path().join("model.onnx")).unwrap();
    let e = load(dir.path());
    assert!(
        matches!(e, Error::MissingFile { ref path } if path.ends_with("model.onnx")),
        "{e}"
    );
    assert!(e.to_string().contains("model.onnx"));
}

#[test]
fn missing_tokenizer() {
    let dir = common::copy_model("queue");
    fs::remove_file(dir.path().join("tokenizer.json")).unwrap();
    let e = load(dir.path());
    assert!(
        matches!(e, Error::MissingFile { ref path } if path.ends_with("tokenizer.json")),
        "{e}"
    );
}

#[test]
fn missing_label_map() {
    let dir = common::copy_model("queue");
    fs::remove_file(dir.path().join("config.json")).unwrap();
    let e = load(dir.path());
    assert!(matches!(e, Error::NoLabelMap { .. }), "{e}");
    assert!(e.to_string().contains("labels.txt"));
}

#[test]
fn labels_txt_is_used_without_config() {
    let dir = common::copy_model("priority");
    fs::remove_file(dir.path().join("config.json")).unwrap();
    fs::write(dir.path().join("labels.txt"), "low\nmedium\nhigh\nurgent\n").unwrap();
    let c = Classifier::load(dir.path(), ClassifierOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.labels(), ["low", "medium", "high", "urgent"]);
}

#[test]
fn label_count_mismatch() {
    let dir = common::copy_model("priority");
    fs::write(
        dir.path().join("config.json"),
        r#"{"id2label": {"0": "low", "1": "high"}}"#,
    )
    .unwrap();
    let e = load(dir.path());
    match &e {
        Error::LabelCountMismatch {
            labels, outputs, ..
        } => assert_eq!((*labels, *outputs), (2, 4)),
        other => panic!("unexpected error: {other}"),
    }
    assert!(e.to_string().contains("config.json"), "{e}");
}

#[test]
fn malformed_config() {
    let dir = common::copy_model("priority");
    fs::write(dir.path().join("config.json"), "{ not json").unwrap();
    let e = load(dir.path());
    assert!(
        matches!(e, Error::InvalidFile { ref path, .. } if path.ends_with("config.json")),
        "{e}"
    );
}

#[test]
fn graph_with_unexpected_inputs() {
    let dir = common::copy_model("queue");
    fs::copy(
        common::fixture("wrong_inputs.onnx"),
        dir.path().join("model.onnx"),
    )
    .unwrap();
    let e = load(dir.path());
    assert!(
        matches!(e, Error::UnexpectedInputs { ref found, .. } if found == &["pixel_values"]),
        "{e}"
    );
    assert!(e.to_string().contains("model.onnx"));
}

#[test]
fn graph_without_logits() {
    let dir = common::copy_model("queue");
    fs::copy(
        common::fixture("no_logits.onnx"),
        dir.path().join("model.onnx"),
    )
    .unwrap();
    let e = load(dir.path());
    assert!(matches!(e, Error::MissingLogits { .. }), "{e}");
}

#[test]
fn file_that_is_not_onnx() {
    let dir = common::copy_model("queue");
    fs::write(dir.path().join("model.onnx"), b"definitely not protobuf").unwrap();
    let e = load(dir.path());
    assert!(
        matches!(e, Error::InvalidFile { ref path, .. } if path.ends_with("model.onnx")),
        "{e}"
    );
}
