//! The Zammad simulator over real HTTP: the documented behaviour and quirks an adapter meets.

use std::time::Duration;

use reqwest::{Client, RequestBuilder, Response};
use serde_json::{Value, json};
use triage_sim::Fault;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::ratelimit::RateLimitConfig;
use triage_sim::zammad::{SimConfig, SimHandle, ZammadSim};

struct Sim {
    handle: SimHandle,
    http: Client,
}

impl Sim {
    async fn start(config: SimConfig) -> Self {
        Self {
            handle: ZammadSim::start(config).await.expect("start simulator"),
            http: Client::new(),
        }
    }

    async fn generated(n: usize) -> Self {
        Self::start(SimConfig::default().with_data(generate(&GenerateOptions::new(n, 5)))).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.handle.base_url())
    }

    fn req(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("authorization", self.handle.auth_header())
    }

    fn get(&self, path: &str) -> RequestBuilder {
        self.req(reqwest::Method::GET, path)
    }

    async fn json(&self, path: &str) -> Value {
        let r = self.get(path).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        r.json().await.unwrap()
    }

    fn send(&self, method: reqwest::Method, path: &str, body: Value) -> RequestBuilder {
        self.req(method, path).json(&body)
    }
}

async fn reply(r: RequestBuilder) -> (u16, Value) {
    let r: Response = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn credentials_are_a_token() {
    let sim = Sim::generated(3).await;
    let none = sim.http.get(sim.url("/tickets")).send().await.unwrap();
    assert_eq!(none.status(), 403);
    assert_eq!(none.headers()["x-failure"], "Authentication required");
    let wrong = sim
        .http
        .get(sim.url("/tickets"))
        .header("authorization", "Token token=nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let bearer = sim
        .http
        .get(sim.url("/tickets"))
        .bearer_auth(sim.handle.token())
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 200);
    assert!(
        sim.handle
            .requests()
            .iter()
            .filter(|r| r.authorized)
            .count()
            == 1
    );
}

#[tokio::test]
async fn index_pages_by_id_with_a_silent_cap() {
    let sim = Sim::generated(250).await;
    let page = sim.json("/tickets?per_page=500&page=2").await;
    assert_eq!(ids(&page), (101..=200).collect::<Vec<_>>());
    assert!(page[0].get("group").is_none(), "names only with expand");
    let page = sim.json("/tickets?per_page=2&expand=true").await;
    assert_eq!(page[0]["group"], "Users");
    assert_eq!(page[0]["priority"], "2 normal");
    assert_eq!(page[0]["owner_id"], 1);
    assert!(page[0]["updated_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(page[0]["article_ids"].as_array().unwrap().len(), 1);
    assert!(page[0].get("tags").is_none());
}

#[tokio::test]
async fn search_shapes_sorting_and_caps() {
    let sim = Sim::generated(300).await;
    let plain = sim.json("/tickets/search?query=*").await;
    assert_eq!(plain["tickets"].as_array().unwrap().len(), 50, "default 50");
    assert_eq!(plain["tickets_count"], 50);
    let first = plain["tickets"][0].to_string();
    assert!(plain["assets"]["Ticket"][first.as_str()].is_object());
    // Default order: updated_at descending.
    let all = sim
        .json("/tickets/search?query=*&per_page=1000&expand=true")
        .await;
    assert_eq!(all.as_array().unwrap().len(), 200, "max 200");
    let times: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["updated_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    let asc = sim
        .json("/tickets/search?query=*&per_page=200&sort_by=updated_at&order_by=asc&expand=true")
        .await;
    let asc_times: Vec<&str> = asc
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["updated_at"].as_str().unwrap())
        .collect();
    assert!(asc_times.windows(2).all(|w| w[0] <= w[1]));
    // Refusals come back as empty results.
    for q in [
        "/tickets/search?query=*&sort_by=id&order_by=asc&expand=true",
        "/tickets/search?query=updated_at:>=2024-01-01T00:00:00Z&expand=true",
        "/tickets/search?query=&expand=true",
    ] {
        assert_eq!(sim.json(q).await, json!([]), "{q}");
    }
}

#[tokio::test]
async fn search_window_ends_paging_silently() {
    let sim = Sim::start(
        SimConfig::default()
            .with_data(generate(&GenerateOptions::new(300, 2)))
            .with_search_window(250),
    )
    .await;
    let q = "/tickets/search?query=*&sort_by=updated_at&order_by=asc&per_page=100&expand=true";
    assert_eq!(
        sim.json(&format!("{q}&page=2"))
            .await
            .as_array()
            .unwrap()
            .len(),
        100
    );
    assert_eq!(sim.json(&format!("{q}&page=3")).await, json!([]));
}

#[tokio::test]
async fn search_filters() {
    let sim = Sim::generated(200).await;
    let billing = sim.handle.group_id("Billing and Payments").unwrap();
    assert!(sim.handle.modify_ticket(7, |t| {
        t.group_id = billing;
        t.tags = vec!["needs-review".into()];
    }));
    let hit = sim
        .json("/tickets/search?query=group.name:%22Billing%20and%20Payments%22%20AND%20tags:needs-review&expand=true")
        .await;
    assert_eq!(ids(&hit), [7]);
    let t7 = sim.handle.ticket(7).unwrap();
    let at = triage_sim::zammad::format_time(t7.updated_at);
    let since = sim
        .json(&format!(
            "/tickets/search?query=updated_at:%5B%22{at}%22%20TO%20*%5D&per_page=200&expand=true"
        ))
        .await;
    let want = sim
        .handle
        .tickets()
        .iter()
        .filter(|t| t.updated_at >= t7.updated_at)
        .count();
    assert_eq!(since.as_array().unwrap().len(), want);
    let states = sim
        .json("/tickets/search?query=state.name:(new%20OR%20open)&per_page=200&expand=true")
        .await;
    assert!(
        states
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["state"] == "new" || t["state"] == "open")
    );
}

#[tokio::test]
async fn updates_resolve_names_and_refuse_like_zammad() {
    let sim = Sim::generated(5).await;
    let before = sim.handle.ticket(2).unwrap();
    let (status, t) = reply(sim.send(
        reqwest::Method::PUT,
        "/tickets/2?expand=true",
        json!({"group": "Billing and Payments", "priority": "3 high", "tags": "x", "bogus": 1}),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (t["group"].as_str(), t["priority_id"].as_u64()),
        (Some("Billing and Payments"), Some(3))
    );
    let after = sim.handle.ticket(2).unwrap();
    assert!(after.updated_at > before.updated_at);
    assert_eq!(after.tags, before.tags, "tags are ignored on update");

    let (status, e) =
        reply(sim.send(reqwest::Method::PUT, "/tickets/2", json!({"group": "Nope"}))).await;
    assert_eq!(status, 422);
    assert_eq!(
        e["error_human"],
        "No lookup value found for 'group': \"Nope\""
    );
    let (status, e) =
        reply(sim.send(reqwest::Method::PUT, "/tickets/2", json!({"group_id": 99}))).await;
    assert_eq!(status, 422);
    assert!(e["error"].as_str().unwrap().starts_with("Error ID "), "{e}");
    let (status, e) = reply(sim.send(
        reqwest::Method::PUT,
        "/tickets/2",
        json!({"triage_confidence": 150}),
    ))
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        e["error"],
        "Triage confidence is larger than the allowed maximum value of 100"
    );
    let (status, _) = reply(sim.send(reqwest::Method::PUT, "/tickets/999", json!({}))).await;
    assert_eq!(status, 404);
    // A body not sent as JSON is not read at all.
    let r = sim
        .req(reqwest::Method::PUT, "/tickets/2")
        .header("content-type", "text/plain")
        .body(r#"{"group":"Users"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        sim.handle.ticket(2).unwrap().group_id,
        sim.handle.group_id("Billing and Payments").unwrap()
    );
}

#[tokio::test]
async fn admins_see_raw_errors_and_groups() {
    let sim = Sim::start(SimConfig::default().as_admin()).await;
    assert_eq!(sim.json("/groups").await.as_array().unwrap().len(), 11);
    let agent = Sim::generated(2).await;
    let (status, e) = reply(agent.get("/groups")).await;
    assert_eq!((status, e["error"].as_str()), (403, Some("Not authorized")));
    let me = agent.json("/users/me?expand=true").await;
    assert_eq!(me["groups"].as_object().unwrap().len(), 11);
    assert_eq!(
        agent.json("/ticket_priorities").await[1]["default_create"],
        true
    );
}

#[tokio::test]
async fn articles_and_tags() {
    let sim = Sim::generated(5).await;
    let (status, a) = reply(sim.send(
        reqwest::Method::POST,
        "/ticket_articles",
        json!({"ticket_id": 3, "body": "checked", "type": "note"}),
    ))
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        (a["internal"].as_bool(), a["sender"].as_str()),
        (Some(false), Some("Agent"))
    );
    let list = sim.json("/ticket_articles/by_ticket/3").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["content_type"], "text/html");
    let (status, _) = reply(sim.send(
        reqwest::Method::POST,
        "/ticket_articles",
        json!({"ticket_id": 99, "body": "x"}),
    ))
    .await;
    assert_eq!(status, 404);

    sim.handle.modify_ticket(3, |t| t.tags = vec!["a".into()]);
    let tag = |item: &str| json!({"item": item, "object": "Ticket", "o_id": 3});
    assert_eq!(
        reply(sim.send(reqwest::Method::POST, "/tags/add", tag("b"))).await,
        (201, json!(true))
    );
    assert_eq!(
        reply(sim.send(reqwest::Method::POST, "/tags/add", tag("b"))).await,
        (201, json!(true))
    );
    assert_eq!(
        sim.json("/tags?object=Ticket&o_id=3").await,
        json!({"tags": ["a", "b"]})
    );
    assert_eq!(
        reply(sim.send(reqwest::Method::DELETE, "/tags/remove", tag("a"))).await,
        (200, json!(true))
    );
    assert_eq!(sim.handle.ticket(3).unwrap().tags, ["b"]);
    assert_eq!(
        sim.json("/tags?object=Ticket&o_id=999").await,
        json!({"tags": []})
    );
    let (status, _) = reply(sim.send(
        reqwest::Method::POST,
        "/tags/add",
        json!({"item": "x", "object": "Ticket", "o_id": 999}),
    ))
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn throttle_and_faults() {
    let sim = Sim::generated(2).await;
    sim.handle
        .set_rate_limits(RateLimitConfig::per_minute(2).with_window(Duration::from_millis(800)));
    for _ in 0..2 {
        assert_eq!(sim.get("/tickets/1").send().await.unwrap().status(), 200);
    }
    let r = sim.get("/tickets/1").send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(r.text().await.unwrap(), "Retry later\n");
    tokio::time::sleep(Duration::from_millis(900)).await;
    sim.handle.set_rate_limits(RateLimitConfig::unlimited());
    sim.handle
        .push_faults([Fault::Status(503), Fault::Status(500), Fault::Drop]);
    let r = sim.get("/tickets/1").send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.text().await.unwrap().contains("<center>nginx</center>"));
    let (status, e) = reply(sim.get("/tickets/1")).await;
    assert_eq!(status, 500);
    assert!(e["error"].as_str().unwrap().starts_with("Error ID "));
    assert!(sim.get("/tickets/1").send().await.is_err(), "dropped");
    assert_eq!(sim.get("/tickets/1").send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn generated_backlog_keeps_true_labels() {
    let sim = Sim::generated(400).await;
    assert_eq!(sim.handle.ticket_count(), 400);
    assert_eq!(sim.handle.truths().len(), 400);
    let german = sim
        .handle
        .tickets()
        .iter()
        .filter(|t| t.attributes.get("language") == Some(&json!("de")))
        .count();
    assert!((60..250).contains(&german), "{german}");
    assert_eq!(sim.handle.accuracy().classified, 0);
    let truth = sim.handle.truth(1).unwrap();
    let (status, _) = reply(sim.send(
        reqwest::Method::PUT,
        "/tickets/1",
        json!({"group": truth.queue}),
    ))
    .await;
    assert_eq!(status, 200);
    let acc = sim.handle.accuracy();
    assert_eq!((acc.classified, acc.queue_correct), (1, 1));
}
