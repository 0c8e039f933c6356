//! The compile cache holds native code, so it must not load what it did not write: a
//! compiled artifact planted under an adapter's name is never loaded (the adapter behaves as
//! itself, is compiled again, and a warning is logged), and a directory or file that others
//! may write is not used at all.
//!
//! Each test has its own cache directory; log lines are captured for the whole binary.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use triage_core::{TicketAdapter, TicketQuery};
use triage_host::{LoadedAdapter, Sandbox, SandboxConfig};
use triage_tests::{Connection, adapter_file};

/// Start capturing (once per binary); returns everything logged so far.
fn logs() -> String {
    triage_tests::capture::start(crate::LOG_FILTER);
    triage_tests::capture::since(0)
}

/// A sandbox whose compile cache is `dir` (a fresh engine, as after a restart).
fn sandbox_with_cache(dir: &Path) -> Sandbox {
    let mut config = SandboxConfig::from_env();
    config.cache_dir = Some(dir.to_owned());
    Sandbox::new(config).expect("sandbox")
}

fn load(sandbox: &Sandbox, name: &str) -> LoadedAdapter {
    sandbox
        .load(&adapter_file(name), None)
        .expect("adapter loads")
}

/// The artifact cached for the adapter with this sha256.
fn artifact(dir: &Path, sha256: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(sha256) && name.ends_with(".cwasm")
        })
        .unwrap_or_else(|| panic!("no artifact for {sha256} in {}", dir.display()))
}

/// What the WASI probe reports when it runs as itself (the probe answers otherwise).
async fn assert_runs_as_wasi_probe(loaded: &LoadedAdapter) {
    let adapter = Connection::to("http://127.0.0.1:9").connect(loaded).await;
    assert_eq!(adapter.info().name, "wasi-probe");
    let page = adapter
        .find_tickets(&TicketQuery::default(), None)
        .await
        .unwrap();
    assert_eq!(
        page.tickets[0].tags,
        ["fs:denied", "file:denied", "env:0", "args:0"]
    );
}

#[tokio::test]
async fn another_adapters_artifact_planted_under_a_name_is_never_loaded() {
    logs();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("components");
    // Both adapters compiled once, as an earlier run would leave them.
    let first = sandbox_with_cache(&cache);
    let probe = load(&first, "probe");
    let victim = load(&first, "wasi-probe");
    assert!(!probe.from_cache() && !victim.from_cache());
    let victim_artifact = artifact(&cache, victim.sha256());

    // The planted files: the probe's artifact with its own valid tag, the same without a
    // tag, and one with the tag of the victim's genuine artifact.
    let probe_bytes = std::fs::read(artifact(&cache, probe.sha256())).unwrap();
    let victim_bytes = std::fs::read(&victim_artifact).unwrap();
    let (probe_code, _) = probe_bytes.split_at(probe_bytes.len() - 32);
    let (_, victim_tag) = victim_bytes.split_at(victim_bytes.len() - 32);
    let plants: [(&str, Vec<u8>); 3] = [
        ("with its own tag", probe_bytes.clone()),
        ("untagged", probe_code.to_vec()),
        ("with the victim's tag", [probe_code, victim_tag].concat()),
    ];
    for (how, planted) in plants {
        std::fs::write(&victim_artifact, &planted).unwrap();
        let restarted = sandbox_with_cache(&cache);
        let loaded = load(&restarted, "wasi-probe");
        assert!(
            !loaded.from_cache(),
            "{how}: the planted artifact was loaded"
        );
        assert_runs_as_wasi_probe(&loaded).await;
        // Overwritten with the genuine artifact: the next start uses it.
        assert_ne!(std::fs::read(&victim_artifact).unwrap(), planted, "{how}");
        let again = load(&sandbox_with_cache(&cache), "wasi-probe");
        assert!(again.from_cache(), "{how}: the recompiled artifact is used");
        assert_runs_as_wasi_probe(&again).await;
    }
    let logged = logs();
    let warned = logged
        .lines()
        .filter(|l| l.contains("WARN") && l.contains(&*victim_artifact.to_string_lossy()))
        .count();
    assert!(warned >= 3, "one warning per planted file:\n{logged}");
    assert!(logged.contains("fails its integrity check"), "{logged}");
}

#[tokio::test]
async fn a_directory_others_may_write_is_not_used() {
    logs();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("shared");
    std::fs::create_dir(&cache).unwrap();
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o777)).unwrap();
    let sandbox = sandbox_with_cache(&cache);
    assert!(!load(&sandbox, "wasi-probe").from_cache());
    assert!(
        !load(&sandbox, "wasi-probe").from_cache(),
        "compiled in memory every time"
    );
    assert_eq!(
        std::fs::read_dir(&cache).unwrap().count(),
        0,
        "nothing written to it"
    );
    let logged = logs();
    assert!(
        logged.contains(&format!(
            "{} has mode 777: other users may write it",
            cache.display()
        )),
        "{logged}"
    );
}

#[tokio::test]
async fn an_artifact_others_may_write_is_not_loaded() {
    logs();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("components");
    let victim = load(&sandbox_with_cache(&cache), "wasi-probe");
    let path = artifact(&cache, victim.sha256());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    let loaded = load(&sandbox_with_cache(&cache), "wasi-probe");
    assert!(!loaded.from_cache());
    assert_runs_as_wasi_probe(&loaded).await;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "replaced by a private artifact");
    let logged = logs();
    assert!(
        logged.contains(&format!(
            "{} has mode 666: other users may write it",
            path.display()
        )),
        "{logged}"
    );
}

#[tokio::test]
async fn a_directory_owned_by_another_user_is_not_used() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: giving a directory to another user needs root");
        return;
    }
    logs();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("theirs");
    std::fs::create_dir(&cache).unwrap();
    std::os::unix::fs::chown(&cache, Some(65534), Some(65534)).unwrap();
    let sandbox = sandbox_with_cache(&cache);
    assert!(!load(&sandbox, "wasi-probe").from_cache());
    assert!(!load(&sandbox, "wasi-probe").from_cache());
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 0);
    let logged = logs();
    assert!(
        logged.contains(&format!(
            "{} is owned by uid 65534, not by the running user (uid 0)",
            cache.display()
        )),
        "{logged}"
    );
}
