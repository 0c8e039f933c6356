//! Each redirect hop is checked like the adapter's own URL; read-only calls send no write;
//! what comes back is redacted. A scripted transport records what would have been sent.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use triage_gateway::{
    Access, CallBudget, Credential, Gateway, GatewayError, GatewayLimits, Method, OriginPolicy,
    OutboundRequest, PreparedRequest, ReadRoutes, Response, Secret, SessionMaterial, Transport,
};

/// Answers with the scripted responses in order, then `200 {}`; keeps every request.
#[derive(Default)]
struct Script {
    sent: Mutex<Vec<PreparedRequest>>,
    replies: Mutex<Vec<Response>>,
}

impl Script {
    fn replying(replies: Vec<Response>) -> Arc<Self> {
        let mut replies = replies;
        replies.reverse();
        Arc::new(Self {
            sent: Mutex::default(),
            replies: Mutex::new(replies),
        })
    }

    fn sent(&self) -> Vec<PreparedRequest> {
        self.sent.lock().unwrap().clone()
    }
}

#[async_trait]
impl Transport for Script {
    async fn send(&self, request: PreparedRequest) -> Result<Response, GatewayError> {
        self.sent.lock().unwrap().push(request);
        Ok(self.replies.lock().unwrap().pop().unwrap_or(Response {
            status: 200,
            headers: Vec::new(),
            body: b"{}".to_vec(),
        }))
    }
}

fn redirect(location: &str) -> Response {
    Response {
        status: 302,
        headers: vec![("location".into(), location.into())],
        body: Vec::new(),
    }
}

fn ok(body: &str, headers: &[(&str, &str)]) -> Response {
    Response {
        status: 200,
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

fn gateway(script: &Arc<Script>, credential: Credential) -> Gateway {
    Gateway::new(
        "t",
        OriginPolicy::new("https://desk.example/api", &["https://cdn.example".into()]).unwrap(),
        Some(credential),
        GatewayLimits::default(),
        script.clone(),
    )
}

fn bearer() -> Credential {
    Credential::Bearer(Secret::new("tok-0123456789"))
}

fn get(url: &str) -> OutboundRequest {
    OutboundRequest {
        method: Method::Get,
        url: url.into(),
        headers: Vec::new(),
        body: None,
    }
}

#[tokio::test]
async fn userinfo_in_a_redirect_is_not_followed() {
    let script = Script::replying(vec![redirect("https://user:pw@cdn.example/x")]);
    let gw = gateway(&script, bearer());
    let err = gw
        .send(get("/tickets"), &mut CallBudget::new(10))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GatewayError::InvalidRequest(m) if m.contains("credentials")),
        "{err}"
    );
    assert_eq!(script.sent().len(), 1, "the hop was not sent");
}

#[tokio::test]
async fn a_credential_field_smuggled_into_a_redirect_is_refused() {
    let otobo = Credential::fields([
        ("UserLogin", Secret::new("agent7")),
        ("Password", Secret::new("hunter22")),
    ])
    .unwrap();
    let script = Script::replying(vec![redirect("/api/Ticket?a=1;SessionID=stolen")]);
    let gw = gateway(&script, otobo);
    let err = gw
        .send(get("/Ticket"), &mut CallBudget::new(10))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GatewayError::InvalidRequest(m) if m.contains("SessionID")),
        "{err}"
    );
    assert_eq!(script.sent().len(), 1);
}

#[tokio::test]
async fn a_307_cannot_turn_a_read_only_search_into_a_write_elsewhere() {
    let routes = ReadRoutes::parse("POST /search").unwrap();
    let script = Script::replying(vec![Response {
        status: 307,
        headers: vec![("location".into(), "/api/tickets/1/delete".into())],
        body: Vec::new(),
    }]);
    let gw = gateway(&script, bearer());
    let search = OutboundRequest {
        method: Method::Post,
        url: "/search".into(),
        headers: Vec::new(),
        body: Some(b"{}".to_vec()),
    };
    let err = gw
        .send_as(search, &mut CallBudget::new(10), &Access::ReadOnly(routes))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GatewayError::Refused(m) if m.contains("POST /tickets/1/delete")),
        "{err}"
    );
    assert_eq!(script.sent().len(), 1);
}

#[tokio::test]
async fn read_only_calls_send_no_write() {
    let script = Script::replying(Vec::new());
    let gw = gateway(&script, bearer());
    let access = Access::ReadOnly(ReadRoutes::default());
    for method in [Method::Post, Method::Put, Method::Patch, Method::Delete] {
        let request = OutboundRequest {
            method,
            url: "/tickets/1".into(),
            headers: Vec::new(),
            body: Some(b"{}".to_vec()),
        };
        let err = gw
            .send_as(request, &mut CallBudget::new(10), &access)
            .await
            .unwrap_err();
        assert!(matches!(err, GatewayError::Refused(_)), "{method:?}: {err}");
    }
    assert!(script.sent().is_empty());
    gw.send_as(get("/tickets"), &mut CallBudget::new(10), &access)
        .await
        .unwrap();
    assert_eq!(script.sent().len(), 1);
}

#[tokio::test]
async fn echoed_credentials_and_session_material_are_redacted_and_cookies_dropped() {
    let script = Script::replying(vec![
        ok(
            r#"{"headers":{"authorization":"Bearer tok-0123456789"},"SessionID":"sess-abcdef-1"}"#,
            &[("set-cookie", "s=1"), ("x-echo", "tok-0123456789")],
        ),
        ok(r#"{"seen":"sess-abcdef-1"}"#, &[]),
    ]);
    let gw = gateway(&script, bearer()).with_session_material(SessionMaterial::default());
    let mut budget = CallBudget::new(10);
    let first = gw.send(get("/echo"), &mut budget).await.unwrap();
    let text = String::from_utf8(first.body).unwrap();
    assert_eq!(
        text,
        r#"{"headers":{"authorization":"Bearer ***"},"SessionID":"***"}"#
    );
    assert_eq!(first.headers, [("x-echo".to_owned(), "***".to_owned())]);
    let later = gw.send(get("/later"), &mut budget).await.unwrap();
    assert_eq!(later.body, br#"{"seen":"***"}"#);
    assert_eq!(gw.redactor().redact("log sess-abcdef-1"), "log ***");
}

#[tokio::test]
async fn a_public_note_is_refused_even_in_a_write_call() {
    let script = Script::replying(Vec::new());
    let gw = gateway(&script, bearer());
    let note = OutboundRequest {
        method: Method::Post,
        url: "/tickets/1/notes".into(),
        headers: Vec::new(),
        body: Some(br#"{"body":"hi","private":false}"#.to_vec()),
    };
    let err = gw.send(note, &mut CallBudget::new(10)).await.unwrap_err();
    assert!(matches!(err, GatewayError::Refused(_)), "{err}");
    assert!(script.sent().is_empty());
}
