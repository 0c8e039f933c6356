//! Loading whole files: every kind of problem names file, line and key.

use std::path::{Path, PathBuf};
use std::time::Duration;

use triage_gateway::{Secret, SecretSource};
use triage_pipeline::decide::{Fallback, Field};

use crate::{Config, ConfigError, load_with};

/// A directory with what configs point at: two model dirs and an adapter file.
pub(crate) struct Dir(pub tempfile::TempDir);

impl Dir {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["models/queue", "models/priority", "adapters", "state"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("adapters/fd.wasm"), b"not checked here").unwrap();
        Self(dir)
    }

    pub(crate) fn file(&self, text: &str) -> PathBuf {
        let path = self.0.path().join("triage.yml");
        std::fs::write(&path, text).unwrap();
        path
    }
}

/// Secrets in tests come from here, not the process environment.
fn fake_secrets(source: &SecretSource) -> Result<Secret, String> {
    match source {
        SecretSource::Env(name) if name == "FD_KEY" => Ok(Secret::new("fd-secret-value")),
        SecretSource::Env(name) => Err(format!("environment variable {name} is not set")),
        SecretSource::File(path) => std::fs::read_to_string(path)
            .map(|s| Secret::new(s.trim()))
            .map_err(|e| format!("secret file {}: {e}", path.display())),
    }
}

pub(crate) fn load(path: &Path) -> Result<Config, ConfigError> {
    load_with(path, &fake_secrets)
}

pub(crate) const GOOD: &str = r#"# a full configuration
state: state/triage.db
service: { listen: "0.0.0.0:9000" }
models:
  queue: models/queue
  priority: { path: models/priority, threads: 2 }
connections:
  helpdesk:
    adapter: adapters/fd.wasm
    base_url: https://acme.freshdesk.com
    auth: { basic: { username: { env: FD_KEY }, password: { value: X } } }
    settings: { domain: acme, page_size: 100 }
    limits: { concurrency: 2, requests_per_minute: 50, memory_mb: 32, deadline: 1m }
pipelines:
  inbox:
    connection: helpdesk
    source: { statuses: [open, new], since: 2026-01-01T00:00:00Z, page_size: 50 }
    schedule: { every: 5m }
    steps:
      - field: queue
        model: queue
        threshold: 0.6
        thresholds: { "Billing*": 0.8 }
        mapping:
          "Billing*": Finance
          "Billing and Payments": Never
          "*": Helpdesk
        fallback: { set: Unclassified }
      - { field: priority, model: priority }
    write: { tag: triage, note: true }
"#;

fn errors(text: &str) -> Vec<String> {
    let dir = Dir::new();
    let path = dir.file(text);
    let err = load(&path).expect_err("the config is refused");
    let shown: Vec<String> = err.diagnostics().iter().map(ToString::to_string).collect();
    let prefix = format!("{}:", path.display());
    for line in &shown {
        assert!(line.starts_with(&prefix), "{line}");
    }
    shown
        .into_iter()
        .map(|l| l[prefix.len()..].to_owned())
        .collect()
}

fn one_error(text: &str) -> String {
    let all = errors(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.into_iter().next().unwrap()
}

#[test]
fn a_full_configuration_loads_with_paths_resolved_and_order_kept() {
    let dir = Dir::new();
    let config = load(&dir.file(GOOD)).unwrap();
    let root = dir.0.path();
    assert_eq!(config.state.path, root.join("state/triage.db"));
    assert_eq!(config.service.listen.port(), 9000);
    assert_eq!(config.models["queue"].path, root.join("models/queue"));
    assert_eq!(config.models["priority"].threads, 2);

    let c = &config.connections["helpdesk"];
    assert_eq!(c.adapter, root.join("adapters/fd.wasm"));
    assert_eq!(c.limits.deadline, Duration::from_secs(60));
    assert_eq!(c.limits.requests_per_minute, Some(50));
    assert_eq!(c.settings["page_size"], "100");
    assert!(c.credential.is_some());
    assert!(!format!("{config:?}").contains("fd-secret-value"));

    let p = &config.pipelines["inbox"];
    assert_eq!(p.every, Duration::from_secs(300));
    assert_eq!(p.query.page_size, 50);
    assert_eq!(p.query.statuses.len(), 2);
    assert!(p.query.updated_since.is_some());
    let queue = &p.steps[0].policy;
    assert_eq!(queue.field, Field::Queue);
    assert_eq!(queue.threshold_for("Billing and Payments"), 0.8);
    // File order, first match wins: "Billing*" comes before the exact name.
    assert_eq!(queue.native_value("Billing and Payments"), "Finance");
    assert_eq!(queue.native_value("IT Support"), "Helpdesk");
    assert_eq!(queue.fallback, Fallback::Set("Unclassified".into()));
    assert_eq!(p.steps[1].policy.threshold, 0.5);
    assert_eq!(p.tag.as_deref(), Some("triage"));
    assert!(p.note.is_some() && p.write_fields && !p.dry_run);
}

#[test]
fn locate_finds_keys_and_falls_back_to_the_nearest_parent() {
    let dir = Dir::new();
    let config = load(&dir.file(GOOD)).unwrap();
    let at = config.locate("pipelines.inbox.steps[0].mapping");
    assert_eq!((at.line, at.column), (24, 9));
    assert_eq!(config.locate("pipelines.inbox.steps[0].mapping.*").line, 27);
    assert_eq!(config.locate("pipelines.inbox.steps[1].policy").line, 29);
    assert_eq!(config.locate("nothing.here").line, 1);
}

#[test]
fn unknown_keys_are_errors_with_their_line() {
    let text = GOOD
        .replace("    dry_run", "    dryrun")
        .replace("    write: {", "    dryrun: true\n    write: {");
    let e = one_error(&text);
    assert!(
        e.starts_with("30:5: pipelines.inbox.dryrun: unknown key"),
        "{e}"
    );
    assert!(e.contains("dry_run"), "{e}");
}

#[test]
fn durations_need_a_unit() {
    let e = one_error(&GOOD.replace("deadline: 1m", "deadline: 30"));
    assert!(
        e.starts_with("13:71: connections.helpdesk.limits.deadline:"),
        "{e}"
    );
    assert!(e.contains("30s"), "{e}");
    let e = one_error(&GOOD.replace("every: 5m", "every: 0s"));
    assert!(
        e.contains("pipelines.inbox.schedule.every: must be longer than zero"),
        "{e}"
    );
}

#[test]
fn cross_references_name_the_referring_key() {
    let e = one_error(&GOOD.replace("connection: helpdesk", "connection: helpdsk"));
    assert!(
        e.starts_with("16:5: pipelines.inbox.connection: no connection named \"helpdsk\""),
        "{e}"
    );
    let e = one_error(&GOOD.replace(
        "{ field: priority, model: priority }",
        "{ field: priority, model: prio }",
    ));
    assert!(
        e.starts_with("29:28: pipelines.inbox.steps[1].model: no model named"),
        "{e}"
    );
    assert!(e.contains("defined: priority, queue"), "{e}");
}

#[test]
fn missing_files_and_directories_are_named() {
    let e = one_error(&GOOD.replace("queue: models/queue", "queue: models/nope"));
    assert!(e.starts_with("5:3: models.queue: model directory"), "{e}");
    assert!(e.contains("models/nope"), "{e}");
    let e = one_error(&GOOD.replace("adapters/fd.wasm", "adapters/gone.wasm"));
    assert!(
        e.starts_with("9:5: connections.helpdesk.adapter: adapter file"),
        "{e}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = GOOD
        .replace("threshold: 0.6", "threshold: 1.5")
        .replace("statuses: [open, new]", "statuses: [open, nieuw]")
        .replace("concurrency: 2", "concurrency: 0");
    let all = errors(&text);
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(
        all.iter()
            .any(|e| e.contains("steps[0].threshold: expected a confidence"))
    );
    assert!(
        all.iter()
            .any(|e| e.contains("source.statuses[1]: unknown status \"nieuw\""))
    );
    assert!(
        all.iter()
            .any(|e| e.contains("limits.concurrency: expected a whole number of at least 1"))
    );
}

#[test]
fn secrets_are_read_at_load_and_never_shown() {
    let e = one_error(&GOOD.replace("FD_KEY", "FD_MISSING"));
    assert!(
        e.starts_with("11:22: connections.helpdesk.auth.basic.username: environment variable FD_MISSING is not set"),
        "{e}"
    );
    // A secret part may not be a literal.
    let text = GOOD.replace(
        "auth: { basic: { username: { env: FD_KEY }, password: { value: X } } }",
        "auth: { bearer: { value: hunter2 } }",
    );
    let e = one_error(&text);
    assert!(
        e.contains("auth.bearer.value: a secret cannot be written"),
        "{e}"
    );
    assert!(!e.contains("hunter2"), "{e}");
    let both = GOOD.replace("{ env: FD_KEY }", "{ value: hunter2 }");
    let e = one_error(&both);
    assert!(
        e.contains("auth.basic: username and password are both written"),
        "{e}"
    );
    assert!(!e.contains("hunter2"), "{e}");
}

#[test]
fn note_templates_are_checked_at_load() {
    let text = GOOD.replace("note: true", "note: { template: \"Queue {queue.lable}\" }");
    let e = one_error(&text);
    assert!(
        e.starts_with(
            "30:35: pipelines.inbox.write.note.template: unknown placeholder {queue.lable}"
        ),
        "{e}"
    );
}

#[test]
fn syntax_errors_and_duplicates_have_lines() {
    let e = one_error("models:\n  queue: a\n  queue: b\n");
    assert!(
        e.starts_with("3:3: YAML syntax: key \"queue\" is given twice (first on line 2)"),
        "{e}"
    );
    let e = one_error("models: [a, b\n");
    assert!(e.contains("YAML syntax"), "{e}");
    let e = one_error("");
    assert!(e.contains("empty"), "{e}");
}

#[test]
fn defaults_and_short_forms() {
    let dir = Dir::new();
    let config = load(&dir.file(
        "models: { queue: models/queue }\nconnections:\n  c: { adapter: adapters/fd.wasm, base_url: \"http://127.0.0.1:1\" }\npipelines:\n  p:\n    connection: c\n    source: { since: 7d }\n    steps: [ { field: queue, model: queue, fallback: leave } ]\n",
    ))
    .unwrap();
    assert_eq!(config.state.path, dir.0.path().join("triage-state.db"));
    assert_eq!(config.service.listen.to_string(), "127.0.0.1:8080");
    let c = &config.connections["c"];
    assert!(c.credential.is_none());
    assert_eq!(c.limits.concurrency, 4);
    assert_eq!(c.limits.memory_mb, 64);
    let p = &config.pipelines["p"];
    assert_eq!(
        p.since,
        Some(crate::Since::Within(Duration::from_secs(7 * 86_400)))
    );
    assert!(p.query.updated_since.unwrap() < chrono::Utc::now());
    assert_eq!(p.every, Duration::from_secs(60));
    assert!(p.note.is_none() && p.tag.is_none() && p.write_fields);
    assert_eq!(p.batch, 32);
}

#[test]
fn field_credentials_for_otobo() {
    let text = GOOD.replace(
        "auth: { basic: { username: { env: FD_KEY }, password: { value: X } } }",
        "auth: { fields: { UserLogin: { value: agent }, Password: { env: FD_KEY } } }",
    );
    let dir = Dir::new();
    let config = load(&dir.file(&text)).unwrap();
    let c = &config.connections["helpdesk"];
    let credential = c.credential.as_ref().unwrap();
    assert_eq!(credential.payload_fields().len(), 2);
    assert_eq!(
        c.auth.as_ref().unwrap().kind(),
        "fields UserLogin, Password"
    );
    let e = one_error(&text.replace("{ env: FD_KEY }", "{ env: NOPE }"));
    assert!(
        e.contains(
            "connections.helpdesk.auth.fields.Password: environment variable NOPE is not set"
        ),
        "{e}"
    );
}

#[test]
fn session_material_names_replace_the_defaults() {
    let dir = Dir::new();
    let config = load(&dir.file(GOOD)).unwrap();
    assert_eq!(config.connections["helpdesk"].session_material, None);
    let text = GOOD.replace(
        "    settings: { domain: acme, page_size: 100 }\n",
        "    settings: { domain: acme, page_size: 100 }\n    session_material: [SessionID, api_key]\n",
    );
    let config = load(&dir.file(&text)).unwrap();
    assert_eq!(
        config.connections["helpdesk"].session_material.as_deref(),
        Some(&["SessionID".to_owned(), "api_key".to_owned()][..])
    );
    let e = one_error(&text.replace("[SessionID, api_key]", "[SessionID, \"\"]"));
    assert!(
        e.contains("connections.helpdesk.session_material[1]") && e.contains("must not be empty"),
        "{e}"
    );
    let e = one_error(&text.replace("[SessionID, api_key]", "SessionID"));
    assert!(e.contains("session_material"), "{e}");
}

#[test]
fn every_example_is_valid() {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let examples = manifest.join("../../examples");
    // A stand-in checkout: the adapters and models the examples point at.
    let root = tempfile::tempdir().unwrap();
    for dir in [
        "examples",
        "dist/adapters",
        "models/queue",
        "models/priority",
    ] {
        std::fs::create_dir_all(root.path().join(dir)).unwrap();
    }
    for adapter in [
        "freshdesk",
        "otobo",
        "zammad",
        "rt",
        "redmine",
        "zendesk",
        "gitlab",
    ] {
        std::fs::write(
            root.path().join(format!("dist/adapters/{adapter}.wasm")),
            b"",
        )
        .unwrap();
    }
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&examples).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yml") {
            continue;
        }
        let name = path.file_name().unwrap().to_owned();
        let copy = root.path().join("examples").join(&name);
        std::fs::copy(&path, &copy).unwrap();
        let loaded = load_with(&copy, &|_| Ok(Secret::new("stand-in")));
        if let Err(e) = &loaded {
            panic!("{}:\n{e}", path.display());
        }
        assert!(!loaded.unwrap().pipelines.is_empty());
        seen.push(name.to_string_lossy().into_owned());
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "demo.yml",
            "freshdesk.yml",
            "gitlab.yml",
            "otobo.yml",
            "redmine.yml",
            "rt.yml",
            "zammad.yml",
            "zendesk.yml"
        ]
    );
}
