//! Sending one prepared request. The trait lets benchmarks measure the sandbox
//! without a network; the runtime always uses [`ReqwestTransport`].

use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use url::Url;

use crate::{GatewayError, Method, Response};

/// A request that passed policy, with credentials added. Its `Debug` shows neither the
/// query nor the body, where field credentials travel (see [`crate::inject`]).
#[derive(Clone)]
pub struct PreparedRequest {
    /// Method.
    pub method: Method,
    /// Absolute, allowed URL.
    pub url: Url,
    /// Headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Option<Vec<u8>>,
    /// Give up after this long.
    pub timeout: Duration,
    /// Refuse bodies larger than this.
    pub max_response_bytes: u64,
}

impl std::fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut url = self.url.clone();
        url.set_query(None);
        let header_names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &url.as_str())
            .field("headers", &header_names)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Sends one request and reads the whole (capped) response. Never follows redirects.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Send `request`.
    async fn send(&self, request: PreparedRequest) -> Result<Response, GatewayError>;
}

/// The real transport: reqwest with rustls, redirects off (the gateway follows them
/// itself so that each hop is checked).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A client with redirects disabled and no proxy from the environment.
    pub fn new() -> Result<Self, GatewayError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("triage/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| GatewayError::Connect(format!("building HTTP client: {e}")))?;
        Ok(Self { client })
    }
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: PreparedRequest) -> Result<Response, GatewayError> {
        let cap = request.max_response_bytes;
        // reqwest would turn userinfo into an `Authorization` header; the gateway refuses
        // it on every hop, and this keeps any other caller honest too.
        if !request.url.username().is_empty() || request.url.password().is_some() {
            return Err(GatewayError::InvalidRequest(
                "credentials in the URL are not allowed; the host injects them".into(),
            ));
        }
        let exchange = async {
            let mut builder = self
                .client
                .request(request.method.as_reqwest(), request.url.clone());
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            if let Some(body) = request.body {
                builder = builder.body(body);
            }
            let reply = builder.send().await.map_err(classify)?;
            if reply.content_length().is_some_and(|len| len > cap) {
                return Err(GatewayError::TooLarge(cap));
            }
            let status = reply.status().as_u16();
            let headers = reply
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let mut body = Vec::new();
            let mut stream = reply.bytes_stream();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(classify)?;
                if body.len() as u64 + chunk.len() as u64 > cap {
                    return Err(GatewayError::TooLarge(cap));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Response {
                status,
                headers,
                body,
            })
        };
        tokio::time::timeout(request.timeout, exchange)
            .await
            .map_err(|_| GatewayError::Timeout)?
    }
}

fn classify(e: reqwest::Error) -> GatewayError {
    if e.is_timeout() {
        GatewayError::Timeout
    } else if e.is_connect() || e.is_request() || e.is_body() {
        // Strip the URL: it is the adapter's own, but errors are logged widely.
        GatewayError::Connect(e.without_url().to_string())
    } else {
        GatewayError::Protocol(e.without_url().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_query_body_and_header_values() {
        let r = PreparedRequest {
            method: Method::Post,
            url: Url::parse("https://h/Ticket?UserLogin=agent7&Password=hunter2").unwrap(),
            headers: vec![("authorization".into(), "Bearer tok".into())],
            body: Some(br#"{"Password":"hunter2"}"#.to_vec()),
            timeout: Duration::from_secs(1),
            max_response_bytes: 1,
        };
        let shown = format!("{r:?}");
        for secret in ["agent7", "hunter2", "tok"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("https://h/Ticket") && shown.contains("authorization"));
    }
}
