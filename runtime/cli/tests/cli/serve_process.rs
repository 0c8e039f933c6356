//! `triage serve` as a process: killed with SIGKILL in the middle of a backlog
//! and restarted, it loses no ticket and repeats no update; its API answers, guarded by a
//! bearer token, and shows an agent's correction in the agreement figures (as does
//! `triage history --corrections`); SIGHUP reloads (refusing a broken file); SIGTERM finishes the
//! tickets in flight and exits cleanly.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use triage_sim::freshdesk::SimHandle;
use triage_tests::freshdesk;
use triage_tests::service::{ConfigDir, classify_all, successful_writes};

const SINCE: &str = "    source: { since: 2000-01-01T00:00:00Z }\n";

/// A running `triage serve` and its API address.
struct Serve {
    child: Child,
    url: String,
}

impl Serve {
    fn start(config: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_triage"))
            .args(["serve", "--listen", "127.0.0.1:0", "--config"])
            .arg(config)
            .env("TRIAGE_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("triage serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the address");
        let url = line
            .trim()
            .rsplit(' ')
            .next()
            .expect("the address is printed")
            .to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{line}");
        Self { child, url }
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid.
        let rc = unsafe { libc::kill(self.child.id() as i32, signal) };
        assert_eq!(rc, 0, "kill");
    }

    fn wait(mut self) -> std::process::ExitStatus {
        for _ in 0..600 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("triage serve did not exit within 60 s");
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn pipelines(url: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{url}/v1/pipelines"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("API answers")
}

async fn wait_for(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(180);
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn puts_so_far(sim: &SimHandle) -> usize {
    successful_writes(sim).values().map(|(puts, _)| puts).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_in_the_middle_of_a_backlog_loses_nothing_and_repeats_no_update() {
    const TICKETS: usize = 2000;
    let sim = freshdesk::start_generated(TICKETS, 31).await;
    let mut dir = ConfigDir::new();
    dir.freshdesk("helpdesk", &sim, "{ concurrency: 4 }")
        .pipeline("inbox", &classify_all("helpdesk", SINCE));
    let config = dir.write();

    let first = Serve::start(&config);
    wait_for("a quarter of the backlog", async || {
        puts_so_far(&sim) >= TICKETS / 4
    })
    .await;
    first.signal(libc::SIGKILL);
    let status = first.wait();
    assert!(!status.success(), "killed: {status:?}");
    let written_before_restart = puts_so_far(&sim);
    assert!(written_before_restart < TICKETS, "killed in the middle");

    let second = Serve::start(&config);
    let url = second.url.clone();
    wait_for("the backlog to drain", async || {
        let status: serde_json::Value = pipelines(&url, None).await.json().await.unwrap();
        status[0]["runs"].as_u64() >= Some(1) && puts_so_far(&sim) >= TICKETS
    })
    .await;
    second.signal(libc::SIGTERM);
    assert!(second.wait().success(), "SIGTERM exits cleanly");

    let writes = successful_writes(&sim);
    assert_eq!(writes.len(), TICKETS, "no ticket lost");
    let updated_twice: Vec<_> = writes.iter().filter(|(_, (puts, _))| *puts != 1).collect();
    assert!(
        updated_twice.is_empty(),
        "updated other than once: {updated_twice:?}"
    );
    for t in sim.tickets() {
        assert!(t.tags.iter().any(|tag| tag == "triage"), "ticket {}", t.id);
        assert!(!sim.notes(t.id).is_empty(), "ticket {} lost its note", t.id);
    }
    // Contract 0.1 cannot read notes back, so a note the system accepted just
    // before the kill, but whose answer never arrived, is written again: at most
    // one per ticket in flight (the connection's concurrency, 4).
    let noted_twice: Vec<_> = writes.iter().filter(|(_, (_, notes))| *notes > 1).collect();
    assert!(
        noted_twice.len() <= 4,
        "notes repeated beyond those in flight: {noted_twice:?}"
    );
    assert!(writes.values().all(|(_, notes)| *notes <= 2));

    // The audit trail has no intent left pending.
    let history = Command::new(env!("CARGO_BIN_EXE_triage"))
        .args(["history", "--outcome", "pending", "--config"])
        .arg(&config)
        .output()
        .expect("triage history runs");
    assert!(history.status.success());
    let shown = String::from_utf8_lossy(&history.stdout);
    assert_eq!(shown.lines().count(), 1, "only the header: {shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_behind_its_token_and_sighup_reloads() {
    const TICKETS: usize = 60;
    const TOKEN: &str = "s3cret-api-token";
    let sim = freshdesk::start_generated(TICKETS, 32).await;
    let mut dir = ConfigDir::new();
    std::fs::write(dir.path().join("api.token"), TOKEN).unwrap();
    dir.top("service: { token: { file: api.token } }")
        .freshdesk("helpdesk", &sim, "{ concurrency: 2 }")
        .pipeline("inbox", &classify_all("helpdesk", SINCE));
    let config = dir.write();
    let serve = Serve::start(&config);
    let url = serve.url.clone();
    let client = reqwest::Client::new();

    let health = client.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(pipelines(&url, None).await.status(), 401);
    assert_eq!(pipelines(&url, Some("wrong")).await.status(), 401);
    wait_for("the first pass", async || {
        let status: serde_json::Value = pipelines(&url, Some(TOKEN)).await.json().await.unwrap();
        status[0]["runs"].as_u64() >= Some(1)
    })
    .await;
    let status: serde_json::Value = pipelines(&url, Some(TOKEN)).await.json().await.unwrap();
    assert_eq!(status[0]["name"], "inbox");
    assert_eq!(status[0]["totals"]["updated"], TICKETS);

    let classified: serde_json::Value = client
        .post(format!("{url}/v1/classify"))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({ "text": "I was charged twice for my invoice this month" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let answers = classified["results"][0]
        .as_array()
        .expect("one answer per model");
    assert_eq!(answers.len(), 2, "{classified}");
    assert!(answers.iter().any(|a| {
        a["model"] == "queue"
            && a["label"]
                .as_str()
                .is_some_and(|l| l.starts_with("Billing"))
    }));

    // An agent moves one ticket to another group; the next pass (asked for through the
    // API) records the correction and the agreement figures show it.
    let moved = sim.tickets()[0].clone();
    let groups = sim.groups();
    let written = groups
        .iter()
        .find(|g| Some(g.id) == moved.group_id)
        .expect("triage set a group");
    let other = groups.iter().find(|g| g.id != written.id).unwrap();
    freshdesk::agent_moves(&sim, moved.id, other.id).await;
    let run = client
        .post(format!("{url}/v1/pipelines/inbox/run"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(run.status(), 202);
    wait_for("the second pass", async || {
        let status: serde_json::Value = pipelines(&url, Some(TOKEN)).await.json().await.unwrap();
        status[0]["runs"].as_u64() >= Some(2)
    })
    .await;
    let detail: serde_json::Value = client
        .get(format!("{url}/v1/pipelines/inbox?window=1d"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let queue = &detail["agreement"]["live"]["queue"];
    assert_eq!(
        (queue["written"].as_u64(), queue["corrected"].as_u64()),
        (Some(TICKETS as u64), Some(1)),
        "{detail}"
    );
    let expected = 1.0 - 1.0 / TICKETS as f64;
    assert!(
        (queue["agreement"].as_f64().unwrap() - expected).abs() < 1e-9,
        "{detail}"
    );
    let label = queue["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == written.name.as_str())
        .expect("the written label is listed");
    assert_eq!(label["corrected"], 1, "{detail}");
    let bad = client
        .get(format!("{url}/v1/pipelines/inbox?window=soon"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("window"));
    let history = Command::new(env!("CARGO_BIN_EXE_triage"))
        .args(["history", "--corrections", "--window", "1d", "--config"])
        .arg(&config)
        .output()
        .expect("triage history runs");
    let printed = String::from_utf8_lossy(&history.stdout);
    assert!(history.status.success(), "{printed}");
    assert!(
        printed.contains(&format!("{} → {}", written.name, other.name)),
        "{printed}"
    );
    assert!(printed.contains("agreement of inbox since"), "{printed}");
    let missing = client
        .post(format!("{url}/v1/pipelines/nope/run"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let metrics = client
        .get(format!("{url}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"triage_tickets_total{pipeline="inbox",outcome="updated"} 60"#),
        "{metrics}"
    );
    assert!(metrics.contains("triage_adapter_call_seconds_bucket"));
    assert!(metrics.contains("triage_model_inference_seconds_bucket"));

    // A broken file is refused and the service keeps its pipelines.
    std::fs::write(&config, "pipelines: [").unwrap();
    serve.signal(libc::SIGHUP);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status: serde_json::Value = pipelines(&url, Some(TOKEN)).await.json().await.unwrap();
    assert_eq!(status[0]["name"], "inbox");
    // A valid one with another pipeline replaces them.
    dir.clear_pipelines()
        .pipeline("renamed", &classify_all("helpdesk", SINCE));
    dir.write();
    serve.signal(libc::SIGHUP);
    wait_for("the reload", async || {
        let status: serde_json::Value = pipelines(&url, Some(TOKEN)).await.json().await.unwrap();
        status
            .as_array()
            .is_some_and(|all| all.len() == 1 && all[0]["name"] == "renamed")
    })
    .await;

    serve.signal(libc::SIGTERM);
    assert!(serve.wait().success());
    // The renamed pipeline has its own state: it re-decided, but the tickets
    // already show its decisions, so nothing was written twice — except the ticket the
    // agent moved: corrections belong to the pipeline that recorded them, and a renamed
    // pipeline is a new one (docs/config.md says so).
    let writes = successful_writes(&sim);
    assert!(
        writes
            .iter()
            .filter(|(id, _)| **id != moved.id.to_string())
            .all(|(_, (puts, _))| *puts == 1),
        "{writes:?}"
    );
}
