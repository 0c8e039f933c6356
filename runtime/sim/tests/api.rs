//! The Freshdesk API surface over real HTTP: auth, list paging, tickets, search, notes, metadata.

mod common;

use chrono::Duration;
use common::{Sim, next_link, status, ticket, validation};
use serde_json::{Value, json};
use triage_sim::freshdesk::{GROUP_ID_BASE, SimConfig};

async fn sim_with(tickets: Vec<triage_sim::freshdesk::Ticket>) -> Sim {
    let sim = Sim::start(SimConfig::default()).await;
    for t in tickets {
        sim.handle.insert_ticket(t).unwrap();
    }
    sim
}

#[tokio::test]
async fn basic_auth_with_any_password() {
    let sim = sim_with(vec![ticket("a", Duration::hours(1))]).await;
    let ok = sim
        .http
        .get(sim.url("/tickets"))
        .basic_auth(sim.handle.api_key(), Some("unused_with_api_key"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let header = sim
        .http
        .get(sim.url("/tickets"))
        .header("authorization", sim.handle.auth_header())
        .send()
        .await
        .unwrap();
    assert_eq!(header.status(), 200);

    let expected = json!({"code": "invalid_credentials", "message": "You have to be logged in to perform this action."});
    let wrong = sim
        .http
        .get(sim.url("/tickets"))
        .basic_auth("wrong-key", Some("X"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().contains_key("x-ratelimit-remaining"));
    assert_eq!(wrong.json::<Value>().await.unwrap(), expected);
    let missing = sim.http.get(sim.url("/tickets/1")).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    assert_eq!(missing.json::<Value>().await.unwrap(), expected);

    let log = sim.handle.requests();
    assert_eq!(log.len(), 4);
    assert_eq!(
        log.iter().map(|r| r.authorized).collect::<Vec<_>>(),
        [true, true, false, false]
    );
    assert_eq!(log[3].status, Some(401));
    assert_eq!(log[3].path, "/api/v2/tickets/1");
}

#[tokio::test]
async fn list_pages_with_link_header_and_default_window() {
    let mut tickets: Vec<_> = (0..75)
        .map(|i| ticket(&format!("recent {i}"), Duration::minutes(200 - i)))
        .collect();
    tickets.insert(0, ticket("old", Duration::days(45)));
    let sim = sim_with(tickets).await;

    // Default: 30 per page, newest first, only the last 30 days, no description.
    let r = sim.get("/tickets").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let link = next_link(&r).expect("more pages");
    assert_eq!(
        link,
        format!("{}/api/v2/tickets?page=2", sim.handle.base_url())
    );
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 30);
    assert_eq!(page[0]["subject"], "recent 74");
    assert!(page[0].get("description").is_none() && page[0].get("description_text").is_none());
    assert!(page[0].get("stats").is_none() && page[0].get("requester").is_none());

    // Follow links to the end: 75 recent tickets, the old one stays out.
    let mut seen = page.len();
    let mut url = Some(link);
    let mut pages = 1;
    while let Some(u) = url {
        let r = sim
            .http
            .get(&u)
            .basic_auth(sim.handle.api_key(), Some("X"))
            .send()
            .await
            .unwrap();
        url = next_link(&r);
        seen += r.json::<Vec<Value>>().await.unwrap().len();
        pages += 1;
    }
    assert_eq!((seen, pages), (75, 3));

    // updated_since lifts the window; params survive in the link.
    let since = "2000-01-01T00:00:00Z";
    let r = sim
        .get(&format!("/tickets?updated_since={since}&per_page=50&order_by=created_at&order_type=asc&include=description"))
        .send()
        .await
        .unwrap();
    let link = next_link(&r).unwrap();
    assert!(
        link.contains("updated_since=2000-01-01T00%3A00%3A00Z"),
        "{link}"
    );
    assert!(
        link.contains("per_page=50") && link.contains("page=2") && link.contains("order_type=asc"),
        "{link}"
    );
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 50);
    assert_eq!(page[0]["subject"], "old");
    assert_eq!(page[0]["description_text"], "old");
    let r = sim
        .http
        .get(&link)
        .basic_auth(sim.handle.api_key(), Some("X"))
        .send()
        .await
        .unwrap();
    assert!(next_link(&r).is_none(), "no link on the last page");
    assert_eq!(r.json::<Vec<Value>>().await.unwrap().len(), 26);
}

#[tokio::test]
async fn list_limits_and_validation() {
    let sim = sim_with(vec![ticket("a", Duration::hours(1))]).await;
    let r = sim.get("/tickets?page=301").send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.text().await.unwrap(),
        r#"{"description":"Validation failed","errors":[{"field":"page","message":"You cannot access tickets beyond the 300th page. Please provide a smaller page number.","code":"invalid_value"}]}"#
    );
    let r = sim.get("/tickets?page=300").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Vec<Value>>().await.unwrap().len(), 0);

    for (q, field) in [
        ("per_page=101", "per_page"),
        ("order_by=subject", "order_by"),
        ("order_type=up", "order_type"),
        ("filter=mine", "filter"),
        ("include=conversations", "include"),
        ("updated_since=yesterday", "updated_since"),
    ] {
        let r = sim.get(&format!("/tickets?{q}")).send().await.unwrap();
        assert_eq!(r.status(), 400, "{q}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["errors"][0]["field"], field, "{q}");
        assert_eq!(body["errors"][0]["code"], "invalid_value", "{q}");
    }
    let r = sim.get("/tickets?bogus=1").send().await.unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        validation(
            json!([{"field":"bogus","message":"Unexpected/invalid field in request","code":"invalid_field"}])
        )
    );
}

#[tokio::test]
async fn list_filters_and_includes() {
    let mut spam = ticket("spam", Duration::hours(2));
    spam.spam = true;
    let mut other = ticket("other requester", Duration::hours(3));
    other.requester_id = 77;
    other.company_id = Some(9);
    let sim = sim_with(vec![ticket("mine", Duration::hours(1)), spam, other]).await;
    let subjects = |v: Vec<Value>| {
        v.iter()
            .map(|t| t["subject"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };

    let all: Vec<Value> = sim.get_json("/tickets").await;
    assert_eq!(subjects(all), ["mine", "other requester"]);
    let spam: Vec<Value> = sim.get_json("/tickets?filter=spam").await;
    assert_eq!(subjects(spam), ["spam"]);
    let by_req: Vec<Value> = sim.get_json("/tickets?requester_id=77").await;
    assert_eq!(subjects(by_req), ["other requester"]);
    let by_company: Vec<Value> = sim.get_json("/tickets?company_id=9").await;
    assert_eq!(subjects(by_company), ["other requester"]);
    let email = sim.handle.contact(77).unwrap().email;
    let by_email: Vec<Value> = sim
        .get(&format!("/tickets?email={}", email.replace('@', "%40")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(subjects(by_email), ["other requester"]);

    let full: Vec<Value> = sim
        .get_json("/tickets?include=requester,stats,description&order_type=asc")
        .await;
    assert_eq!(full[0]["subject"], "other requester");
    assert_eq!(full[0]["requester"]["id"], 77);
    assert!(full[0]["stats"].is_object());
    assert_eq!(full[0]["description"], "<div>other requester</div>");
    let t = &full[1];
    assert!(t["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        t["created_at"].as_str().unwrap().len(),
        20,
        "2016-05-18T04:36:04Z form"
    );
    for key in [
        "group_id",
        "priority",
        "status",
        "tags",
        "custom_fields",
        "updated_at",
        "type",
        "responder_id",
    ] {
        assert!(t.get(key).is_some(), "{key}");
    }
}

#[tokio::test]
async fn view_and_update_ticket() {
    let mut t = ticket("printer on fire", Duration::hours(5));
    t.tags = vec!["keep".into(), "old".into()];
    let sim = sim_with(vec![t]).await;
    let before = sim.handle.ticket(1).unwrap();

    let view: Value = sim.get_json("/tickets/1").await;
    assert_eq!(view["description_text"], "printer on fire");
    assert_eq!(status(sim.get("/tickets/99")).await, 404);
    assert_eq!(status(sim.get("/tickets/abc")).await, 404);

    let gid = sim.handle.group_id("IT Support").unwrap();
    assert_eq!(gid, GROUP_ID_BASE + 3);
    let r = sim
        .put(
            "/tickets/1",
            json!({"group_id": gid, "priority": 4, "status": 7, "tags": ["keep", "triaged"],
                   "custom_fields": {"cf_language": "de", "cf_triage_confidence": 93}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let updated: Value = r.json().await.unwrap();
    assert_eq!(updated["group_id"], gid);
    assert_eq!(updated["priority"], 4);
    assert_eq!(updated["status"], 7);
    assert_eq!(
        updated["tags"],
        json!(["keep", "triaged"]),
        "tags replace the list"
    );
    assert_eq!(updated["custom_fields"]["cf_language"], "de");
    assert_eq!(updated["description_text"], "printer on fire");
    let after = sim.handle.ticket(1).unwrap();
    assert!(after.updated_at > before.updated_at);
    assert_eq!(after.group_id, Some(gid));

    // Unassigning works with null.
    let r: Value = sim
        .put("/tickets/1", json!({"group_id": null}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["group_id"], Value::Null);
    assert_eq!(
        status(sim.put("/tickets/99", json!({"priority": 2}))).await,
        404
    );
}

#[tokio::test]
async fn update_validation_bodies() {
    let sim = sim_with(vec![ticket("x", Duration::hours(1))]).await;
    let cases = [
        (
            json!({"status": "open"}),
            json!([{"field":"status","message":"Value set is of type String.It should be one of these values: '2,3,4,5,6,7'","code":"datatype_mismatch"}]),
        ),
        (
            json!({"status": 9}),
            json!([{"field":"status","message":"It should be one of these values: '2,3,4,5,6,7'","code":"invalid_value"}]),
        ),
        (
            json!({"priority": 5}),
            json!([{"field":"priority","message":"It should be one of these values: '1,2,3,4'","code":"invalid_value"}]),
        ),
        (
            json!({"group_id": 12345}),
            json!([{"field":"group_id","message":"There is no group matching the given group_id","code":"invalid_value"}]),
        ),
        (
            json!({"group_id": "IT Support"}),
            json!([{"field":"group_id","message":"Value set is of type String.It should be a/an Positive Integer","code":"datatype_mismatch"}]),
        ),
        (
            json!({"queue": "IT Support"}),
            json!([{"field":"queue","message":"Unexpected/invalid field in request","code":"invalid_field"}]),
        ),
        (
            json!({"type": "Question?"}),
            json!([{"field":"type","message":"It should be one of these values: 'Question,Incident,Problem,Feature Request,Refund'","code":"invalid_value"}]),
        ),
        (
            json!({"tags": "a,b"}),
            json!([{"field":"tags","message":"Value set is of type String.It should be a/an Array","code":"datatype_mismatch"}]),
        ),
        (
            json!({"custom_fields": {"cf_support_plan": "Gold"}}),
            json!([{"field":"custom_fields.cf_support_plan","message":"It should be one of these values: 'Basic,Premium,Enterprise'","code":"invalid_value"}]),
        ),
        (
            json!({"custom_fields": {"cf_nope": 1}}),
            json!([{"field":"custom_fields.cf_nope","message":"Unexpected/invalid field in request","code":"invalid_field"}]),
        ),
        (
            json!({"custom_fields": {"cf_triage_confidence": "high"}}),
            json!([{"field":"custom_fields.cf_triage_confidence","message":"Value set is of type String.It should be a/an Integer","code":"datatype_mismatch"}]),
        ),
    ];
    for (body, errors) in cases {
        let r = sim.put("/tickets/1", body.clone()).send().await.unwrap();
        assert_eq!(r.status(), 400, "{body}");
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            validation(errors),
            "{body}"
        );
    }
    // Several problems are reported together, and nothing is applied.
    let r = sim
        .put(
            "/tickets/1",
            json!({"priority": 0, "foo": 1, "group_id": GROUP_ID_BASE}),
        )
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    assert_eq!(sim.handle.ticket(1).unwrap().group_id, None);

    let r = sim
        .http
        .put(sim.url("/tickets/1"))
        .basic_auth(sim.handle.api_key(), Some("X"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["code"],
        "invalid_json"
    );
    let r = sim
        .http
        .put(sim.url("/tickets/1"))
        .basic_auth(sim.handle.api_key(), Some("X"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
}

#[tokio::test]
async fn search_grammar() {
    let mk = |s: &str, status: u32, priority: u32, tags: &[&str], days: i64| {
        let mut t = ticket(s, Duration::days(days));
        t.status = status;
        t.priority = priority;
        t.tags = tags.iter().map(|x| x.to_string()).collect();
        t
    };
    let mut grouped = mk("grouped", 3, 2, &[], 3);
    grouped.group_id = Some(GROUP_ID_BASE + 1);
    grouped
        .custom_fields
        .insert("cf_language".into(), json!("de"));
    let sim = sim_with(vec![
        mk("open urgent vip", 2, 4, &["vip"], 1),
        mk("open low", 2, 1, &[], 2),
        grouped,
        mk("old closed", 5, 3, &["vip", "x"], 400),
    ])
    .await;
    let search = |q: &str| {
        let url = format!("/search/tickets?query={}", urlencode(q));
        sim.get(&url).send()
    };
    let subjects = |v: &Value| {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["subject"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let cases: &[(&str, &[&str])] = &[
        ("\"status:2\"", &["open urgent vip", "open low"]),
        ("\"priority:>3\"", &["open urgent vip", "old closed"]),
        ("\"priority:>4\"", &["open urgent vip"]),
        ("\"priority:<1 OR tag:'x'\"", &["open low", "old closed"]),
        ("\"tag:'vip' AND status:2\"", &["open urgent vip"]),
        ("\"(status:2 OR status:3) AND priority:<1\"", &["open low"]),
        ("\"group_id:null AND tag:null\"", &["open low"]),
        (&format!("\"group_id:{}\"", GROUP_ID_BASE + 1), &["grouped"]),
        ("\"cf_language:'de'\"", &["grouped"]),
        (
            "\"created_at:<'2024-01-01' OR created_at:>'2999-01-01'\"",
            &[],
        ),
        ("\"type:null AND status:5\"", &["old closed"]),
    ];
    for (q, want) in cases {
        let r = search(q).await.unwrap();
        assert_eq!(r.status(), 200, "{q}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(subjects(&body), *want, "{q}");
        assert_eq!(body["total"], want.len(), "{q}");
    }
    let recent = chrono::Utc::now() - Duration::days(30);
    let q = format!("\"created_at:>'{}'\"", recent.format("%Y-%m-%d"));
    let body: Value = search(&q).await.unwrap().json().await.unwrap();
    assert_eq!(body["total"], 3);

    for bad in [
        "status:2",
        "'status:2'",
        "\"subject:'x'\"",
        "\"status:\"",
        "\"status:2 AND\"",
    ] {
        let r = search(bad).await.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["errors"][0]["field"], "query", "{bad}");
    }
    let long = format!("\"{}\"", "status:2 OR ".repeat(50) + "status:3");
    assert_eq!(search(&long).await.unwrap().status(), 400);
    let r = sim
        .get("/search/tickets?query=%22status:2%22&page=11")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["field"],
        "page"
    );
}

#[tokio::test]
async fn search_pages_of_thirty_up_to_ten() {
    let tickets = (0..350)
        .map(|i| ticket(&format!("t{i}"), Duration::minutes(1000 - i)))
        .collect();
    let sim = sim_with(tickets).await;
    let page = |p: u32| {
        sim.get(&format!(
            "/search/tickets?query=%22status:2%22&page={p}&per_page=100"
        ))
        .send()
    };
    let first: Value = page(1).await.unwrap().json().await.unwrap();
    assert_eq!(first["results"].as_array().unwrap().len(), 30);
    assert_eq!(first["total"], 350);
    assert_eq!(first["results"][0]["subject"], "t349");
    let tenth = page(10).await.unwrap();
    assert!(tenth.headers().get("link").is_none());
    let tenth: Value = tenth.json().await.unwrap();
    assert_eq!(tenth["results"].as_array().unwrap().len(), 30);
    assert_eq!(tenth["results"][29]["subject"], "t50");
}

#[tokio::test]
async fn notes_are_private_by_default() {
    let sim = sim_with(vec![ticket("x", Duration::hours(1))]).await;
    let before = sim.handle.ticket(1).unwrap().updated_at;
    let r = sim
        .post(
            "/tickets/1/notes",
            json!({"body": "<b>Queue:</b> IT Support (0.93)"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let note: Value = r.json().await.unwrap();
    assert_eq!(note["private"], true);
    assert_eq!(note["ticket_id"], 1);
    assert_eq!(note["body_text"], "Queue: IT Support (0.93)");
    assert_eq!(note["incoming"], false);
    let r: Value = sim
        .post(
            "/tickets/1/notes",
            json!({"body": "public", "private": false}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["private"], false);
    let notes = sim.handle.notes(1);
    assert_eq!(notes.len(), 2);
    assert!(notes[0].private && !notes[1].private);
    assert!(sim.handle.ticket(1).unwrap().updated_at >= before);

    let conv: Vec<Value> = sim.get_json("/tickets/1/conversations?per_page=1").await;
    assert_eq!(conv.len(), 1);

    let r = sim
        .post("/tickets/1/notes", json!({"private": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        validation(
            json!([{"field":"body","message":"It should be a/an String","code":"missing_field"}])
        )
    );
    let r = sim
        .post("/tickets/1/notes", json!({"body": "x", "internal": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["code"],
        "invalid_field"
    );
    assert_eq!(
        status(sim.post("/tickets/42/notes", json!({"body": "x"}))).await,
        404
    );
}

#[tokio::test]
async fn groups_and_ticket_fields() {
    let sim = sim_with(vec![]).await;
    let r = sim.get("/groups?per_page=4").send().await.unwrap();
    assert!(
        next_link(&r)
            .unwrap()
            .ends_with("/api/v2/groups?per_page=4&page=2")
    );
    let mut names = Vec::new();
    for p in 1..=3 {
        let page: Vec<Value> = sim.get_json(&format!("/groups?per_page=4&page={p}")).await;
        names.extend(page.iter().map(|g| g["name"].as_str().unwrap().to_owned()));
    }
    assert_eq!(names, triage_sim::freshdesk::QUEUES);

    let fields: Vec<Value> = sim.get_json("/ticket_fields").await;
    let status = fields.iter().find(|f| f["name"] == "status").unwrap();
    assert_eq!(
        status["choices"]["6"],
        json!(["Waiting on Customer", "Waiting on Customer"])
    );
    let priority = fields.iter().find(|f| f["name"] == "priority").unwrap();
    assert_eq!(priority["choices"]["Urgent"], 4);
    let group = fields.iter().find(|f| f["name"] == "group").unwrap();
    assert_eq!(group["choices"]["General Inquiry"], GROUP_ID_BASE + 9);
    let plan = fields
        .iter()
        .find(|f| f["name"] == "cf_support_plan")
        .unwrap();
    assert_eq!(plan["type"], "custom_dropdown");
    let only: Vec<Value> = sim.get_json("/ticket_fields?type=default_status").await;
    assert_eq!(only.len(), 1);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn list_reflects_changes_between_pages() {
    let tickets = (0..40)
        .map(|i| ticket(&format!("t{i}"), Duration::minutes(100 - i)))
        .collect();
    let sim = sim_with(tickets).await;
    let url = "/tickets?order_by=updated_at&order_type=asc&updated_since=2000-01-01";
    let first: Vec<Value> = sim.get_json(url).await;
    assert_eq!(first[0]["id"], 1);
    // Updating ticket 1 moves it to the end of the updated_at order.
    let r = sim
        .put("/tickets/1", json!({"priority": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let again: Vec<Value> = sim.get_json(url).await;
    assert_eq!(again[0]["id"], 2);
    let last: Vec<Value> = sim.get_json(&format!("{url}&page=2")).await;
    assert_eq!(last.last().unwrap()["id"], 1);
    assert!(sim.handle.modify_ticket(2, |t| t.spam = true));
    let after: Vec<Value> = sim.get_json(url).await;
    assert_eq!(after[0]["id"], 3);
}

#[tokio::test]
async fn accuracy_counts_classified_tickets() {
    let sim = common::Sim::generated(20).await;
    assert_eq!(sim.handle.accuracy().labelled, 20);
    assert_eq!(sim.handle.accuracy().classified, 0);
    let truth = sim.handle.truth(1).unwrap();
    let gid = sim.handle.group_id(&truth.queue).unwrap();
    let body = json!({"group_id": gid, "priority": truth.priority.code()});
    assert_eq!(status(sim.put("/tickets/1", body)).await, 200);
    let acc = sim.handle.accuracy();
    assert_eq!(
        (acc.classified, acc.queue_correct, acc.priority_correct),
        (1, 1, 1)
    );
    assert_eq!(acc.queue_rate(), 1.0);
}
