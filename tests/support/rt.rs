//! RT glue for the conformance suite: a **real** Request Tracker 5 (Debian's
//! `request-tracker5`, SQLite, the Starlet `rt-server`) started per test on 127.0.0.1,
//! `rt.wasm` connected to it through the real host and gateway (HTTP Basic added by the
//! host), and the server itself as a [`SimulatorProbe`], read through REST2 as RT's
//! `root` — behind the adapter's back.
//!
//! Each [`RtServer`] gets a fresh copy of the template database `scripts/setup-rt.sh`
//! builds (queues, custom fields, users), its own site config (`RT_SITE_CONFIG`), and a
//! listening socket bound here to port 0 and handed to Starlet as fd 3 through
//! `SERVER_STARTER_PORT` (Starlet's Server::Starter support), so there is no window in
//! which another process could take the port. Dropping it stops the whole process group.
//!
//! Server config choices (test speed only; RT's behaviour towards the API is unchanged):
//! `MailCommand testfile` (notification mail goes to a file) and `HTMLFormatter core`
//! (Perl instead of spawning `w3m` four times per created ticket), `BcryptCost 4`
//! (matches the template's password hashes).

use std::collections::BTreeSet;
use std::fs;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use triage_core::TicketPatch;
use triage_gateway::{Credential, Secret};
use triage_host::WasmAdapter;
use triage_sim::generate::{GenerateOptions, generate};

use crate::conformance::{ProbeFault, SimulatorProbe, SystemNote, SystemTicket};
use crate::{Connection, load};

/// The adapter's login (rights: see `scripts/setup-rt.sh`).
pub const USER: &str = "triage";
/// Password of `triage` and `onlooker` in the template.
pub const PASSWORD: &str = "triage-rt-test";
/// A privileged user without any ticket rights.
pub const ONLOOKER: &str = "onlooker";
/// RT's administrator, used by the probe.
const ROOT: (&str, &str) = ("root", "password");

/// Where Debian puts `rt-server`; `TRIAGE_RT_SERVER` overrides.
pub fn rt_server() -> PathBuf {
    std::env::var_os("TRIAGE_RT_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/request-tracker5/libexec/rt-server"))
}

/// The template database; `TRIAGE_RT_HOME` overrides `/var/lib/triage-rt`.
pub fn template() -> PathBuf {
    std::env::var_os("TRIAGE_RT_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/triage-rt"))
        .join("template.sqlite")
}

/// A running RT; stopped when dropped.
pub struct RtServer {
    child: Child,
    dir: tempfile::TempDir,
    base_url: String,
}

fn site_config(dir: &Path, port: u16) -> String {
    let d = dir.display();
    format!(
        "Set($rtname, 'triage-test');
Set($Organization, 'triage.test');
Set($DatabaseType, 'SQLite');
Set($DatabaseName, '{d}/rt.sqlite');
Set($BcryptCost, 4);
Set($LogToSyslog, undef);
Set($LogToSTDERR, 'error');
Set($Timezone, 'UTC');
Set($WebDomain, '127.0.0.1');
Set($WebPort, {port});
Set($WebPath, '');
Set($WebBaseURL, 'http://127.0.0.1:{port}');
Set($MasonDataDir, '{d}/mason');
Set($MasonSessionDir, '{d}/session');
Set($MailCommand, 'testfile');
Set($HTMLFormatter, 'core');
1;
"
    )
}

impl RtServer {
    /// Start RT on a fresh copy of the template and wait until REST2 answers.
    pub async fn start() -> Self {
        let (server, template) = (rt_server(), template());
        assert!(
            server.exists() && template.exists(),
            "RT is not set up ({} / {}): run scripts/setup-rt.sh",
            server.display(),
            template.display()
        );
        let dir = tempfile::Builder::new()
            .prefix("triage-rt-")
            .tempdir()
            .expect("temp dir");
        for sub in ["mason", "session", "site.d"] {
            fs::create_dir(dir.path().join(sub)).expect("server dirs");
        }
        fs::copy(&template, dir.path().join("rt.sqlite")).expect("copy the template database");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        fs::write(dir.path().join("site.pm"), site_config(dir.path(), port)).expect("site config");
        let log = fs::File::create(dir.path().join("server.log")).expect("server log");
        let fd = listener.as_raw_fd();
        let mut cmd = Command::new(&server);
        cmd.args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--max-workers", "2"])
            .env("RT_SITE_CONFIG", dir.path().join("site.pm"))
            .env("RT_SITE_CONFIG_DIR", dir.path().join("site.d"))
            .env("SERVER_STARTER_PORT", format!("127.0.0.1:{port}=3"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .process_group(0);
        // SAFETY: between fork and exec only async-signal-safe calls (dup2, fcntl) run.
        unsafe {
            cmd.pre_exec(move || {
                // The socket becomes fd 3 without close-on-exec.
                let r = if fd == 3 {
                    let flags = libc::fcntl(3, libc::F_GETFD);
                    libc::fcntl(3, libc::F_SETFD, flags & !libc::FD_CLOEXEC)
                } else {
                    libc::dup2(fd, 3)
                };
                if r < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start rt-server");
        drop(listener);
        let mut rt = Self {
            child,
            dir,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        rt.wait_ready().await;
        rt
    }

    async fn wait_ready(&mut self) {
        let started = Instant::now();
        let client = reqwest::Client::new();
        loop {
            if let Some(status) = self.child.try_wait().expect("rt-server status") {
                panic!("rt-server exited ({status}):\n{}", self.log());
            }
            // The socket listens already: the request waits until a worker takes it.
            let answer = client
                .get(format!("{}/REST/2.0/queues/all", self.base_url))
                .basic_auth(USER, Some(PASSWORD))
                .timeout(Duration::from_secs(30))
                .send()
                .await;
            match answer {
                Ok(r) if r.status().is_success() => return,
                Ok(r) if started.elapsed() > Duration::from_secs(90) => {
                    panic!("RT answers {} at start:\n{}", r.status(), self.log())
                }
                Err(e) if started.elapsed() > Duration::from_secs(90) => {
                    panic!("RT did not come up: {e}\n{}", self.log())
                }
                _ => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }

    /// The server's output so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// `http://127.0.0.1:PORT`, RT's web root.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn api(&self, path: &str) -> String {
        format!("{}/REST/2.0{path}", self.base_url)
    }

    /// A REST2 call as `root`; panics on anything but 2xx.
    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let (status, body) = self.admin_status(method.clone(), path, body).await;
        assert!(status < 300, "{method} {path}: HTTP {status}: {body}");
        body
    }

    /// A REST2 call as `root`: status and JSON body (`null` when there is none).
    pub async fn admin_status(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let client = reqwest::Client::new();
        let mut req = client
            .request(method, self.api(path))
            .basic_auth(ROOT.0, Some(ROOT.1))
            .timeout(Duration::from_secs(120));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let reply = req.send().await.expect("REST2 request");
        let status = reply.status().as_u16();
        let bytes = reply.bytes().await.expect("REST2 body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Create `n` generated tickets (English and German texts from the simulator's
    /// generator) in queue General at priority 0, each with a requester and its `Language`,
    /// through `POST /tickets/bulk` (50 per request). Returns their ids, ascending.
    pub async fn seed(&self, n: usize, seed: u64) -> Vec<String> {
        let data = generate(&GenerateOptions::new(n, seed));
        let email = |id: u64| {
            data.contacts
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.email.clone())
        };
        let tickets: Vec<Value> = data
            .tickets
            .iter()
            .map(|t| {
                let mut v = json!({
                    "Queue": "General",
                    "Subject": t.subject,
                    "Content": t.description_text,
                    "ContentType": "text/plain",
                    "Priority": 0,
                    "CustomFields": {"Language": t.custom_fields.get("cf_language").cloned().unwrap_or(Value::Null)},
                });
                if let Some(e) = email(t.requester_id) {
                    v["Requestor"] = e.into();
                }
                v
            })
            .collect();
        let mut ids = Vec::with_capacity(n);
        for chunk in tickets.chunks(50) {
            let created = self
                .admin(
                    reqwest::Method::POST,
                    "/tickets/bulk",
                    Some(Value::Array(chunk.to_vec())),
                )
                .await;
            for c in created.as_array().expect("bulk create answers a list") {
                let id = c["id"]
                    .as_str()
                    .unwrap_or_else(|| panic!("RT refused a ticket: {c}"));
                ids.push(id.to_owned());
            }
        }
        ids
    }

    /// A ticket's JSON as `root` sees it (`None`: no such ticket).
    pub async fn ticket_json(&self, id: &str) -> Option<Value> {
        let (status, v) = self
            .admin_status(
                reqwest::Method::GET,
                &format!("/ticket/{id}?fields%5BQueue%5D=Name"),
                None,
            )
            .await;
        match status {
            200 => Some(v),
            404 => None,
            other => panic!("GET /ticket/{id}: HTTP {other}: {v}"),
        }
    }

    /// The values of a ticket's custom field as stored.
    pub async fn custom_field(&self, id: &str, name: &str) -> Vec<String> {
        let t = self.ticket_json(id).await.expect("the ticket exists");
        t["CustomFields"]
            .as_array()
            .and_then(|cfs| cfs.iter().find(|cf| cf["name"] == name))
            .and_then(|cf| cf["values"].as_array())
            .map(|vals| {
                vals.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Ticket ids matching a TicketSQL query, as `root` finds them (page by page).
    pub async fn search_ids(&self, ticket_sql: &str) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for page in 1.. {
            let path = format!(
                "/tickets?query={}&per_page=100&page={page}",
                encode(ticket_sql)
            );
            let v = self.admin(reqwest::Method::GET, &path, None).await;
            let items = v["items"].as_array().cloned().unwrap_or_default();
            ids.extend(
                items
                    .iter()
                    .filter_map(|t| t["id"].as_str().map(str::to_owned)),
            );
            if items.is_empty() || v["pages"].as_u64().is_none_or(|p| page >= p) {
                break;
            }
        }
        ids
    }

    /// Comment on a ticket as `root`: a change the adapter did not make.
    pub async fn comment_as_admin(&self, id: &str, text: &str) {
        self.admin(
            reqwest::Method::POST,
            &format!("/ticket/{id}/comment"),
            Some(json!({"Content": text, "ContentType": "text/plain"})),
        )
        .await;
    }

    async fn notes_async(&self, id: &str) -> Vec<(String, SystemNote)> {
        let history = self
            .admin(
                reqwest::Method::GET,
                &format!("/ticket/{id}/history?fields=Type&per_page=100&orderby=id&order=ASC"),
                None,
            )
            .await;
        let txns: Vec<(String, bool)> = history["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| {
                let internal = match t["Type"].as_str()? {
                    "Comment" => true,
                    "Correspond" => false,
                    _ => return None,
                };
                Some((t["id"].as_str()?.to_owned(), internal))
            })
            .collect();
        if txns.is_empty() {
            return Vec::new();
        }
        let ids: Vec<u64> = txns.iter().filter_map(|(t, _)| t.parse().ok()).collect();
        let parts = self
            .admin(
                reqwest::Method::POST,
                "/attachments?fields=TransactionId,ContentType,Content&per_page=100&orderby=id&order=ASC",
                Some(json!([{"field": "TransactionId", "operator": "IN", "value": ids}])),
            )
            .await;
        let parts = parts["items"].as_array().cloned().unwrap_or_default();
        txns.into_iter()
            .map(|(txn, internal)| {
                let body = parts
                    .iter()
                    .filter(|p| p["TransactionId"].as_str() == Some(txn.as_str()))
                    .find(|p| {
                        p["ContentType"]
                            .as_str()
                            .is_some_and(|c| c.starts_with("text/"))
                    })
                    .and_then(|p| p["Content"].as_str())
                    .unwrap_or_default()
                    .to_owned();
                (txn, SystemNote { body, internal })
            })
            .collect()
    }

    /// Comments and correspondence of a ticket with their transaction ids, oldest first.
    pub async fn notes_with_ids(&self, id: &str) -> Vec<(String, SystemNote)> {
        self.notes_async(id).await
    }
}

impl Drop for RtServer {
    fn drop(&mut self) {
        // Starlet's master passes TERM on to its workers; the group gets it anyway.
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
        // SAFETY: as above; also reaps workers that outlived their master.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// Percent-encode a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
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

/// The connection an operator would configure: RT's origin, the `triage` login as HTTP
/// Basic (added by the host), `base_url` set to RT's web root.
pub fn connection(rt: &RtServer) -> Connection {
    connection_as(rt, USER, PASSWORD)
}

/// The same connection with another login.
pub fn connection_as(rt: &RtServer, user: &str, password: &str) -> Connection {
    Connection {
        credential: Some(Credential::Basic {
            user: Secret::new(user),
            password: Secret::new(password),
        }),
        settings: [("base_url".to_owned(), rt.base_url().to_owned())].into(),
        ..Connection::to(rt.base_url())
    }
}

/// `dist/adapters/rt.wasm`, connected to `rt` as `triage`.
pub async fn connect(rt: &RtServer) -> WasmAdapter {
    connection(rt).connect(&load("rt")).await
}

impl SimulatorProbe for RtServer {
    fn all_ticket_ids(&self) -> BTreeSet<String> {
        block_on(self.search_ids("id > 0"))
    }

    fn ticket(&self, id: &str) -> Option<SystemTicket> {
        let t = block_on(self.ticket_json(id))?;
        Some(SystemTicket {
            queue: t["Queue"]["Name"].as_str().map(str::to_owned),
            priority: t["Priority"].as_str().map(str::to_owned),
            tags: Vec::new(),
            updated_at: t["LastUpdated"]
                .as_str()
                .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
                .map(|at| at.to_utc()),
        })
    }

    fn set_ticket_tags(&self, _id: &str, _tags: &[String]) {
        panic!("RT has no tags: the tag checks do not apply to it");
    }

    fn notes(&self, id: &str) -> Vec<SystemNote> {
        block_on(self.notes_async(id))
            .into_iter()
            .map(|(_, n)| n)
            .collect()
    }

    fn missing_ticket_id(&self) -> String {
        let max = self
            .all_ticket_ids()
            .iter()
            .filter_map(|id| id.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        (max + 1_000_000).to_string()
    }

    fn invalid_patch(&self) -> (TicketPatch, String) {
        // The template's "Order Number" must match ^\d{6}$: RT itself refuses "abc" (with
        // a message in a 200 answer, which the adapter must notice).
        let patch = TicketPatch {
            custom_fields: [("Order Number".to_owned(), json!("abc"))].into(),
            ..TicketPatch::default()
        };
        (patch, "custom_fields.Order Number".to_owned())
    }

    fn set_rate_limit(&self, _per_window: Option<u32>) -> bool {
        false // RT has no rate limit to steer.
    }

    fn set_faults(&self, _next: &[ProbeFault]) -> bool {
        false // a real server cannot be told to fail its next request.
    }

    fn clear_faults(&self) {}
}
