//! `triage.yml` files for service tests: a temporary directory holding the
//! configuration, its secret files and its state database, with connections to
//! in-process simulators and the bundled models.

use std::path::{Path, PathBuf};

use triage_sim::freshdesk::SimHandle;

use crate::adapter_file;

/// The repository's `models/` directory.
pub fn models_dir() -> PathBuf {
    crate::repo_root().join("models")
}

/// A configuration under construction, in its own temporary directory.
pub struct ConfigDir {
    dir: tempfile::TempDir,
    top: Vec<String>,
    connections: Vec<String>,
    pipelines: Vec<String>,
}

impl Default for ConfigDir {
    fn default() -> Self {
        Self::new()
    }
}

impl ConfigDir {
    /// An empty configuration.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temporary directory"),
            top: Vec::new(),
            connections: Vec::new(),
            pipelines: Vec::new(),
        }
    }

    /// The directory (state database, secrets).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A Freshdesk connection to `sim`, its API key in a secret file;
    /// `limits` is a YAML flow mapping (e.g. `{ concurrency: 4 }`).
    pub fn freshdesk(&mut self, name: &str, sim: &SimHandle, limits: &str) -> &mut Self {
        let key_file = self.dir.path().join(format!("{name}.key"));
        std::fs::write(&key_file, sim.api_key()).expect("write the key file");
        self.connections.push(format!(
            "  {name}:\n    adapter: {}\n    base_url: {}\n    auth: {{ basic: {{ username: {{ file: {} }}, password: {{ value: X }} }} }}\n    settings: {{ base_url: \"{}\" }}\n    limits: {limits}\n",
            adapter_file("freshdesk").display(),
            sim.base_url(),
            key_file.display(),
            sim.base_url(),
        ));
        self
    }

    /// A connection using another adapter from dist/ (e.g. the probe), no credential.
    pub fn other(&mut self, name: &str, adapter: &str, base_url: &str, limits: &str) -> &mut Self {
        self.connections.push(format!(
            "  {name}:\n    adapter: {}\n    base_url: {base_url}\n    limits: {limits}\n",
            adapter_file(adapter).display(),
        ));
        self
    }

    /// A top-level section, e.g. `service: { token: { file: t } }`.
    pub fn top(&mut self, yaml: &str) -> &mut Self {
        self.top.push(format!("{yaml}\n"));
        self
    }

    /// Remove the pipelines added so far.
    pub fn clear_pipelines(&mut self) -> &mut Self {
        self.pipelines.clear();
        self
    }

    /// A pipeline; `body` is its YAML, indented by four spaces.
    pub fn pipeline(&mut self, name: &str, body: &str) -> &mut Self {
        self.pipelines.push(format!("  {name}:\n{body}"));
        self
    }

    /// Write `triage.yml` and return its path.
    pub fn write(&self) -> PathBuf {
        let models = models_dir();
        let text = format!(
            "{}state: state.db\nmodels:\n  queue: {}\n  priority: {}\nconnections:\n{}pipelines:\n{}",
            self.top.concat(),
            models.join("queue").display(),
            models.join("priority").display(),
            self.connections.concat(),
            self.pipelines.concat(),
        );
        let path = self.dir.path().join("triage.yml");
        std::fs::write(&path, text).expect("write triage.yml");
        path
    }
}

/// The usual pipeline body: queue and priority, every confident ticket written
/// with a tag and a note; low-confidence queues go to `General Inquiry`, so
/// every ticket is written.
pub fn classify_all(connection: &str, extra: &str) -> String {
    format!(
        "    connection: {connection}
    schedule: {{ every: 1h }}
    steps:
      - {{ field: queue, model: queue, threshold: 0.5, fallback: {{ set: General Inquiry }} }}
      - {{ field: priority, model: priority, threshold: 0.5 }}
    write: {{ tag: triage, note: true }}
{extra}"
    )
}

/// Successful writes per ticket id from a Freshdesk simulator's request log:
/// (PUTs answered 2xx, note POSTs answered 2xx).
pub fn successful_writes(sim: &SimHandle) -> std::collections::BTreeMap<String, (usize, usize)> {
    let mut per_ticket: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for r in sim.requests() {
        if !r.status.is_some_and(|s| (200..300).contains(&s)) {
            continue;
        }
        let Some(rest) = r.path.strip_prefix("/api/v2/tickets/") else {
            continue;
        };
        let (id, note) = match rest.strip_suffix("/notes") {
            Some(id) => (id, true),
            None => (rest, false),
        };
        let entry = per_ticket.entry(id.to_owned()).or_default();
        match (r.method.as_str(), note) {
            ("PUT", false) => entry.0 += 1,
            ("POST", true) => entry.1 += 1,
            _ => {}
        }
    }
    per_ticket.retain(|_, (puts, notes)| *puts + *notes > 0);
    per_ticket
}
