//! JSON over the host's HTTP door.
//!
//! Paths starting with `/` resolve against the connection's base URL, so an
//! adapter never needs to know the host name. Credentials are added by the host.

use serde::{de::DeserializeOwned, Serialize};

use crate::bindings::triage::adapter::http as host;
pub use host::{HttpError, Method};

use crate::AdapterError;

/// A response with helpers for the usual checks.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Reply {
    /// First header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, AdapterError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            AdapterError::Protocol(format!(
                "HTTP {} body is not the expected JSON: {e}: {}",
                self.status,
                snippet(&self.body)
            ))
        })
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// `Ok(self)` for 2xx, else the error the status means (see
    /// [`crate::errors::from_status`], which `From<&Reply>` calls).
    pub fn ok(self) -> Result<Self, AdapterError> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(AdapterError::from(&self))
        }
    }
}

/// The start of a body, for error messages.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
    text.replace(['\n', '\r'], " ")
}

/// A request being built.
#[derive(Debug, Clone)]
pub struct Request {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Request {
    /// A request with `Accept: application/json`.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: vec![("accept".into(), "application/json".into())],
            body: None,
        }
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.body = Some(serde_json::to_vec(body).expect("request body serialises"));
        self.headers
            .push(("content-type".into(), "application/json".into()));
        self
    }

    /// Send it; transport failures become adapter errors (`From<HttpError>`, in
    /// [`crate::errors`]).
    pub fn send(self) -> Result<Reply, AdapterError> {
        Ok(send_raw(self)?)
    }
}

/// Send without converting transport errors, for adapters that want to tell
/// `denied` from `timeout` themselves.
pub fn send_raw(request: Request) -> Result<Reply, HttpError> {
    let response = host::send(&host::Request {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.body,
    })?;
    Ok(Reply {
        status: response.status,
        headers: response.headers,
        body: response.body,
    })
}

/// GET a path and decode 2xx JSON.
pub fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, AdapterError> {
    Request::new(Method::Get, url).send()?.ok()?.json()
}

/// Send a JSON body and decode the 2xx JSON answer.
pub fn send_json<B: Serialize + ?Sized, T: DeserializeOwned>(
    method: Method,
    url: &str,
    body: &B,
) -> Result<T, AdapterError> {
    Request::new(method, url).json(body).send()?.ok()?.json()
}

/// Percent-encode a query value (RFC 3986 unreserved characters stay).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `rel="next"` target of an RFC 8288 `Link` header.
pub fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().trim_start_matches("rel=").trim_matches('"') == "next");
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_is_found_among_others() {
        let h = r#"<https://a.freshdesk.com/api/v2/tickets?page=1>; rel="prev", <https://a.freshdesk.com/api/v2/tickets?page=3&per_page=100>; rel="next""#;
        assert_eq!(
            next_link(h).unwrap(),
            "https://a.freshdesk.com/api/v2/tickets?page=3&per_page=100"
        );
        assert_eq!(next_link(r#"<x>; rel="prev""#), None);
    }

    #[test]
    fn encode_escapes_reserved() {
        assert_eq!(encode("a b+c@d\"é"), "a%20b%2Bc%40d%22%C3%A9");
    }
}
