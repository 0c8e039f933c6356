//! The gateway's promises against the hostile probe adapter, over loopback to real
//! simulators: a credential the system echoes never reaches the adapter, its log or a
//! ticket; read-only calls write nothing and are counted as `denied` faults; a public note
//! is refused; smuggled credential fields and userinfo in a redirect hop are refused.
//!
//! Log lines are captured (every level of the triage crates) into one buffer for the whole
//! binary, so each test's secret is looked for in everything any test logged.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::json;
use triage_core::{AdapterError, Note, SandboxFault, TicketAdapter, TicketQuery};
use triage_gateway::{Credential, Secret};
use triage_service::metered::MeteredAdapter;
use triage_service::metrics::Metrics;
use triage_sim::otobo::RouteStyle;
use triage_tests::server::TestServer;
use triage_tests::{Connection, load, native, otobo, redmine};

/// Start capturing (once per binary); returns everything logged so far.
fn logs() -> String {
    triage_tests::capture::start(crate::LOG_FILTER);
    triage_tests::capture::since(0)
}

fn note(body: &str) -> Note {
    Note {
        subject: None,
        body: body.to_owned(),
        html: false,
    }
}

fn assert_absent(secrets: &[&str], place: &str, text: &str) {
    for secret in secrets {
        assert!(!text.contains(secret), "{secret:?} in {place}: {text}");
    }
}

fn is_denied(err: &AdapterError) -> bool {
    matches!(
        err,
        AdapterError::Sandbox {
            kind: SandboxFault::Denied,
            ..
        }
    )
}

#[tokio::test]
async fn redmine_api_key_read_back_reaches_no_adapter_log_or_issue() {
    logs();
    let sim = redmine::start_generated(5, 3).await;
    let key = sim.api_key().to_owned();
    let adapter = redmine::connection(&sim).connect(&load("probe")).await;

    let fetched = adapter
        .find_tickets(&native("fetch:/my/account.json"), None)
        .await
        .unwrap();
    let seen = fetched.tickets[0].body_text.clone().unwrap_or_default();
    assert!(seen.contains(r#""api_key":"***""#), "{seen}");
    assert_absent(
        &[&key],
        "what the adapter got",
        &format!("{:?}", fetched.tickets),
    );

    let logged = adapter
        .find_tickets(&native("logfetch:/my/account.json"), None)
        .await
        .unwrap();
    assert_absent(&[&key], "what the adapter got", &format!("{logged:?}"));

    // Copy the account into a (private) note of an issue: the write goes through, the key
    // does not.
    let id = redmine::some_ticket_id(&sim);
    let copy = format!(
        "copy:/my/account.json|PUT /issues/{id}.json|{{\"issue\":{{\"notes\":@@,\"private_notes\":true}}}}"
    );
    let returned = adapter.add_note(&id, &note(&copy)).await.unwrap();
    assert_absent(&[&key], "add-note's answer", &format!("{returned:?}"));
    let journals = sim.journals(id.parse().unwrap());
    let written: Vec<&str> = journals.iter().map(|j| j.notes.as_str()).collect();
    assert!(
        written
            .iter()
            .any(|n| n.contains("api_key") && n.contains("***")),
        "{written:?}"
    );
    assert_absent(&[&key], "the issue's journals", &written.join("\n"));

    // The same copy as public notes (no `private_notes: true`) is refused before it leaves.
    let public =
        format!("copy:/my/account.json|PUT /issues/{id}.json|{{\"issue\":{{\"notes\":@@}}}}");
    let err = adapter.add_note(&id, &note(&public)).await.unwrap_err();
    assert!(is_denied(&err), "{err}");
    assert_eq!(sim.journals(id.parse().unwrap()).len(), journals.len());

    // The system did see the key: the read-back really happened.
    let reads = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/my/account.json" && r.authorized)
        .count();
    assert_eq!(reads, 4);
    let log = logs();
    assert!(
        log.contains("fetched /my/account.json"),
        "the probe's log line is missing"
    );
    assert_absent(&[&key], "the log", &log);
}

#[tokio::test]
async fn an_echo_endpoint_returns_neither_the_key_nor_its_base64() {
    logs();
    let server = TestServer::start().await;
    let mut connection = Connection::to(&server.url());
    connection.credential = Some(Credential::Basic {
        user: Secret::new("echo-api-key-771"),
        password: Secret::new("X"),
    });
    let adapter = connection.connect(&load("probe")).await;
    let page = adapter
        .find_tickets(&native("fetch:/echo"), None)
        .await
        .unwrap();
    let seen = format!("{:?}", page.tickets);
    // base64("echo-api-key-771:X") and base64("echo-api-key-771")
    let secrets = [
        "echo-api-key-771",
        "ZWNoby1hcGkta2V5LTc3MTpY",
        "ZWNoby1hcGkta2V5LTc3MQ",
    ];
    assert!(seen.contains("Basic ***"), "{seen}");
    assert_absent(&secrets, "what the adapter got", &seen);
    let sent = &server.seen()[0].headers;
    assert!(
        sent.iter()
            .any(|(k, v)| k == "authorization" && v == "Basic ZWNoby1hcGkta2V5LTc3MTpY"),
        "the server got the credential: {sent:?}"
    );
    assert_absent(&secrets, "the log", &logs());
}

#[tokio::test]
async fn an_otobo_session_minted_from_the_login_is_redacted() {
    logs();
    let sim = otobo::start_generated(5, 4).await;
    let mut connection = otobo::connection(&sim, RouteStyle::Generic);
    connection.settings = BTreeMap::new();
    let adapter = connection.connect(&load("probe")).await;
    let id = otobo::some_ticket_id(&sim);

    // In a read-only call, creating a session is a write: denied, nothing sent.
    let before = sim.requests().len();
    let err = adapter
        .find_tickets(&native("send:POST /Session|{}"), None)
        .await
        .unwrap_err();
    assert!(is_denied(&err), "{err}");
    assert_eq!(sim.requests().len(), before);

    // In a write call the session is created, and the adapter sees it redacted, writes
    // only the redacted form into an internal article.
    let copy = format!(
        "copy:POST /Session|PATCH /Ticket/{id}|{{\"Article\":{{\"Subject\":\"s\",\"Body\":@@,\
         \"CommunicationChannel\":\"Internal\",\"IsVisibleForCustomer\":0,\
         \"ContentType\":\"text/plain; charset=utf8\",\"SenderType\":\"agent\"}}}}"
    );
    let returned = adapter.add_note(&id, &note(&copy)).await.unwrap();
    assert_eq!(returned.as_deref(), Some(r#"{"SessionID":"***"}"#));
    let sessions = sim.session_ids();
    assert_eq!(sessions.len(), 1, "the session was minted");
    let articles = sim.articles(id.parse().unwrap());
    let bodies: Vec<&str> = articles.iter().map(|a| a.body.as_str()).collect();
    assert!(bodies.contains(&r#"{"SessionID":"***"}"#), "{bodies:?}");
    let secrets = [sessions[0].as_str(), sim.password()];
    assert_absent(&secrets, "the articles", &bodies.join("\n"));
    assert_absent(&secrets, "the log", &logs());
}

#[tokio::test]
async fn credential_fields_smuggled_with_semicolons_or_percent_encoding_are_refused() {
    let sim = otobo::start_generated(3, 5).await;
    let adapter = otobo::connection(&sim, RouteStyle::Generic)
        .connect(&load("probe"))
        .await;
    for query in [
        "fetch:/Ticket?Title=x;UserLogin=root@localhost",
        "fetch:/Ticket?Limit=1;Pass%77ord=guess",
        "fetch:/Ticket?sessionid=stolen",
    ] {
        let err = adapter
            .find_tickets(&native(query), None)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, AdapterError::Protocol(m) if m.contains("credential the host adds")),
            "{query}: {err}"
        );
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[tokio::test]
async fn userinfo_in_a_redirect_hop_is_not_followed() {
    let allowed = TestServer::start().await;
    let other = TestServer::start().await;
    allowed.redirect_to(&other.url().replace("http://", "http://user:pw@"));
    let mut connection = Connection::to(&allowed.url());
    connection.extra_origins = vec![other.url()];
    let adapter = connection.connect(&load("probe")).await;
    let err = adapter
        .find_tickets(&native("fetch:/redirect"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AdapterError::Protocol(m) if m.contains("credentials")),
        "{err}"
    );
    assert_eq!(allowed.seen().len(), 1);
    assert!(other.seen().is_empty(), "{:?}", other.seen());
}

#[tokio::test]
async fn writes_in_read_only_calls_are_denied_and_counted() {
    let server = TestServer::start().await;
    server.set_tickets(json!([{"id": 1, "subject": "Printer on fire"}]));
    let adapter = Connection::to(&server.url()).connect(&load("probe")).await;
    let metrics = Metrics::shared();
    let metered = MeteredAdapter::new("test", Arc::new(adapter), metrics.clone());

    // find-tickets is read-only: the probe's PUT is refused, and although the probe swallows
    // the error and answers, the call fails as a sandbox fault.
    let err = metered
        .find_tickets(&native(r#"send:PUT /tickets/1|{"priority":4}"#), None)
        .await
        .unwrap_err();
    assert!(is_denied(&err), "{err}");
    assert!(err.to_string().contains("PUT /tickets/1"), "{err}");

    // A dry run's view: add-note is read-only too.
    let dry = metered
        .read_only()
        .expect("a wasm adapter has a read-only view");
    let err = dry.add_note("1", &note("hello")).await.unwrap_err();
    assert!(is_denied(&err), "{err}");
    let writes: Vec<String> = server
        .seen()
        .iter()
        .filter(|s| s.method != "GET" && s.method != "HEAD")
        .map(|s| format!("{} {}", s.method, s.uri))
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
    let exposed = metrics.encode();
    assert!(
        exposed.contains(r#"triage_sandbox_faults_total{connection="test",kind="denied"} 2"#),
        "{exposed}"
    );

    // The same adapter may write in a write call, and still serves reads.
    metered.add_note("1", &note("hello")).await.unwrap();
    assert!(
        server
            .seen()
            .iter()
            .any(|s| s.method == "POST" && s.uri == "/tickets/1/notes")
    );
    let page = metered
        .find_tickets(&TicketQuery::default(), None)
        .await
        .unwrap();
    assert_eq!(page.tickets.len(), 1);
}

#[tokio::test]
async fn a_note_marked_public_is_refused() {
    let server = TestServer::start().await;
    let mut connection = Connection::to(&server.url());
    connection
        .settings
        .insert("note_private".into(), "false".into());
    let adapter = connection.connect(&load("probe")).await;
    let err = adapter.add_note("1", &note("visible?")).await.unwrap_err();
    assert!(is_denied(&err), "{err}");
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[tokio::test]
async fn a_secret_the_adapter_knows_is_cut_from_its_log_lines_and_errors() {
    logs();
    let server = TestServer::start().await;
    let mut connection = Connection::to(&server.url());
    connection.credential = Some(Credential::Bearer(Secret::new("bearer-leak-90210")));
    // As if the adapter had learnt the secret some other way.
    connection
        .settings
        .insert("known".into(), "bearer-leak-90210".into());
    let adapter = connection.connect(&load("probe")).await;
    let err = adapter
        .find_tickets(&native("leak:known"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AdapterError::Protocol(m) if m == "failed, the secret is ***"),
        "{err}"
    );
    let log = logs();
    assert!(
        log.contains("the secret is ***"),
        "the probe's log line is missing"
    );
    assert_absent(&["bearer-leak-90210"], "the log", &log);
}

#[tokio::test]
async fn inspect_shows_the_declared_read_only_routes() {
    let otobo = triage_host::inspect_file(
        &triage_tests::sandbox(),
        &triage_tests::adapter_file("otobo"),
    )
    .await
    .unwrap();
    assert_eq!(
        otobo.read_routes,
        Ok(vec![
            "POST /ticket-search".to_owned(),
            "POST /ticket-get".to_owned()
        ])
    );
    let probe = triage_host::inspect_file(
        &triage_tests::sandbox(),
        &triage_tests::adapter_file("probe"),
    )
    .await
    .unwrap();
    assert_eq!(probe.read_routes, Ok(Vec::new()));
}
