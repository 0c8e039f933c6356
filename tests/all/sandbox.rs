//! The sandbox's promises, each checked against real components over loopback:
//! the only door is the gateway, credentials stay in the host, and a hostile
//! adapter is stopped with a typed error while a second adapter keeps working.

use std::time::Duration;

use serde_json::json;
use triage_core::{AdapterError, SandboxFault, TicketAdapter, TicketQuery};
use triage_gateway::{Credential, Secret};
use triage_host::{HostError, WasmAdapter};
use triage_tests::server::TestServer;
use triage_tests::{Connection, adapter_file, load, native, sandbox};

async fn served() -> TestServer {
    let server = TestServer::start().await;
    server.set_tickets(json!([
        {"id": 1, "subject": "Printer on fire", "body": "Smoke.", "tags": ["hw"]},
        {"id": "A-2", "subject": "Invoice twice", "custom_fields": {"cf_plan": "pro"}},
    ]));
    server
}

/// A well-behaved adapter still answers correctly: the witness for every hostile test.
async fn assert_serves(adapter: &WasmAdapter) {
    let page = adapter
        .find_tickets(&TicketQuery::default(), None)
        .await
        .expect("well-behaved call succeeds");
    assert_eq!(page.tickets.len(), 2);
}

#[tokio::test]
async fn http_import_reaches_the_allowed_server() {
    let server = served().await;
    let adapter = Connection::to(&server.url()).connect(&load("probe")).await;
    let page = adapter
        .find_tickets(&TicketQuery::default(), None)
        .await
        .unwrap();
    let subjects: Vec<_> = page.tickets.iter().map(|t| t.subject.as_str()).collect();
    assert_eq!(subjects, ["Printer on fire", "Invoice twice"]);
    assert_eq!(page.tickets[1].id, "A-2");
    assert_eq!(page.tickets[1].custom_fields["cf_plan"], json!("pro"));
    let one = adapter.get_ticket("1").await.unwrap();
    assert_eq!(one.body_text.as_deref(), Some("Smoke."));
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn a_non_allowed_origin_is_refused_without_connecting() {
    let allowed = served().await;
    let other = TestServer::start().await;
    let adapter = Connection::to(&allowed.url()).connect(&load("probe")).await;
    let err = adapter
        .find_tickets(&native(&format!("fetch:{}/steal", other.url())), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AdapterError::Forbidden(m) if m.contains("not allowed")),
        "{err}"
    );
    assert!(
        other.seen().is_empty(),
        "the other listener received {:?}",
        other.seen()
    );
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_refused() {
    let allowed = served().await;
    let other = TestServer::start().await;
    allowed.redirect_to(&format!("{}/landing", other.url()));
    let adapter = Connection::to(&allowed.url()).connect(&load("probe")).await;
    let err = adapter
        .find_tickets(&native("fetch:/redirect"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, AdapterError::Forbidden(_)), "{err}");
    assert_eq!(allowed.seen().len(), 1);
    assert!(other.seen().is_empty());
}

#[tokio::test]
async fn the_credential_reaches_the_server_but_never_the_adapter() {
    let server = served().await;
    let mut connection = Connection::to(&server.url());
    connection.credential = Some(Credential::Basic {
        user: Secret::new("sekrit-api-key"),
        password: Secret::new("X"),
    });
    connection.settings.insert("domain".into(), "acme".into());
    let adapter = connection.connect(&load("probe")).await;

    let fetched = adapter
        .find_tickets(&native("fetch:/whoami"), None)
        .await
        .unwrap();
    let seen = server.seen();
    let auth = seen[0]
        .headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .map(|(_, v)| v.as_str());
    // base64("sekrit-api-key:X")
    assert_eq!(auth, Some("Basic c2Vrcml0LWFwaS1rZXk6WA=="));

    let settings = adapter
        .find_tickets(&native("settings"), None)
        .await
        .unwrap();
    let guest_view = format!("{:?}{:?}", fetched.tickets, settings.tickets);
    for secret in ["sekrit-api-key", "c2Vrcml0LWFwaS1rZXk6WA=="] {
        assert!(
            !guest_view.contains(secret),
            "the adapter saw {secret}: {guest_view}"
        );
    }
    assert!(guest_view.contains("domain=acme"), "{guest_view}");
}

/// Run a hostile query on an adapter tuned by `tune`: the call must fail with
/// `kind`, while a second adapter and the same adapter's next call still work.
async fn assert_contained(tune: impl FnOnce(&mut Connection), query: &str, kind: SandboxFault) {
    let server = served().await;
    let mut connection = Connection::to(&server.url());
    tune(&mut connection);
    let hostile = connection.connect(&load("probe")).await;
    let bystander = Connection::to(&server.url()).connect(&load("probe")).await;
    let err = hostile
        .find_tickets(&native(query), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AdapterError::Sandbox { kind: k, .. } if *k == kind),
        "{query}: {err}"
    );
    assert_serves(&bystander).await;
    assert_serves(&hostile).await;
}

#[tokio::test]
async fn an_infinite_loop_ends_at_the_deadline() {
    let tune = |c: &mut Connection| c.sandbox.call_deadline = Duration::from_millis(300);
    assert_contained(tune, "loop", SandboxFault::Deadline).await;
}

#[tokio::test]
async fn a_memory_bomb_is_stopped_at_the_limit() {
    let tune = |c: &mut Connection| c.sandbox.memory_bytes = 16 << 20;
    assert_contained(tune, "alloc", SandboxFault::Memory).await;
}

#[tokio::test]
async fn a_panic_is_a_trap_for_that_call_only() {
    assert_contained(|_| {}, "panic", SandboxFault::Trap).await;
}

#[tokio::test]
async fn a_response_over_the_cap_is_refused() {
    let server = served().await;
    let mut connection = Connection::to(&server.url());
    connection.gateway.max_response_bytes = 64 * 1024;
    let adapter = connection.connect(&load("probe")).await;
    let err = adapter
        .find_tickets(&native("fetch:/big/200000"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AdapterError::Protocol(m) if m.contains("65536")),
        "{err}"
    );
    let fine = adapter
        .find_tickets(&native("fetch:/big/1000"), None)
        .await
        .unwrap();
    assert_eq!(
        fine.tickets[0].body_text.as_ref().map(String::len),
        Some(1000)
    );
}

#[tokio::test]
async fn too_many_requests_in_one_call_are_cut_off() {
    let server = served().await;
    let mut connection = Connection::to(&server.url());
    connection.gateway.max_requests_per_call = 5;
    let adapter = connection.connect(&load("probe")).await;
    let err = adapter
        .find_tickets(&native("requests:50:/ping"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AdapterError::Protocol(m) if m.contains('5')),
        "{err}"
    );
    assert_eq!(server.seen().len(), 5);
    // The budget is per call: the next call may send again.
    adapter
        .find_tickets(&native("requests:3:/ping"), None)
        .await
        .unwrap();
    assert_eq!(server.seen().len(), 8);
}

#[tokio::test]
async fn reserved_headers_cannot_be_set_by_the_adapter() {
    // The probe adds only harmless headers; the gateway's own check is unit-tested.
    // Here: an adapter cannot smuggle credentials through the URL either.
    let server = served().await;
    let adapter = Connection::to(&server.url()).connect(&load("probe")).await;
    let url = server.url().replace("http://", "http://user:pw@");
    let err = adapter
        .find_tickets(&native(&format!("fetch:{url}/x")), None)
        .await
        .unwrap_err();
    assert!(matches!(err, AdapterError::Protocol(_)), "{err}");
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn another_contract_version_is_refused_naming_both() {
    let err = sandbox()
        .load(&adapter_file("future-contract"), None)
        .err()
        .expect("refused");
    let message = err.to_string();
    assert!(matches!(err, HostError::Contract { .. }), "{message}");
    assert!(message.contains("future-contract.wasm"), "{message}");
    assert!(message.contains("triage:adapter@0.2.0"), "{message}");
    assert!(message.contains("triage:adapter@0.1.x"), "{message}");
}

#[tokio::test]
async fn a_pinned_digest_refuses_a_changed_file() {
    let err = sandbox()
        .load(&adapter_file("probe"), Some(&"0".repeat(64)))
        .err()
        .expect("refused");
    assert!(matches!(err, HostError::Pin { .. }), "{err}");
}

#[tokio::test]
async fn the_second_load_comes_from_the_compile_cache() {
    let first = load("probe");
    let again = load("probe");
    assert!(
        again.from_cache(),
        "first from cache: {}",
        first.from_cache()
    );
    assert_eq!(first.sha256(), again.sha256());
}

#[tokio::test]
async fn a_wasi_component_gets_nothing_from_the_host() {
    let adapter = Connection::to("http://127.0.0.1:9")
        .connect(&load("wasi-probe"))
        .await;
    let page = adapter
        .find_tickets(&TicketQuery::default(), None)
        .await
        .unwrap();
    assert_eq!(
        page.tickets[0].tags,
        ["fs:denied", "file:denied", "env:0", "args:0"]
    );
}
