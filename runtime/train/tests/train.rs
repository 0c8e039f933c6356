//! Training on simulator tickets (the Freshdesk generator, independent of `models/train`):
//! calibration helps, thresholds hold their precision, and the exported ONNX graph run by the
//! real classifier (ONNX Runtime) reproduces the Rust model's probabilities.

use std::sync::OnceLock;

use triage_classifier::text::{TextForm, ticket_text};
use triage_classifier::{Classifier, ClassifierOptions};
use triage_train::precision::{self, MIN_SUPPORT};
use triage_train::{Example, Options, PRECISION_TARGETS, Trained, card, train};

fn examples(count: usize, seed: u64) -> Vec<Example> {
    let data =
        triage_sim::generate::generate(&triage_sim::generate::GenerateOptions::new(count, seed));
    data.tickets
        .iter()
        .map(|t| Example {
            text: ticket_text(
                &t.subject,
                Some(&t.description_text),
                Some(&t.description),
                TextForm::Clean,
            ),
            label: data.truth[&t.id].queue.clone(),
            time: t.created_at.timestamp(),
            weight: 1.0,
        })
        .collect()
}

fn trained() -> &'static Trained {
    static MODEL: OnceLock<Trained> = OnceLock::new();
    MODEL.get_or_init(|| {
        let opts = Options {
            vocab_size: 3000,
            buckets: 1 << 14,
            ..Options::default()
        };
        train(examples(2500, 77), &opts).unwrap_or_else(|e| panic!("{e}"))
    })
}

#[test]
fn calibration_lowers_expected_calibration_error() {
    let r = &trained().report;
    assert!(
        r.ece_after < r.ece_before,
        "ECE {} → {}",
        r.ece_before,
        r.ece_after
    );
    assert!(r.temperature > 0.0 && r.temperature != 1.0);
}

#[test]
fn thresholds_reach_their_precision_on_validation() {
    let t = trained();
    let truth: Vec<usize> = t
        .validation
        .iter()
        .map(|(_, l)| t.labels.iter().position(|x| x == l).unwrap())
        .collect();
    let mut checked = 0;
    for target in PRECISION_TARGETS {
        let per_label = &t.report.thresholds[&format!("{target}")];
        for (label, th) in per_label.iter().enumerate() {
            let Some(th) = th else { continue };
            let admitted: Vec<bool> = t
                .validation_predictions
                .iter()
                .zip(&truth)
                .filter(|((p, c), _)| *p == label && c >= th)
                .map(|(_, &y)| y == label)
                .collect();
            assert!(!admitted.is_empty());
            let precision = admitted.iter().filter(|&&r| r).count() as f64 / admitted.len() as f64;
            assert!(
                precision >= target,
                "{}: precision {precision} < {target} at {th}",
                t.labels[label]
            );
            checked += 1;
        }
    }
    assert!(
        checked >= t.labels.len(),
        "too few thresholds exist: {checked}"
    );
}

/// Any target resolved from the card's predictions (as configuration does) holds on the
/// validation tickets' truth, with at least [`MIN_SUPPORT`] tickets behind it.
#[test]
fn any_precision_target_from_the_card_holds_on_validation() {
    let t = trained();
    let preds = &t.report.validation_predictions;
    assert_eq!(preds.len(), t.validation.len());
    for (((label, confidence, right), (p, c)), (_, truth)) in preds
        .iter()
        .zip(&t.validation_predictions)
        .zip(&t.validation)
    {
        assert_eq!((label, confidence), (&t.labels[*p], c));
        assert_eq!(*right, label == truth, "right/wrong must follow the truth");
    }
    let mut checked = 0;
    for target in [0.75, 0.85, 0.9, 0.97] {
        let per_label = precision::thresholds(preds, &t.labels, target);
        for (label, th) in t.labels.iter().zip(&per_label) {
            let Some(th) = th else { continue };
            let admitted: Vec<bool> = preds
                .iter()
                .zip(&t.validation)
                .filter(|((p, c, _), _)| p == label && c >= th)
                .map(|(_, (_, truth))| truth == label)
                .collect();
            assert!(admitted.len() >= MIN_SUPPORT, "{label}: {}", admitted.len());
            let realised = admitted.iter().filter(|&&r| r).count() as f64 / admitted.len() as f64;
            assert!(
                realised >= target,
                "{label}: precision {realised} < {target} at {th}"
            );
            checked += 1;
        }
        // The expectation at these thresholds is at least the target too.
        let e = precision::expect(preds, |l, c| {
            let i = t.labels.iter().position(|x| x == l).unwrap();
            per_label[i].is_some_and(|th| c >= th)
        });
        if let Some(p) = e.precision() {
            assert!(p >= target, "expected precision {p} < {target}");
        }
    }
    assert!(
        checked >= 2 * t.labels.len(),
        "too few thresholds: {checked}"
    );
}

#[test]
fn validation_beats_chance_and_card_is_complete() {
    let r = &trained().report;
    assert!(r.validation.accuracy > 0.5, "{}", r.validation.accuracy);
    assert_eq!(r.validation.confusion.len(), r.labels.len());
    assert_eq!(r.train_tickets + r.validation_tickets, r.tickets);
    // Every stage is timed, each C tried is one fit stage, and the card shows them.
    let names: Vec<&str> = r.stages.iter().map(|s| s.name.as_str()).collect();
    for want in ["tokenizer", "encode", "features", "calibration", "refit"] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    let fits: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.starts_with("fit C="))
        .collect();
    assert_eq!(fits.len(), r.c_grid.len(), "{names:?}");
    assert!(
        r.stages
            .iter()
            .all(|s| s.iterations.is_some() == (s.name.starts_with("fit") || s.name == "refit"))
    );
    assert!(triage_train::card::markdown(r).contains("Time per stage: prepare"));
}

#[test]
fn exported_onnx_reproduces_the_rust_model() {
    let t = trained();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("queue");
    t.write(&out).unwrap();
    for f in [
        "model.onnx",
        "tokenizer.json",
        "config.json",
        "model-card.md",
        "model-card.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let c = Classifier::load(
        &out,
        ClassifierOptions {
            top_k: 20,
            ..ClassifierOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.labels(), t.labels);
    assert_eq!(c.text_form(), TextForm::Clean);
    let read = card::read_predictions(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read.labels, t.labels);
    // serde_json's default float parsing may differ in the last bit.
    assert_eq!(
        read.validation_predictions.len(),
        t.report.validation_predictions.len()
    );
    for (a, b) in read
        .validation_predictions
        .iter()
        .zip(&t.report.validation_predictions)
    {
        assert!(
            a.0 == b.0 && a.2 == b.2 && (a.1 - b.1).abs() < 1e-12,
            "{a:?} {b:?}"
        );
    }
    assert!(matches!(
        card::read_predictions(dir.path()),
        Err(card::CardError::Missing(_))
    ));
    let mut texts: Vec<String> = t
        .validation
        .iter()
        .take(60)
        .map(|(x, _)| x.clone())
        .collect();
    texts.push("x".into());
    texts.push(String::new());
    let want = t.probabilities(&texts).unwrap();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let got = c.classify_batch(&refs).unwrap();
    let mut worst = 0f64;
    for (p, w) in got.iter().zip(&want) {
        for s in &p.top {
            let i = t.labels.iter().position(|l| *l == s.label).unwrap();
            worst = worst.max((f64::from(s.confidence) - w[i]).abs());
        }
    }
    assert!(
        worst < 1e-4,
        "ONNX and Rust probabilities differ by {worst}"
    );
}

#[test]
fn one_label_is_refused() {
    let mut ex = examples(50, 3);
    ex.iter_mut().for_each(|e| e.label = "Only".into());
    let err = train(ex, &Options::default()).err().expect("must fail");
    assert!(err.to_string().contains("only 1 label"), "{err}");
    assert!(matches!(
        train(Vec::new(), &Options::default()),
        Err(triage_train::Error::NoHistory)
    ));
}

/// Tickets that read the same to the model (digits become 0) in two queues: 12 say Billing,
/// 10 say Shipping. Unweighted the model answers Billing; the Shipping tickets counted twice
/// (as corrected tickets are) outweigh them and it answers Shipping.
#[test]
fn sample_weights_decide_between_labels() {
    let predict = |shipping_weight: f32| {
        let mut ex: Vec<Example> = (10..22)
            .map(|i| ("Billing", i, 1.0))
            .chain((30..40).map(|i| ("Shipping", i, shipping_weight)))
            .map(|(label, i, weight)| Example {
                text: format!("blue widget {i}"),
                label: label.into(),
                time: i,
                weight,
            })
            .collect();
        ex.reverse();
        let t = train(ex, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
        let p = &t.probabilities(&["blue widget 77".into()]).unwrap()[0];
        t.labels[usize::from(p[1] > p[0])].clone()
    };
    assert_eq!(predict(1.0), "Billing");
    assert_eq!(predict(2.0), "Shipping");
}

#[test]
fn a_weight_that_is_not_positive_is_refused() {
    for bad in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        let mut ex = examples(30, 5);
        ex[7].weight = bad;
        let err = train(ex, &Options::default()).err().expect("must fail");
        assert!(
            matches!(err, triage_train::Error::Weight { index: 7, .. }),
            "{bad}: {err}"
        );
        assert!(err.to_string().starts_with("example 7 "), "{err}");
    }
}
