//! `triage demo --system zendesk|gitlab`, run as the real binary: the system's simulator, the
//! built `dist/adapters/<system>.wasm` in the sandbox and the bundled models, end to end.
//! Needs `cargo xtask adapters` first (as every adapter test does).

use std::path::PathBuf;
use std::process::Command;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn demo_runs_against_the_zendesk_simulator() {
    let root = repo_root();
    assert!(
        root.join("dist/adapters/zendesk.wasm").exists(),
        "dist/adapters/zendesk.wasm is missing: run `cargo xtask adapters` first"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_triage"))
        .current_dir(&root)
        .args([
            "demo",
            "--system",
            "zendesk",
            "--tickets",
            "120",
            "--seed",
            "3",
        ])
        .output()
        .expect("triage runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "demo failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("simulator: Zendesk Support API v2 at http://127.0.0.1:"),
        "{stdout}"
    );
    assert!(stdout.contains("dist/adapters/zendesk.wasm"), "{stdout}");
    // Tickets changed within the last minute are held back by the export, as in Zendesk.
    let fetched: usize = stdout
        .split("fetched ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary line:\n{stdout}"));
    assert!(
        (100..=120).contains(&fetched),
        "fetched {fetched}:\n{stdout}"
    );
    let updated: usize = stdout
        .split("updated ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("an updated count");
    assert!(updated > 0, "the demo wrote to the simulator:\n{stdout}");
    assert!(
        stdout.contains("accuracy against the generator's labels"),
        "{stdout}"
    );
}

/// The number after `label` in the demo's summary line.
fn count(stdout: &str, label: &str) -> usize {
    stdout
        .split(label)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {label:?} in the summary:\n{stdout}"))
}

#[test]
fn demo_runs_against_the_gitlab_simulator() {
    let root = repo_root();
    assert!(
        root.join("dist/adapters/gitlab.wasm").exists(),
        "dist/adapters/gitlab.wasm is missing: run `cargo xtask adapters` first"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_triage"))
        .current_dir(&root)
        .args([
            "demo",
            "--system",
            "gitlab",
            "--tickets",
            "120",
            "--seed",
            "3",
        ])
        .output()
        .expect("triage runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "demo failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("simulator: GitLab issues API v4 at http://127.0.0.1:"),
        "{stdout}"
    );
    assert!(stdout.contains("dist/adapters/gitlab.wasm"), "{stdout}");
    // Unlike Zendesk's export, GitLab's list holds nothing back: every issue is fetched.
    assert_eq!(count(&stdout, "fetched "), 120, "{stdout}");
    assert!(
        count(&stdout, "updated ") > 0,
        "the demo wrote labels:\n{stdout}"
    );
    assert_eq!(count(&stdout, "failed "), 0, "{stdout}");
    assert!(
        stdout.contains("accuracy against the generator's labels"),
        "{stdout}"
    );
}

#[test]
fn an_unknown_system_is_refused_naming_the_choices() {
    let out = Command::new(env!("CARGO_BIN_EXE_triage"))
        .args(["demo", "--system", "jira"])
        .output()
        .expect("triage runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("zendesk") && stderr.contains("gitlab") && stderr.contains("freshdesk"),
        "{stderr}"
    );
}
