//! `triage demo --system zendesk`, run as the real binary: the Zendesk simulator, the built
//! `dist/adapters/zendesk.wasm` in the sandbox and the bundled models, end to end.
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

#[test]
fn an_unknown_system_is_refused_naming_the_choices() {
    let out = Command::new(env!("CARGO_BIN_EXE_triage"))
        .args(["demo", "--system", "jira"])
        .output()
        .expect("triage runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("zendesk") && stderr.contains("freshdesk"),
        "{stderr}"
    );
}
