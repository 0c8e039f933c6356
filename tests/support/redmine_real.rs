//! Redmine glue for the conformance suite against a **real** Redmine: Debian's `redmine`
//! 5.0 (Rails 6.1, SQLite) started per test on 127.0.0.1, the Python `redmine.wasm`
//! connected to it through the real host and gateway (the API key injected as
//! `X-Redmine-API-Key`), and the server itself as a [`SimulatorProbe`], read through the
//! REST API as `admin` — behind the adapter's back.
//!
//! Each [`RedmineServer`] gets a fresh copy of the template database
//! `scripts/setup-redmine.sh` builds (projects, categories, custom fields, keys) in a
//! directory of its own, and runs `scripts/redmine-app.rb serve DIR`: Redmine's Rails app on
//! WEBrick bound to 127.0.0.1 port 0, which prints the port the OS chose. Dropping it stops
//! the process group.
//!
//! Seeding goes through `POST /issues.json`, one issue at a time: SQLite takes one writer,
//! and Redmine answers concurrent writes with 500 ("database is locked") once the busy
//! timeout passes.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::WasmAdapter;
use triage_sim::generate::{GenerateOptions, generate};

use crate::conformance::{ProbeFault, SimulatorProbe, SystemNote, SystemTicket};
use crate::redmine::{KEY_HEADER, loaded};
use crate::sim_probe::custom_field_patch;
use crate::{Connection, repo_root};

/// `admin`'s API key in the template (the adapter's and the probe's).
pub const ADMIN_KEY: &str = "triageredmineadminkey0000000000000000000";
/// The key of `onlooker`, a user without memberships: every project is private to it.
pub const ONLOOKER_KEY: &str = "triageredmineonlookerkey0000000000000000";
/// The inbox project's id: seeded issues arrive there.
pub const INBOX: u64 = 1;

/// The template database; `TRIAGE_REDMINE_HOME` overrides `/var/lib/triage-redmine`.
pub fn template() -> PathBuf {
    std::env::var_os("TRIAGE_REDMINE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/triage-redmine"))
        .join("template.sqlite")
}

/// A running Redmine; stopped when dropped.
pub struct RedmineServer {
    child: Child,
    dir: tempfile::TempDir,
    base_url: String,
    client: reqwest::Client,
}

impl RedmineServer {
    /// Start Redmine on a fresh copy of the template and wait until the API answers.
    pub async fn start() -> Self {
        let template = template();
        assert!(
            template.exists(),
            "Redmine is not set up ({}): run scripts/setup-redmine.sh",
            template.display()
        );
        let dir = tempfile::Builder::new()
            .prefix("triage-redmine-")
            .tempdir()
            .expect("temp dir");
        fs::copy(&template, dir.path().join("redmine.sqlite")).expect("copy the template database");
        let log = fs::File::create(dir.path().join("server.log")).expect("server log");
        let mut child = Command::new("ruby")
            .arg(repo_root().join("scripts/redmine-app.rb"))
            .arg("serve")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("start ruby scripts/redmine-app.rb (is Ruby installed?)");
        // The launcher prints one line once it listens; Rails has booted by then.
        let stdout = child.stdout.take().expect("launcher stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_default();
        let Some(port) = line
            .trim()
            .strip_prefix("listening on 127.0.0.1:")
            .and_then(|p| p.parse::<u16>().ok())
        else {
            let log = fs::read_to_string(dir.path().join("server.log")).unwrap_or_default();
            let _ = child.kill();
            panic!("Redmine did not start (printed {line:?}):\n{log}");
        };
        let mut server = Self {
            child,
            dir,
            base_url: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
        };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("redmine status") {
                panic!("Redmine exited ({status}):\n{}", self.log());
            }
            match self
                .call(reqwest::Method::GET, "/issue_statuses.json", None)
                .await
            {
                (200, _) => return,
                (status, body) if started.elapsed() > Duration::from_secs(60) => {
                    panic!("Redmine answers {status} at start: {body}\n{}", self.log())
                }
                _ => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }

    /// The server's error output and Rails' log so far.
    pub fn log(&self) -> String {
        let read = |f: &str| fs::read_to_string(self.dir.path().join(f)).unwrap_or_default();
        format!("{}{}", read("server.log"), read("production.log"))
    }

    /// `http://127.0.0.1:PORT`, Redmine's root.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A REST call as `admin`: status and JSON body (`null` when there is none; 0: no answer).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.call_as(ADMIN_KEY, method, path, body).await
    }

    /// A REST call with `key`.
    pub async fn call_as(
        &self,
        key: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base_url))
            .header(KEY_HEADER, key)
            .timeout(Duration::from_secs(60));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let Ok(reply) = req.send().await else {
            return (0, Value::Null);
        };
        let status = reply.status().as_u16();
        let bytes = reply.bytes().await.unwrap_or_default();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// A REST call as `admin`; panics on anything but 2xx.
    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let (status, answer) = self.call(method.clone(), path, body).await;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: HTTP {status}: {answer}\n{}",
            self.log()
        );
        answer
    }

    /// Create `n` generated issues (English and German texts from the simulator's generator)
    /// in the inbox, with the generator's priority (Low … Urgent), tracker and custom fields,
    /// one request at a time. Returns their ids, ascending.
    pub async fn seed(&self, n: usize, seed: u64) -> Vec<String> {
        let data = generate(&GenerateOptions::new(n, seed));
        let mut ids = Vec::with_capacity(n);
        for t in &data.tickets {
            let tracker = match t.ticket_type.as_deref() {
                Some("Incident" | "Problem") => 1,
                Some("Feature Request") => 2,
                _ => 3,
            };
            let cf = |key: &str| match t.custom_fields.get(key) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Bool(b)) => if *b { "1" } else { "0" }.to_owned(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            let issue = json!({"issue": {
                "project_id": INBOX,
                "tracker_id": tracker,
                "priority_id": t.priority.clamp(1, 4),
                "subject": t.subject,
                "description": t.description_text,
                "custom_fields": [
                    {"id": 1, "value": cf("cf_order_number")},
                    {"id": 2, "value": cf("cf_language")},
                    {"id": 3, "value": cf("cf_support_plan")},
                    {"id": 4, "value": cf("cf_triage_confidence")},
                    {"id": 5, "value": cf("cf_vip")},
                ],
            }});
            let created = self
                .admin(reqwest::Method::POST, "/issues.json", Some(issue))
                .await;
            let id = created["issue"]["id"]
                .as_u64()
                .unwrap_or_else(|| panic!("Redmine refused an issue: {created}"));
            ids.push(id.to_string());
        }
        ids
    }

    /// An issue's JSON as `admin` sees it, with its journals (`None`: no such issue).
    pub async fn issue_json(&self, id: &str) -> Option<Value> {
        let (status, v) = self
            .call(
                reqwest::Method::GET,
                &format!("/issues/{id}.json?include=journals"),
                None,
            )
            .await;
        match status {
            200 => Some(v["issue"].clone()),
            404 => None,
            other => panic!("GET /issues/{id}.json: HTTP {other}: {v}"),
        }
    }

    /// Every issue id, any status, as `admin` lists them.
    pub async fn issue_ids(&self) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        let mut offset = 0;
        loop {
            let v = self
                .admin(
                    reqwest::Method::GET,
                    &format!("/issues.json?status_id=*&sort=id&limit=100&offset={offset}"),
                    None,
                )
                .await;
            let page = v["issues"].as_array().cloned().unwrap_or_default();
            ids.extend(
                page.iter()
                    .filter_map(|i| i["id"].as_u64())
                    .map(|i| i.to_string()),
            );
            offset += page.len();
            if page.is_empty() || offset as u64 >= v["total_count"].as_u64().unwrap_or(0) {
                return ids;
            }
        }
    }

    /// Add a note as `admin`: a change the adapter did not make.
    pub async fn note_as_admin(&self, id: &str, text: &str) {
        self.admin(
            reqwest::Method::PUT,
            &format!("/issues/{id}.json"),
            Some(json!({"issue": {"notes": text}})),
        )
        .await;
    }
}

impl Drop for RedmineServer {
    fn drop(&mut self) {
        let group = -(self.child.id() as i32);
        // SAFETY: kill(2) on our own child's process group.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // SAFETY: as above.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// Run an async probe call to completion from synchronous code, on a thread with its own
/// runtime (the probe trait is synchronous; the tests call it from inside their runtime).
fn block_on<F>(fut: F) -> F::Output
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("probe runtime")
                .block_on(fut)
        })
        .join()
        .expect("probe thread")
    })
}

/// The connection an operator would configure: Redmine's origin, an API key as a header
/// credential, `base_url` set to the server root.
pub fn connection_with(server: &RedmineServer, key: &str) -> Connection {
    Connection {
        credential: Some(Credential::Header {
            name: KEY_HEADER.to_owned(),
            value: Secret::new(key),
        }),
        settings: [("base_url".to_owned(), server.base_url().to_owned())].into(),
        ..Connection::to(server.base_url())
    }
}

/// The connection with `admin`'s key.
pub fn connection(server: &RedmineServer) -> Connection {
    connection_with(server, ADMIN_KEY)
}

/// `dist/adapters/redmine.wasm`, connected to `server` with `admin`'s key.
pub async fn connect(server: &RedmineServer) -> WasmAdapter {
    connection(server).connect(&loaded()).await
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(v.as_str()?)
        .ok()
        .map(|t| t.to_utc())
}

impl SimulatorProbe for RedmineServer {
    fn all_ticket_ids(&self) -> BTreeSet<String> {
        block_on(self.issue_ids())
    }

    fn ticket(&self, id: &str) -> Option<SystemTicket> {
        let issue = block_on(self.issue_json(id))?;
        Some(SystemTicket {
            queue: issue["project"]["name"].as_str().map(str::to_owned),
            priority: issue["priority"]["id"].as_u64().map(|p| p.to_string()),
            tags: Vec::new(),
            updated_at: time(&issue["updated_on"]),
        })
    }

    fn set_ticket_tags(&self, _id: &str, _tags: &[String]) {
        panic!("Redmine has no tags: the tag checks do not apply to it");
    }

    fn notes(&self, id: &str) -> Vec<SystemNote> {
        let issue = block_on(self.issue_json(id)).expect("the issue exists");
        issue["journals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|j| {
                let notes = j["notes"].as_str().filter(|n| !n.is_empty())?;
                Some(SystemNote {
                    body: notes.to_owned(),
                    internal: j["private_notes"] == json!(true),
                })
            })
            .collect()
    }

    fn missing_ticket_id(&self) -> String {
        crate::sim_probe::missing_id(
            self.all_ticket_ids()
                .iter()
                .filter_map(|id| id.parse::<u64>().ok()),
        )
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // "Language" is a list custom field of en/de: Redmine answers 422 "Language is not
        // included in the list".
        let patch = custom_field_patch("Language", json!("xx"));
        (patch, "custom_fields.Language".to_owned())
    }

    fn set_rate_limit(&self, _per_window: Option<u32>) -> bool {
        false // Redmine has no rate limit of its own.
    }

    fn set_faults(&self, _next: &[ProbeFault]) -> bool {
        false // a real server cannot be told to fail its next request.
    }

    fn clear_faults(&self) {}
}
