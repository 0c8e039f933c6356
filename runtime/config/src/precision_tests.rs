//! `threshold: { precision: P }`: resolution from a hand-written card, each error at its key,
//! and `triage check`'s expectation lines.

use std::collections::BTreeMap;

use crate::check::expectations;
use crate::tests::{Dir, GOOD, load};

/// A card's two fields that matter, for three labels: "Billing and Payments" 5 right (≥ 0.91),
/// "IT Support" 5 right, one wrong at 0.65, 4 right (the 0.9 target holds from 0.45), "Sales"
/// 3 right (too few for any threshold).
fn card() -> String {
    let mut preds: Vec<String> = Vec::new();
    for c in [0.95, 0.94, 0.93, 0.92, 0.91] {
        preds.push(format!("[\"Billing and Payments\", {c}, true]"));
    }
    for (c, right) in [
        (0.9, true),
        (0.85, true),
        (0.8, true),
        (0.75, true),
        (0.7, true),
        (0.65, false),
        (0.6, true),
        (0.55, true),
        (0.5, true),
        (0.45, true),
    ] {
        preds.push(format!("[\"IT Support\", {c}, {right}]"));
    }
    for c in [0.99, 0.98, 0.97] {
        preds.push(format!("[\"Sales\", {c}, true]"));
    }
    format!(
        "{{\"field\": \"queue\", \"labels\": [\"Billing and Payments\", \"IT Support\", \"Sales\"],\n \"validation_predictions\": [{}]}}\n",
        preds.join(", ")
    )
}

fn with_target(target: &str) -> String {
    GOOD.replace(
        "threshold: 0.6",
        &format!("threshold: {{ precision: {target} }}"),
    )
}

fn put_card(dir: &Dir, text: &str) {
    std::fs::write(dir.0.path().join("models/queue/model-card.json"), text).unwrap();
}

/// The problems of loading `text` in `dir`, without the file name.
fn errors(dir: &Dir, text: &str) -> Vec<String> {
    let path = dir.file(text);
    let err = load(&path).expect_err("the config is refused");
    let prefix = format!("{}:", path.display());
    err.diagnostics()
        .iter()
        .map(|d| d.to_string()[prefix.len()..].to_owned())
        .collect()
}

#[test]
fn a_precision_target_resolves_per_label_from_the_card_and_written_thresholds_win() {
    let dir = Dir::new();
    put_card(&dir, &card());
    let config = load(&dir.file(&with_target("0.9"))).unwrap_or_else(|e| panic!("{e}"));
    let policy = &config.pipelines["inbox"].steps[0].policy;
    assert_eq!(policy.precision, Some(0.9));
    assert_eq!(policy.threshold, f32::INFINITY);
    // Resolved: Billing 0.91 (5 of 5), IT Support 0.45 (9 of 10); Sales has too few tickets.
    let resolved: Vec<&str> = policy.label_thresholds.keys().map(String::as_str).collect();
    assert_eq!(resolved, ["Billing and Payments", "IT Support"]);
    assert_eq!(policy.threshold_for("IT Support"), 0.45);
    assert_eq!(policy.decide("IT Support", 0.45).value(), Some("Helpdesk"));
    // Never written: the fallback applies.
    assert_eq!(policy.threshold_for("Sales"), f32::INFINITY);
    assert_eq!(policy.decide("Sales", 1.0).value(), Some("Unclassified"));
    // `thresholds: { "Billing*": 0.8 }` in the file overrides the resolved 0.91.
    assert_eq!(policy.threshold_for("Billing and Payments"), 0.8);

    // A stricter target: IT Support only down to 0.7 (5 of 5 right).
    let config = load(&dir.file(&with_target("1"))).unwrap();
    let policy = &config.pipelines["inbox"].steps[0].policy;
    assert_eq!(policy.threshold_for("IT Support"), 0.7);
}

#[test]
fn a_target_outside_zero_to_one_is_refused_at_its_key() {
    let dir = Dir::new();
    put_card(&dir, &card());
    for bad in ["0", "1.5", "-0.2", "high", "[0.9]"] {
        let found = errors(&dir, &with_target(bad));
        assert_eq!(found.len(), 1, "{bad}: {found:#?}");
        assert!(
            found[0].starts_with("22:22: pipelines.inbox.steps[0].threshold.precision: expected a precision target above 0 and at most 1"),
            "{bad}: {}",
            found[0]
        );
    }
    let found = errors(
        &dir,
        &GOOD.replace("threshold: 0.6", "threshold: { precison: 0.9 }"),
    );
    assert!(
        found
            .iter()
            .any(|e| e
                .starts_with("22:22: pipelines.inbox.steps[0].threshold.precison: unknown key")),
        "{found:#?}"
    );
}

#[test]
fn a_model_without_a_card_is_refused_and_a_number_suggested() {
    let dir = Dir::new();
    let found = errors(&dir, &with_target("0.9"));
    assert_eq!(found.len(), 1, "{found:#?}");
    let e = &found[0];
    assert!(
        e.starts_with("22:9: pipelines.inbox.steps[0].threshold: a precision target needs the model's card, and model queue ("),
        "{e}"
    );
    assert!(e.contains("has no model-card.json: only models made by `triage train` carry one (the bundled models do not); write a confidence instead (threshold: 0.7)"), "{e}");
}

#[test]
fn an_old_or_unreadable_card_is_refused_naming_the_file() {
    let dir = Dir::new();
    let card_path = dir.0.path().join("models/queue/model-card.json");
    // Written by triage train before cards kept validation predictions.
    put_card(
        &dir,
        "{\"field\": \"queue\", \"labels\": [\"A\", \"B\"], \"thresholds\": {}}",
    );
    let found = errors(&dir, &with_target("0.9"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("22:9: pipelines.inbox.steps[0].threshold: "),
        "{}",
        found[0]
    );
    assert!(
        found[0].contains(&format!(
            "{} has no validation predictions (written by an older `triage train`)",
            card_path.display()
        )),
        "{}",
        found[0]
    );
    put_card(&dir, "{ not json");
    let found = errors(&dir, &with_target("0.9"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains(&format!(
            "{}: not a readable model card",
            card_path.display()
        )),
        "{}",
        found[0]
    );
}

#[test]
fn check_states_coverage_and_precision_from_the_card_or_that_there_is_none() {
    let dir = Dir::new();
    put_card(&dir, &card());
    let config = load(&dir.file(&with_target("0.9"))).unwrap();
    let lines = expectations(&config, &BTreeMap::new());
    assert_eq!(lines.len(), 2, "{lines:#?}");
    // Written: Billing ≥ 0.8 (5, right), IT Support ≥ 0.45 (10, 9 right); Sales never: 15 of
    // 18, 14 right.
    assert_eq!(
        lines[0],
        "pipeline inbox: steps[0] queue (model queue): coverage 83.3 % (15 of 18 validation tickets), precision 93.3 % at precision target 0.9 (2 of 3 labels have a threshold), 1 per-label threshold(s) from the file"
    );
    let priority_card = dir.0.path().join("models/priority/model-card.json");
    let priority_card = priority_card.display();
    assert_eq!(
        lines[1],
        format!(
            "pipeline inbox: steps[1] priority (model priority): no expectation available (no card: {priority_card} does not exist; only models made by `triage train` carry one)"
        )
    );

    // A number: every label at 0.6 except the file's "Billing*" 0.8; a card of other labels
    // is not used.
    let config = load(&dir.file(GOOD)).unwrap();
    let lines = expectations(&config, &BTreeMap::new());
    // IT Support ≥ 0.6: 7 (6 right); Sales 3 right; Billing 5 right: 15 of 18, 14 right.
    assert_eq!(
        lines[0],
        "pipeline inbox: steps[0] queue (model queue): coverage 83.3 % (15 of 18 validation tickets), precision 93.3 % at threshold 0.6, 1 per-label threshold(s) from the file"
    );
    let other = BTreeMap::from([("queue".to_owned(), vec!["X".to_owned(), "Y".to_owned()])]);
    let lines = expectations(&config, &other);
    assert!(
        lines[0].ends_with("model-card.json lists other labels than the model)"),
        "{}",
        lines[0]
    );
}
