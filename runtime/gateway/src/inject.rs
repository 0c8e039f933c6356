//! Where a credential goes on one request, and what an adapter may not set itself. Pure
//! functions on URLs and bodies, so the rules are tested without a network.
//!
//! Header credentials (Basic, Bearer, any header) are added as a header; the adapter may not
//! set that header, `Authorization` or `Cookie`.
//!
//! Field credentials ([`Credential::Fields`]) exist for OTOBO/Znuny's GenericInterface, which
//! reads `UserLogin` + `Password` (or `SessionID`) from the request data on every call, not from
//! a header. Decisions:
//! - **Injection, not a host-made session.** The reference documents credentials on every
//!   call; a session would need the host to know the system's `/Session` route and to handle its
//!   expiry, which is system knowledge that belongs in adapters. An operator who prefers a
//!   session creates one and configures `SessionID` as the (single) field.
//! - **Where:** a request with a body gets the fields as top-level keys of its JSON object (the
//!   body must then be a JSON object: anything else is refused rather than sent without
//!   credentials). A request without a body (GET, OTOBO ignores GET bodies) gets them as query
//!   parameters. Query parameters end up in web-server access logs: operators who mind use POST
//!   routes (OTAI's `/ticket-search` style) or a `SessionID`.
//! - **Only to the base origin**, on every hop: a redirect target is first stripped of any query
//!   parameter named like a field (a server could echo them into `Location`), then the fields
//!   are added again only if that hop goes to the base origin. Extra origins never see them.
//! - **The adapter may not set them:** a request whose query or top-level JSON keys already
//!   name a field (ignoring case) is refused before anything is sent, wherever it goes, so an
//!   adapter can neither override the operator's login nor probe for it.
//! - **Never printed:** errors name the field, never a value; [`crate::PreparedRequest`]'s
//!   `Debug` hides the query and the body; the gateway logs URLs without their query.

use serde_json::{Map, Value};
use url::Url;

use crate::credential::is_reserved_header;
use crate::{Credential, GatewayError};

/// Refuse a request that sets what the host owns: reserved headers, or a credential field in
/// the query or in the top-level keys of a JSON object body.
pub fn refuse_adapter_credentials(
    credential: Option<&Credential>,
    headers: &[(String, String)],
    url: &Url,
    body: Option<&[u8]>,
) -> Result<(), GatewayError> {
    for (name, _) in headers {
        if is_reserved_header(name, credential) {
            return Err(GatewayError::InvalidRequest(format!(
                "header {name:?} is set by the host"
            )));
        }
    }
    let Some(credential) = credential else {
        return Ok(());
    };
    if let Some(field) = credential_field(credential, &query_keys(url)) {
        return Err(GatewayError::InvalidRequest(format!(
            "query parameter {field:?} is a credential the host adds"
        )));
    }
    if let Some(Value::Object(map)) = body
        .filter(|_| !credential.payload_fields().is_empty())
        .and_then(|b| serde_json::from_slice::<Value>(b).ok())
        && let Some(field) = credential_field(credential, &map.keys().cloned().collect::<Vec<_>>())
    {
        return Err(GatewayError::InvalidRequest(format!(
            "body field {field:?} is a credential the host adds"
        )));
    }
    Ok(())
}

/// The names OTOBO/Znuny's GenericInterface authenticates with. With a field credential an
/// adapter may set none of them, not only the configured ones: a `SessionID` it brought
/// would decide alone, whatever login the operator configured.
pub const OTOBO_CREDENTIAL_FIELDS: &[&str] =
    &["UserLogin", "CustomerUserLogin", "Password", "SessionID"];

/// The credential field one of `keys` is spelled like (ignoring ASCII case and surrounding
/// white space), if any: a configured field first, then the other OTOBO names.
fn credential_field(credential: &Credential, keys: &[String]) -> Option<String> {
    let fields = credential.payload_fields();
    if fields.is_empty() {
        return None;
    }
    let spelled = |names: &[&str]| {
        keys.iter().find_map(|k| {
            names
                .iter()
                .find(|f| f.eq_ignore_ascii_case(k.trim()))
                .map(|f| (*f).to_owned())
        })
    };
    let configured: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    spelled(&configured).or_else(|| spelled(OTOBO_CREDENTIAL_FIELDS))
}

/// Every parameter name of a URL's query as a server could read it: split on `&` and on
/// `;` (OTOBO's REST transport, like Perl's CGI, takes both), `+` as a space,
/// percent-decoded.
pub fn query_keys(url: &Url) -> Vec<String> {
    let Some(query) = url.query() else {
        return Vec::new();
    };
    query
        .split(['&', ';'])
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let key = pair.split('=').next().unwrap_or_default().replace('+', " ");
            percent_encoding::percent_decode_str(&key)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// Remove query parameters named like a credential field (from a redirect target).
pub fn strip_credential_query(credential: &Credential, url: &mut Url) {
    let fields = credential.payload_fields();
    if fields.is_empty() || url.query().is_none() {
        return;
    }
    let is_field = |k: &str| fields.iter().any(|(f, _)| f.eq_ignore_ascii_case(k));
    if !url.query_pairs().any(|(k, _)| is_field(&k)) {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_field(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

/// Add `credential` to a request bound for the base origin: a header, or the fields into the
/// JSON object body (query parameters when there is no body). Returns the body to send.
pub fn add_credential(
    credential: &Credential,
    url: &mut Url,
    headers: &mut Vec<(String, String)>,
    body: Option<Vec<u8>>,
) -> Result<Option<Vec<u8>>, GatewayError> {
    if let Some(header) = credential.header() {
        headers.push(header);
        return Ok(body);
    }
    let fields = credential.payload_fields();
    match body.filter(|b| !b.is_empty()) {
        None => {
            let mut query = url.query_pairs_mut();
            for (name, secret) in fields {
                query.append_pair(name, secret.expose());
            }
            drop(query);
            Ok(None)
        }
        Some(bytes) => {
            let mut map: Map<String, Value> = match serde_json::from_slice(&bytes) {
                Ok(Value::Object(map)) => map,
                _ => {
                    return Err(GatewayError::InvalidRequest(
                        "this connection's credentials are fields of a JSON object body, \
                         and the request body is not a JSON object"
                            .into(),
                    ));
                }
            };
            for (name, secret) in fields {
                map.insert(name.clone(), Value::String(secret.expose().to_owned()));
            }
            let bytes = serde_json::to_vec(&Value::Object(map))
                .map_err(|e| GatewayError::InvalidRequest(format!("re-encoding the body: {e}")))?;
            Ok(Some(bytes))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    fn otobo() -> Credential {
        Credential::fields([
            ("UserLogin", Secret::new("agent7")),
            ("Password", Secret::new("p&ss=word")),
        ])
        .unwrap()
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn fields_go_into_a_json_object_body() {
        let mut u = url("https://h/otobo/Webservice/W/ticket-search");
        let mut headers = Vec::new();
        let body = add_credential(
            &otobo(),
            &mut u,
            &mut headers,
            Some(br#"{"Limit":5,"Queues":["Raw"]}"#.to_vec()),
        )
        .unwrap()
        .unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"Limit":5,"Queues":["Raw"],"UserLogin":"agent7","Password":"p&ss=word"})
        );
        assert!(headers.is_empty());
        assert_eq!(u.query(), None, "nothing in the URL when there is a body");
    }

    #[test]
    fn fields_go_into_the_query_without_a_body() {
        let mut u = url("https://h/Ticket/7?DynamicFields=1");
        let body = add_credential(&otobo(), &mut u, &mut Vec::new(), None).unwrap();
        assert!(body.is_none());
        assert_eq!(
            u.query(),
            Some("DynamicFields=1&UserLogin=agent7&Password=p%26ss%3Dword")
        );
        let mut empty = url("https://h/Ticket/7");
        add_credential(&otobo(), &mut empty, &mut Vec::new(), Some(Vec::new())).unwrap();
        assert!(empty.query().unwrap().starts_with("UserLogin="));
    }

    #[test]
    fn a_body_that_is_not_a_json_object_is_refused_without_echoing_it() {
        for body in [&b"[1,2]"[..], b"UserLogin=x", b"\"text\""] {
            let err = add_credential(
                &otobo(),
                &mut url("https://h/x"),
                &mut Vec::new(),
                Some(body.to_vec()),
            )
            .unwrap_err();
            assert!(matches!(err, GatewayError::InvalidRequest(_)), "{err}");
            assert!(!err.to_string().contains("agent7"));
        }
    }

    #[test]
    fn header_credentials_still_add_a_header() {
        let c = Credential::Bearer(Secret::new("tok"));
        let mut headers = Vec::new();
        let mut u = url("https://h/x");
        let body = add_credential(&c, &mut u, &mut headers, Some(b"{}".to_vec())).unwrap();
        assert_eq!(headers, [("authorization".into(), "Bearer tok".into())]);
        assert_eq!(body.as_deref(), Some(&b"{}"[..]));
        assert_eq!(u.query(), None);
    }

    #[test]
    fn adapters_may_not_set_credential_fields() {
        let c = otobo();
        let refused = |u: &str, body: Option<&[u8]>| {
            refuse_adapter_credentials(Some(&c), &[], &url(u), body).unwrap_err()
        };
        let e = refused("https://h/Ticket?userlogin=root", None);
        assert!(e.to_string().contains("\"UserLogin\""), "{e}");
        let e = refused("https://h/x", Some(br#"{"TicketID":1,"Password":"guess"}"#));
        assert!(
            e.to_string().contains("\"Password\"") && !e.to_string().contains("guess"),
            "{e}"
        );
        // Anywhere: extra origins too.
        refused("https://cdn.example/x?Password=1", None);
        // Nested keys and non-JSON bodies are the adapter's own business.
        assert!(
            refuse_adapter_credentials(
                Some(&c),
                &[],
                &url("https://h/x?Title=Password"),
                Some(br#"{"Ticket":{"UserLogin":"x"}}"#)
            )
            .is_ok()
        );
        assert!(
            refuse_adapter_credentials(Some(&c), &[], &url("https://h/x"), Some(b"not json"))
                .is_ok()
        );
        // Header credentials do not reserve body keys.
        let basic = Credential::Bearer(Secret::new("t"));
        assert!(
            refuse_adapter_credentials(Some(&basic), &[], &url("https://h/x?Password=1"), None)
                .is_ok()
        );
        assert!(
            refuse_adapter_credentials(
                Some(&basic),
                &[("Authorization".into(), "x".into())],
                &url("https://h/x"),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn smuggled_fields_are_found_after_semicolons_and_percent_decoding() {
        let c = otobo();
        for query in [
            "Title=x;UserLogin=root",
            "a=1&b=2;%50assword=guess",
            "User%4Cogin=root",
            "%20userlogin=root",
            "SessionID=stolen",
            "x=1;sessionid",
            "CustomerUserLogin=c",
        ] {
            let u = url(&format!("https://h/Ticket?{query}"));
            let err = refuse_adapter_credentials(Some(&c), &[], &u, None).unwrap_err();
            assert!(matches!(err, GatewayError::InvalidRequest(_)), "{query}");
            assert!(!err.to_string().contains("root"), "{err}");
        }
        for fine in ["Title=UserLogin", "q=a%3BPassword%3Dx", "UserLoginX=1"] {
            let u = url(&format!("https://h/Ticket?{fine}"));
            assert!(
                refuse_adapter_credentials(Some(&c), &[], &u, None).is_ok(),
                "{fine}"
            );
        }
        assert_eq!(
            query_keys(&url("https://h/?a+b=1;c%3Dd=2&&e")),
            ["a b", "c=d", "e"]
        );
    }

    #[test]
    fn echoed_fields_are_stripped_from_redirect_targets() {
        let c = otobo();
        let mut u = url("https://cdn.example/a?UserLogin=agent7&page=2&PASSWORD=x");
        strip_credential_query(&c, &mut u);
        assert_eq!(u.as_str(), "https://cdn.example/a?page=2");
        let mut only = url("https://cdn.example/a?Password=x");
        strip_credential_query(&c, &mut only);
        assert_eq!(only.as_str(), "https://cdn.example/a");
        let mut untouched = url("https://cdn.example/a?b=c%20d");
        strip_credential_query(&c, &mut untouched);
        assert_eq!(untouched.as_str(), "https://cdn.example/a?b=c%20d");
    }
}
