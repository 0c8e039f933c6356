//! `triage check --config F`, run as the real binary against `examples/demo.yml`
//! pointed at an in-process Freshdesk simulator, with the real `freshdesk.wasm`
//! and the bundled models: a good file passes; a mapping to a queue the system
//! does not have and a missing model directory are reported with file, line and
//! key; the API key, read from an environment variable, never appears in the output.

use std::path::{Path, PathBuf};
use std::process::Command;

use triage_sim::freshdesk::{FreshdeskSim, SimConfig, SimHandle};
use triage_sim::generate::{GenerateOptions, generate};
use triage_tests::{adapter_file, repo_root};

/// The API key: long and distinctive, so finding it in the output means a leak.
const KEY: &str = "fd-key-5f1e7c0a9b8d4e2f-never-print-me";

fn triage_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_triage"))
}

async fn simulator() -> SimHandle {
    FreshdeskSim::start(SimConfig {
        api_key: KEY.to_owned(),
        ..SimConfig::default().with_data(generate(&GenerateOptions::new(20, 3)))
    })
    .await
    .expect("the Freshdesk simulator starts")
}

/// `examples/demo.yml` as `dir/name`, pointed at `sim`, after `edit`.
fn config(dir: &Path, name: &str, sim: &SimHandle, edit: impl Fn(String) -> String) -> PathBuf {
    let root = repo_root();
    adapter_file("freshdesk");
    let text = std::fs::read_to_string(root.join("examples/demo.yml")).expect("demo.yml");
    assert!(
        text.contains("http://127.0.0.1:8089"),
        "demo.yml changed shape"
    );
    let text = text
        .replace("../", &format!("{}/", root.display()))
        .replace("http://127.0.0.1:8089", sim.base_url());
    let path = dir.join(name);
    std::fs::write(&path, edit(text)).expect("write the config");
    path
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// `triage check --config FILE` with the key in `FRESHDESK_API_KEY`, on a blocking thread
/// (the simulator keeps serving on this runtime meanwhile).
async fn check(file: &Path, key: &str, cache: &Path) -> Run {
    let mut command = Command::new(triage_binary());
    command
        .args(["check", "--config"])
        .arg(file)
        .env("FRESHDESK_API_KEY", key)
        .env("TRIAGE_CACHE_DIR", cache)
        // Debug logs too must not carry the secret.
        .env("TRIAGE_LOG", "debug");
    let out = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("triage runs");
    let run = Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(!text.contains(key), "the secret is in {name}:\n{text}");
    }
    run
}

/// `FILE:LINE:COL: ` of the first line of `file` containing `needle`, at that column.
fn location(file: &Path, needle: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not in the config"));
    let col = line.find(needle).unwrap() + 1;
    format!("{}:{}:{col}: ", file.display(), n + 1)
}

#[tokio::test(flavor = "multi_thread")]
async fn check_passes_a_good_config_and_names_file_line_and_key_for_bad_ones() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");

    // The example as it is: every part loads and every value is real.
    let good = config(dir.path(), "good.yml", &sim, |t| t);
    let run = check(&good, KEY, &cache).await;
    assert!(run.ok, "{}\n{}", run.stdout, run.stderr);
    for part in [
        "model queue:",
        "model priority:",
        "connection helpdesk: freshdesk",
        "answers list-queues:",
        "answers list-priorities:",
        "pipeline inbox:",
        "is ready",
    ] {
        assert!(
            run.stdout.contains(part),
            "{part:?} missing:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout.contains("username from env FRESHDESK_API_KEY"),
        "{}",
        run.stdout
    );

    // A mapping to a queue the system does not have: named at its key's line.
    let bad = config(dir.path(), "bad-mapping.yml", &sim, |t| {
        t.replace(
            "        threshold: 0.5\n        fallback",
            "        threshold: 0.5\n        mapping: { \"Billing*\": Finance, \"*\": General Inquiry }\n        fallback",
        )
    });
    let run = check(&bad, KEY, &cache).await;
    assert!(!run.ok, "{}", run.stdout);
    let expected = format!(
        "{}pipelines.inbox.steps[0].mapping.Billing*: \"Finance\" is not a queue of connection helpdesk",
        location(&bad, "\"Billing*\"")
    );
    assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    assert_eq!(
        run.stderr.matches("is not a queue").count(),
        1,
        "only Finance is wrong:\n{}",
        run.stderr
    );

    // A model directory that does not exist: a static error, found before anything loads.
    let missing = config(dir.path(), "missing-model.yml", &sim, |t| {
        t.replace("models/priority", "models/no-such-model")
    });
    let run = check(&missing, KEY, &cache).await;
    assert!(!run.ok);
    let expected = format!(
        "{}models.priority: model directory",
        location(&missing, "priority:")
    );
    assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    assert!(run.stderr.contains("no-such-model"), "{}", run.stderr);

    // A key the system refuses: the failure is reported, the key is not.
    let refused = "wrong-key-0d6c2b7e-also-secret";
    let run = check(&good, refused, &cache).await;
    assert!(!run.ok, "{}", run.stdout);
    assert!(
        run.stderr.contains("connections.helpdesk: list-queues"),
        "{}",
        run.stderr
    );
    sim.shutdown().await;
}
