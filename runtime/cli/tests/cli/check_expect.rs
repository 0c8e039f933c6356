//! `triage train --jsonl` on simulator tickets, then `triage check` on a configuration whose
//! queue step says `threshold: { precision: 0.9 }`: the thresholds are resolved from the
//! trained model's card and the `expect:` line states coverage and precision on its
//! validation tickets; the bundled priority model, which has no card, gets a line saying so.
//! The connection points at nothing (the expectation needs none), so the check itself fails
//! on the connection only.

use std::path::{Path, PathBuf};
use std::process::Command;

use triage_sim::generate::{GenerateOptions, generate};
use triage_tests::repo_root;

fn triage(args: &[&str], dir: &Path) -> (bool, String, String) {
    let out = Command::new(PathBuf::from(env!("CARGO_BIN_EXE_triage")))
        .args(args)
        .env("TRIAGE_CACHE_DIR", dir.join("cache"))
        .output()
        .expect("triage runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Simulator tickets as `triage train --jsonl` reads them, labelled with the generator's truth.
fn jsonl(path: &Path, count: usize, seed: u64) {
    let data = generate(&GenerateOptions::new(count, seed));
    let lines: Vec<String> = data
        .tickets
        .iter()
        .map(|t| {
            serde_json::json!({
                "subject": t.subject,
                "body": t.description_text,
                "queue": data.truth[&t.id].queue,
                "created_at": t.created_at.to_rfc3339(),
            })
            .to_string()
        })
        .collect();
    std::fs::write(path, lines.join("\n")).unwrap();
}

/// The number before ` %` right after `what ` in `line`.
fn percent(line: &str, what: &str) -> f64 {
    let rest = &line[line.find(&format!("{what} ")).unwrap() + what.len() + 1..];
    rest[..rest.find(" %").unwrap()].parse().unwrap()
}

#[test]
fn check_expects_coverage_and_precision_from_a_trained_models_card() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = d.join("history.jsonl");
    jsonl(&data, 1500, 41);
    let out = d.join("models");
    let (ok, stdout, stderr) = triage(
        &[
            "train",
            "--jsonl",
            data.to_str().unwrap(),
            "--field",
            "queue",
            "--out",
            out.to_str().unwrap(),
        ],
        d,
    );
    assert!(ok, "{stdout}\n{stderr}");
    assert!(out.join("queue/model-card.json").is_file());

    std::fs::write(
        d.join("adapter.wasm"),
        b"not an adapter: the check needs no system",
    )
    .unwrap();
    let config = d.join("triage.yml");
    std::fs::write(
        &config,
        format!(
            "models:\n  queue: models/queue\n  priority: {}\nconnections:\n  helpdesk: {{ adapter: adapter.wasm, base_url: \"http://127.0.0.1:9\" }}\npipelines:\n  inbox:\n    connection: helpdesk\n    steps:\n      - field: queue\n        model: queue\n        threshold: {{ precision: 0.9 }}\n      - {{ field: priority, model: priority, threshold: 0.5 }}\n",
            repo_root().join("models/priority").display()
        ),
    )
    .unwrap();
    let (_, stdout, stderr) = triage(&["check", "--config", config.to_str().unwrap()], d);
    let expect: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("expect: "))
        .collect();
    assert_eq!(expect.len(), 2, "{stdout}\n{stderr}");
    let queue = expect[0];
    assert!(
        queue.starts_with("expect: pipeline inbox: steps[0] queue (model queue): coverage "),
        "{queue}"
    );
    assert!(
        queue.contains(" validation tickets), precision "),
        "{queue}"
    );
    assert!(queue.contains(" at precision target 0.9 ("), "{queue}");
    let (coverage, precision) = (percent(queue, "coverage"), percent(queue, "precision"));
    // Every label's threshold holds 0.9 on validation, so all of them together do too.
    assert!(precision >= 90.0, "{queue}");
    assert!(coverage > 0.0 && coverage <= 100.0, "{queue}");
    assert!(
        expect[1].starts_with("expect: pipeline inbox: steps[1] priority (model priority): no expectation available (no card: "),
        "{}",
        expect[1]
    );
    // The only problem is the connection.
    assert!(stderr.contains("adapter.wasm"), "{stderr}");
    assert!(!stderr.contains("model-card"), "{stderr}");
}
