//! The simulator over real HTTP: the quirks adapters must handle, in both route styles.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use super::*;
use crate::faults::Fault;
use crate::freshdesk::{Contact, Dataset, Ticket as FdTicket};
use crate::ratelimit::RateLimitConfig;

const GENERIC: RouteStyle = RouteStyle::Generic;
const OTAI: RouteStyle = RouteStyle::Otai;

/// Three tickets: 1 and 2 created in the same second, 3 a day later.
fn data() -> Dataset {
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 11, 30, 0).unwrap();
    let mut tickets = Vec::new();
    for (id, at, subject) in [
        (1, t0, "Invoice charged twice"),
        (2, t0, "VPN drops every hour"),
        (3, t0 + Duration::days(1), "Rechnung doppelt"),
    ] {
        let mut t = FdTicket::new(subject, "Hello,\nplease help.", at);
        t.id = id;
        t.requester_id = 7;
        t.tags = vec!["vip".into()];
        t.custom_fields.insert("cf_language".into(), json!("en"));
        tickets.push(t);
    }
    Dataset {
        tickets,
        contacts: vec![Contact {
            id: 7,
            name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            company_id: None,
        }],
        truth: Default::default(),
    }
}

async fn sim() -> SimHandle {
    OtoboSim::start(SimConfig::default().with_data(data()))
        .await
        .unwrap()
}

struct Client {
    http: reqwest::Client,
    url: String,
    login: String,
    password: String,
}

impl Client {
    fn new(sim: &SimHandle, style: RouteStyle) -> Self {
        Self {
            http: reqwest::Client::new(),
            url: sim.webservice_url(style),
            login: sim.login().into(),
            password: sim.password().into(),
        }
    }

    fn auth(&self) -> Value {
        json!({"UserLogin": self.login, "Password": self.password})
    }

    /// A request with a JSON body (credentials merged in) → (status, body text).
    async fn send(&self, method: &str, path: &str, body: Value) -> (u16, String) {
        let mut merged = self.auth();
        merged
            .as_object_mut()
            .unwrap()
            .extend(body.as_object().cloned().unwrap_or_default());
        let r = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.url))
            .json(&merged)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// A GET with the credentials in the query.
    async fn get(&self, path_and_query: &str) -> (u16, String) {
        let sep = if path_and_query.contains('?') {
            '&'
        } else {
            '?'
        };
        let url = format!(
            "{}{path_and_query}{sep}UserLogin={}&Password={}",
            self.url, self.login, self.password
        );
        let r = self.http.get(url).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn json(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, text) = self.send(method, path, body).await;
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }
}

#[tokio::test]
async fn search_quirks_in_both_styles() {
    let sim = sim().await;
    let generic = Client::new(&sim, GENERIC);
    let (status, text) = generic.get("/Ticket?SortBy=Age&OrderBy=Up&Limit=2").await;
    assert_eq!(status, 200);
    // Ascending by creation; 1 and 2 share a second and come in descending id order.
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"TicketID": ["2", "1"]})
    );
    let otai = Client::new(&sim, OTAI);
    let all = otai
        .json(
            "POST",
            "/ticket-search",
            json!({"SortBy": "Age", "OrderBy": "Up"}),
        )
        .await;
    assert_eq!(all, json!({"TicketID": ["2", "1", "3"]}));
    // Local times (+01:00): ticket 3 was created 2026-03-02 11:30 UTC = 12:30 local; inclusive.
    let newer = otai
        .json(
            "POST",
            "/ticket-search",
            json!({"TicketCreateTimeNewerDate": "2026-03-02 12:30:00"}),
        )
        .await;
    assert_eq!(newer, json!({"TicketID": ["3"]}));
    let none = otai
        .json("POST", "/ticket-search", json!({"Queues": ["Misc"]}))
        .await;
    assert_eq!(none, json!({}), "nothing matched: an empty object");
    let unknown = otai
        .json("POST", "/ticket-search", json!({"Queues": ["No such"]}))
        .await;
    assert_eq!(unknown, json!({}));
    let bad_date = otai
        .json(
            "POST",
            "/ticket-search",
            json!({"TicketCreateTimeNewerDate": "2026-03-02T12:30:00Z"}),
        )
        .await;
    assert_eq!(
        bad_date,
        json!({}),
        "a malformed date silently matches nothing"
    );
    let (_, by_queue) = generic
        .get("/Ticket?Queues=Raw&Queues=Misc&StateType=Open")
        .await;
    assert_eq!(
        serde_json::from_str::<Value>(&by_queue).unwrap()["TicketID"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn get_renders_local_times_fields_and_the_first_article() {
    let sim = sim().await;
    let c = Client::new(&sim, GENERIC);
    let (status, text) = c
        .get("/Ticket/1,3?DynamicFields=1&AllArticles=1&ArticleLimit=1")
        .await;
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&text).unwrap();
    let t = &v["Ticket"][0];
    assert_eq!(t["TicketID"], "1");
    assert_eq!(t["Queue"], "Raw");
    assert_eq!(t["Priority"], "3 normal");
    assert_eq!(t["StateType"], "new");
    assert_eq!(t["Created"], "2026-03-01 12:30:00");
    assert!(t["Age"].is_number());
    let fields = t["DynamicField"].as_array().unwrap();
    assert!(fields.contains(&json!({"Name": "Tags", "Value": ["vip"]})));
    assert!(fields.contains(&json!({"Name": "Language", "Value": "en"})));
    assert_eq!(t["Article"][0]["Body"], "Hello,\nplease help.");
    assert_eq!(t["Article"][0]["From"], "Ada Lovelace <ada@example.com>");
    assert_eq!(v["Ticket"][1]["TicketID"], "3");

    let otai = Client::new(&sim, OTAI);
    let one = otai
        .json("POST", "/ticket-get", json!({"TicketID": [2]}))
        .await;
    assert_eq!(one["Ticket"][0]["Title"], "VPN drops every hour");
    assert!(one["Ticket"][0].get("Article").is_none());
    let missing = otai
        .json("POST", "/ticket-get", json!({"TicketID": "1,999"}))
        .await;
    assert_eq!(missing["Error"]["ErrorCode"], "TicketGet.AccessDenied");
    let bad = otai
        .json("POST", "/ticket-get", json!({"TicketID": "x"}))
        .await;
    assert_eq!(bad["Error"]["ErrorCode"], "TicketGet.WrongStructure");
}

#[tokio::test]
async fn numeric_ids_when_configured() {
    let sim = OtoboSim::start(SimConfig {
        ids_as_strings: false,
        ..SimConfig::default().with_data(data())
    })
    .await
    .unwrap();
    let c = Client::new(&sim, OTAI);
    let v = c.json("POST", "/ticket-search", json!({"Limit": 1})).await;
    assert_eq!(v, json!({"TicketID": [3]}));
}

#[tokio::test]
async fn credentials_sessions_and_errors_in_200s() {
    let sim = sim().await;
    let mut c = Client::new(&sim, GENERIC);
    c.password = "wrong".into();
    let (status, text) = c.get("/Ticket/1").await;
    assert_eq!(status, 200, "auth failures are 200 too");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["Error"]["ErrorCode"], "TicketGet.AuthFail");
    assert!(!sim.requests().last().unwrap().authorized);

    c.password = sim.password().into();
    let session = c.json("POST", "/Session", json!({})).await;
    let id = session["SessionID"].as_str().unwrap().to_owned();
    let url = format!("{}/Ticket/1?SessionID={id}", c.url);
    let v: Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
    assert_eq!(v["Ticket"][0]["TicketID"], "1");
    assert!(sim.requests().last().unwrap().authorized);
    sim.expire_sessions();
    let v: Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
    assert_eq!(v["Error"]["ErrorCode"], "TicketGet.AuthFail");
}

#[tokio::test]
async fn updates_validate_like_znuny_and_apply_whole() {
    let sim = sim().await;
    let before = sim.ticket(1).unwrap().changed;
    let otai = Client::new(&sim, OTAI);
    let ok = otai
        .json(
            "PUT",
            "/ticket-update",
            json!({"TicketID": "1", "Ticket": {"Queue": "Billing and Payments", "PriorityID": 4},
                   "DynamicField": [{"Name": "Tags", "Value": ["vip", "triaged"]}]}),
        )
        .await;
    assert_eq!(ok["TicketID"], "1");
    assert_eq!(
        ok["Ticket"][0]["Queue"], "Billing and Payments",
        "IncludeTicketData"
    );
    let t = sim.ticket(1).unwrap();
    assert_eq!(
        sim.queue_name(t.queue_id).as_deref(),
        Some("Billing and Payments")
    );
    assert_eq!(t.priority_id, 4);
    assert_eq!(t.dynamic_fields["Tags"], json!(["vip", "triaged"]));
    assert!(t.changed > before);

    let generic = Client::new(&sim, GENERIC);
    for (body, code, message) in [
        (
            json!({"Ticket": {"Queue": "Nope"}}),
            "TicketUpdate.InvalidParameter",
            "Ticket->Queue",
        ),
        (
            json!({"Ticket": {"Queue": "Misc"}, "DynamicField": {"Name": "Language", "Value": "xx"}}),
            "TicketUpdate.InvalidParameter",
            "DynamicField->Value",
        ),
        (
            json!({"DynamicField": {"Name": "Nope", "Value": "x"}}),
            "TicketUpdate.InvalidParameter",
            "DynamicField->Name",
        ),
        (
            json!({"Article": {"Subject": "s", "Body": "b"}}),
            "TicketUpdate.MissingParameter",
            "ContentType",
        ),
    ] {
        let v = generic.json("PATCH", "/Ticket/1", body).await;
        assert_eq!(v["Error"]["ErrorCode"], code, "{v}");
        assert!(
            v["Error"]["ErrorMessage"]
                .as_str()
                .unwrap()
                .contains(message),
            "{v}"
        );
    }
    let t = sim.ticket(1).unwrap();
    assert_eq!(
        sim.queue_name(t.queue_id).as_deref(),
        Some("Billing and Payments"),
        "nothing half-applied"
    );
    let missing = generic
        .json("PATCH", "/Ticket/999", json!({"Ticket": {"Queue": "Misc"}}))
        .await;
    assert_eq!(missing["Error"]["ErrorCode"], "TicketUpdate.AccessDenied");
}

#[tokio::test]
async fn articles_are_customer_visible_unless_told_otherwise() {
    let sim = sim().await;
    let c = Client::new(&sim, GENERIC);
    let note = |visible: Option<u8>| {
        let mut a = json!({"Subject": "triage", "Body": "routed", "ContentType": "text/plain; charset=utf8"});
        if let Some(v) = visible {
            a["IsVisibleForCustomer"] = json!(v);
        }
        json!({"Article": a})
    };
    let v = c.json("PATCH", "/Ticket/2", note(None)).await;
    assert!(v["ArticleID"].is_string());
    c.json("PATCH", "/Ticket/2", note(Some(0))).await;
    let articles = sim.articles(2);
    assert_eq!(articles.len(), 3);
    assert!(articles[1].visible_for_customer, "the default is visible");
    assert!(!articles[2].visible_for_customer);
    assert_eq!(articles[2].channel, "Internal");
    assert_eq!(articles[2].sender_type, "agent");
}

#[tokio::test]
async fn the_transport_answers_500_text_for_what_it_cannot_route_or_read() {
    let sim = sim().await;
    let c = Client::new(&sim, OTAI);
    let (status, text) = c.send("POST", "/Ticket", json!({})).await;
    assert_eq!(status, 500);
    assert!(text.contains("determine Operation"), "{text}");
    let r = reqwest::Client::new()
        .post(format!("{}/ticket-search", c.url))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 500);
    // A GET's body is ignored: the credentials in it do not count.
    let r = reqwest::Client::new()
        .get(format!("{}/Ticket/1", sim.webservice_url(GENERIC)))
        .json(&c.auth())
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["Error"]["ErrorCode"], "TicketGet.AuthFail");
    let r = reqwest::get(format!(
        "{}/otobo/nph-genericinterface.pl/Webservice/Nope/Ticket",
        sim.base_url()
    ))
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 500);
}

#[tokio::test]
async fn the_proxy_limits_and_fails_on_demand() {
    let sim = sim().await;
    let c = Client::new(&sim, GENERIC);
    sim.set_rate_limits(RateLimitConfig::per_minute(2));
    for _ in 0..2 {
        assert_eq!(c.get("/Ticket/1").await.0, 200);
    }
    let r = reqwest::get(format!("{}/Ticket/1", c.url)).await.unwrap();
    assert_eq!(r.status().as_u16(), 429);
    let after: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&after));
    sim.set_rate_limits(RateLimitConfig::unlimited());
    sim.push_faults([Fault::Status(503), Fault::Status(500), Fault::Drop]);
    assert_eq!(c.get("/Ticket/1").await.0, 503);
    assert_eq!(c.get("/Ticket/1").await.0, 500);
    assert!(
        reqwest::get(format!("{}/Ticket/1", c.url)).await.is_err(),
        "dropped"
    );
    assert_eq!(c.get("/Ticket/1").await.0, 200);
    assert!(sim.requests().iter().filter(|r| r.injected).count() >= 3);
}

#[tokio::test]
async fn generated_backlog_and_accuracy() {
    let data = crate::generate::generate(&crate::generate::GenerateOptions::new(50, 4));
    let sim = OtoboSim::start(SimConfig::default().with_data(data))
        .await
        .unwrap();
    assert_eq!(sim.tickets().len(), 50);
    assert_eq!(sim.accuracy().classified, 0, "everything starts in Raw");
    let (id, truth) = sim.truths().into_iter().next().unwrap();
    let queue = sim
        .queues()
        .into_iter()
        .find(|q| q.name == truth.queue)
        .unwrap();
    sim.modify_ticket(id, |t| {
        t.queue_id = queue.id;
        t.priority_id = priority_id_for(truth.priority);
    });
    let acc = sim.accuracy();
    assert_eq!(
        (acc.classified, acc.queue_correct, acc.priority_correct),
        (1, 1, 1)
    );
    assert!(sim.tickets().iter().all(|t| sim.articles(t.id).len() == 1));
}
