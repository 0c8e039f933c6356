//! Field credentials (OTOBO's `UserLogin`/`Password`) through the whole gateway, with a
//! transport that records what would have been sent: the base origin gets them, in the body
//! or the query; extra origins never do, not even after a redirect that echoes them.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use triage_gateway::{
    CallBudget, Credential, Gateway, GatewayError, GatewayLimits, Method, OriginPolicy,
    OutboundRequest, PreparedRequest, Response, Secret, Transport,
};

/// Answers from a script (a redirect, or 200) and keeps every request.
#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<PreparedRequest>>,
    redirects: Mutex<Vec<(u16, String)>>,
}

#[async_trait]
impl Transport for Recorder {
    async fn send(&self, request: PreparedRequest) -> Result<Response, GatewayError> {
        self.sent.lock().unwrap().push(request);
        let next = self.redirects.lock().unwrap().pop();
        Ok(match next {
            Some((status, location)) => Response {
                status,
                headers: vec![("location".into(), location)],
                body: Vec::new(),
            },
            None => Response {
                status: 200,
                headers: Vec::new(),
                body: b"{}".to_vec(),
            },
        })
    }
}

fn gateway(recorder: &Arc<Recorder>) -> Gateway {
    let credential = Credential::fields([
        ("UserLogin", Secret::new("agent7")),
        ("Password", Secret::new("hunter2")),
    ])
    .unwrap();
    Gateway::new(
        "otobo",
        OriginPolicy::new(
            "https://helpdesk.example/otobo/nph-genericinterface.pl/Webservice/W",
            &["https://cdn.example".into()],
        )
        .unwrap(),
        Some(credential),
        GatewayLimits::default(),
        recorder.clone(),
    )
}

fn request(method: Method, url: &str, body: Option<&str>) -> OutboundRequest {
    OutboundRequest {
        method,
        url: url.into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.map(|b| b.as_bytes().to_vec()),
    }
}

fn carries_secret(r: &PreparedRequest) -> bool {
    let body = String::from_utf8_lossy(r.body.as_deref().unwrap_or_default()).into_owned();
    let query = r.url.query().unwrap_or_default().to_owned();
    [body, query]
        .iter()
        .any(|s| s.contains("agent7") || s.contains("hunter2"))
}

#[tokio::test]
async fn base_origin_gets_fields_in_the_body_or_the_query() {
    let rec = Arc::new(Recorder::default());
    let gw = gateway(&rec);
    let mut budget = CallBudget::new(10);
    gw.send(
        request(Method::Post, "/ticket-search", Some(r#"{"Limit":10}"#)),
        &mut budget,
    )
    .await
    .unwrap();
    gw.send(
        request(Method::Get, "/Ticket/7?AllArticles=1", None),
        &mut budget,
    )
    .await
    .unwrap();
    let sent = rec.sent.lock().unwrap();
    let body: serde_json::Value = serde_json::from_slice(sent[0].body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"Limit": 10, "UserLogin": "agent7", "Password": "hunter2"})
    );
    assert_eq!(sent[0].url.query(), None);
    assert_eq!(
        sent[1].url.query(),
        Some("AllArticles=1&UserLogin=agent7&Password=hunter2")
    );
    assert!(
        sent.iter()
            .all(|r| !r.headers.iter().any(|(k, _)| k == "authorization"))
    );
}

#[tokio::test]
async fn extra_origins_never_get_them_even_through_an_echoing_redirect() {
    let rec = Arc::new(Recorder::default());
    // The base answers 307 (body kept) to the extra origin, echoing the credentials.
    rec.redirects.lock().unwrap().push((
        307,
        "https://cdn.example/x?UserLogin=agent7&Password=hunter2&keep=1".into(),
    ));
    let gw = gateway(&rec);
    gw.send(
        request(Method::Post, "/ticket-get", Some(r#"{"TicketID":1}"#)),
        &mut CallBudget::new(10),
    )
    .await
    .unwrap();
    gw.send(
        request(Method::Get, "https://cdn.example/logo.png", None),
        &mut CallBudget::new(10),
    )
    .await
    .unwrap();
    let sent = rec.sent.lock().unwrap();
    assert_eq!(sent.len(), 3);
    assert!(carries_secret(&sent[0]), "the base origin authenticates");
    assert_eq!(sent[1].url.as_str(), "https://cdn.example/x?keep=1");
    assert_eq!(
        sent[1].body.as_deref(),
        Some(&br#"{"TicketID":1}"#[..]),
        "the redirected body is the adapter's own"
    );
    assert!(!carries_secret(&sent[1]) && !carries_secret(&sent[2]));
}

#[tokio::test]
async fn a_redirect_back_to_the_base_origin_authenticates_again() {
    let rec = Arc::new(Recorder::default());
    rec.redirects.lock().unwrap().push((
        308,
        "https://helpdesk.example/otobo/moved/ticket-search".into(),
    ));
    let gw = gateway(&rec);
    gw.send(
        request(Method::Post, "/ticket-search", Some("{}")),
        &mut CallBudget::new(10),
    )
    .await
    .unwrap();
    let sent = rec.sent.lock().unwrap();
    assert!(sent.iter().all(carries_secret), "both hops authenticate");
}

#[tokio::test]
async fn adapter_set_fields_and_non_object_bodies_are_refused_before_sending() {
    let rec = Arc::new(Recorder::default());
    let gw = gateway(&rec);
    for (req, what) in [
        (
            request(
                Method::Post,
                "/x",
                Some(r#"{"UserLogin":"root@localhost"}"#),
            ),
            "UserLogin",
        ),
        (request(Method::Get, "/x?password=guess", None), "Password"),
        (
            request(
                Method::Get,
                "https://cdn.example/?SessionID=1&Password=2",
                None,
            ),
            "Password",
        ),
        (request(Method::Post, "/x", Some("[1]")), "JSON object"),
    ] {
        let err = gw.send(req, &mut CallBudget::new(10)).await.unwrap_err();
        assert!(
            matches!(&err, GatewayError::InvalidRequest(m) if m.contains(what)),
            "{err}"
        );
        assert!(!err.to_string().contains("hunter2"));
    }
    assert!(rec.sent.lock().unwrap().is_empty(), "nothing was sent");
    assert!(!format!("{gw:?}").contains("hunter2"));
}
