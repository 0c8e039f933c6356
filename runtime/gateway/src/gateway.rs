//! One connection's door: check, inject, send, follow redirects hop by hop.

use std::sync::Arc;
use std::time::Duration;

use crate::inject::{add_credential, refuse_adapter_credentials, strip_credential_query};
use crate::{
    Access, Credential, GatewayError, OriginPolicy, PreparedRequest, Redactor, RequestPacer,
    SessionMaterial, Transport,
};

/// HTTP method (the contract's `method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// HEAD
    Head,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    pub(crate) fn as_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Head => reqwest::Method::HEAD,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}

/// What an adapter asks to send.
#[derive(Debug, Clone)]
pub struct OutboundRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL or a path under the base URL.
    pub url: String,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Option<Vec<u8>>,
}

/// What comes back to the adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Response {
    /// First header with this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Caps on what one connection's requests may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatewayLimits {
    /// Largest response body accepted (default 16 MiB).
    pub max_response_bytes: u64,
    /// Per-request timeout (default 30 s).
    pub request_timeout: Duration,
    /// Requests one adapter call may make (default 64).
    pub max_requests_per_call: u32,
    /// Redirect hops followed (default 5).
    pub max_redirects: u32,
}

impl Default for GatewayLimits {
    fn default() -> Self {
        Self {
            max_response_bytes: 16 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            max_requests_per_call: 64,
            max_redirects: 5,
        }
    }
}

/// Requests left to one adapter call; redirect hops count too.
#[derive(Debug, Clone)]
pub struct CallBudget {
    limit: u32,
    used: u32,
}

impl CallBudget {
    /// A fresh budget of `limit` requests.
    pub fn new(limit: u32) -> Self {
        Self { limit, used: 0 }
    }

    /// Requests sent so far.
    pub fn used(&self) -> u32 {
        self.used
    }

    fn take(&mut self) -> Result<(), GatewayError> {
        if self.used >= self.limit {
            return Err(GatewayError::RequestLimit(self.limit));
        }
        self.used += 1;
        Ok(())
    }
}

/// One connection's gateway.
#[derive(Clone)]
pub struct Gateway {
    connection: String,
    policy: OriginPolicy,
    credential: Option<Credential>,
    limits: GatewayLimits,
    transport: Arc<dyn Transport>,
    pacer: Option<Arc<RequestPacer>>,
    redactor: Redactor,
    session: SessionMaterial,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("connection", &self.connection)
            .field("policy", &self.policy)
            .field("credential", &self.credential)
            .field("limits", &self.limits)
            .field("session_material", &self.session)
            .finish()
    }
}

impl Gateway {
    /// A gateway for the connection named `connection` (used in logs).
    pub fn new(
        connection: impl Into<String>,
        policy: OriginPolicy,
        credential: Option<Credential>,
        limits: GatewayLimits,
        transport: Arc<dyn Transport>,
    ) -> Self {
        let redactor = Redactor::for_credential(credential.as_ref());
        Self {
            connection: connection.into(),
            policy,
            credential,
            limits,
            transport,
            pacer: None,
            redactor,
            session: SessionMaterial::default(),
        }
    }

    /// Learn session material from responses under these names instead of the defaults
    /// (see [`SessionMaterial`]).
    pub fn with_session_material(mut self, session: SessionMaterial) -> Self {
        self.session = session;
        self
    }

    /// What this connection redacts: shared by its clones, so the host applies the same
    /// (and what it learnt) to the adapter's log lines and errors.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Space this connection's requests (shared by every clone of the gateway).
    pub fn with_pacer(mut self, pacer: Arc<RequestPacer>) -> Self {
        self.pacer = Some(pacer);
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> GatewayLimits {
        self.limits
    }

    /// The policy in force.
    pub fn policy(&self) -> &OriginPolicy {
        &self.policy
    }

    /// Send an adapter's request with read-write access (see [`Gateway::send_as`]).
    pub async fn send(
        &self,
        request: OutboundRequest,
        budget: &mut CallBudget,
    ) -> Result<Response, GatewayError> {
        self.send_as(request, budget, &Access::ReadWrite).await
    }

    /// Send an adapter's request: refuse what policy or `access` forbids before connecting,
    /// add credentials for the base origin, follow redirects only to allowed origins,
    /// checking each hop as the first; redact secrets from the response.
    pub async fn send_as(
        &self,
        request: OutboundRequest,
        budget: &mut CallBudget,
        access: &Access,
    ) -> Result<Response, GatewayError> {
        let mut url = self.policy.resolve(&request.url)?;
        refuse_adapter_credentials(
            self.credential.as_ref(),
            &request.headers,
            &url,
            request.body.as_deref(),
        )?;
        let mut method = request.method;
        let mut body = request.body;
        for hop in 0..=self.limits.max_redirects {
            if let Some(credential) = &self.credential {
                strip_credential_query(credential, &mut url);
            }
            if hop > 0 {
                self.check_hop(&url, &request.headers, body.as_deref(), hop)?;
            }
            if let Err(denied) = self.policy.check(&url) {
                tracing::warn!(
                    connection = %self.connection,
                    url = %redacted(&url),
                    hop,
                    "refused an adapter request to a non-allowed origin"
                );
                return Err(denied);
            }
            let refusal = access
                .refusal(method, &url, &self.policy)
                .or_else(|| crate::notes::customer_visible(method, &url, body.as_deref()));
            if let Some(why) = refusal {
                tracing::warn!(
                    connection = %self.connection,
                    url = %redacted(&url),
                    hop,
                    "refused an adapter request: {why}"
                );
                return Err(GatewayError::Refused(why));
            }
            budget.take()?;
            let mut headers: Vec<(String, String)> = request
                .headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .collect();
            // `url` and `body` stay as the adapter made them; only this hop's copy carries
            // the credential, so a redirect elsewhere starts clean.
            let mut sent_url = url.clone();
            let mut sent_body = body.clone();
            if let Some(credential) = &self.credential
                && self.policy.carries_credentials(&url)
            {
                sent_body = add_credential(credential, &mut sent_url, &mut headers, sent_body)?;
            }
            let response = self
                .transport
                .send(PreparedRequest {
                    method,
                    url: sent_url,
                    headers,
                    body: sent_body,
                    timeout: self.limits.request_timeout,
                    max_response_bytes: self.limits.max_response_bytes,
                })
                .await?;
            let Some(location) = redirect_target(&response) else {
                return Ok(self.cleaned(response, &url));
            };
            // The target is not echoed: a server may have put credentials into it.
            url = url
                .join(location)
                .map_err(|e| GatewayError::Protocol(format!("bad redirect target: {e}")))?;
            if matches!(response.status, 301..=303) && method != Method::Head {
                method = Method::Get;
                body = None;
            }
        }
        Err(GatewayError::Protocol(format!(
            "more than {} redirects",
            self.limits.max_redirects
        )))
    }

    /// A redirect target gets the checks the adapter's own URL got: no userinfo (reqwest
    /// would turn it into an `Authorization` header), no reserved header, no credential field.
    fn check_hop(
        &self,
        url: &url::Url,
        headers: &[(String, String)],
        body: Option<&[u8]>,
        hop: u32,
    ) -> Result<(), GatewayError> {
        // Not `Protocol`: adapters treat that as transient, and this redirect will not change.
        let refused = if !url.username().is_empty() || url.password().is_some() {
            Some(GatewayError::InvalidRequest(
                "a redirect target carries credentials in its URL; not followed".into(),
            ))
        } else {
            refuse_adapter_credentials(self.credential.as_ref(), headers, url, body)
                .err()
                .map(|e| GatewayError::InvalidRequest(format!("redirect target refused: {e}")))
        };
        match refused {
            Some(e) => {
                tracing::warn!(
                    connection = %self.connection,
                    url = %redacted(url),
                    hop,
                    "refused a redirect: {e}"
                );
                Err(e)
            }
            None => Ok(()),
        }
    }

    /// The response as the adapter may see it: session material learnt (base origin
    /// only), cookies dropped (the adapter may not send them back), secrets redacted.
    fn cleaned(&self, mut response: Response, url: &url::Url) -> Response {
        if self.policy.carries_credentials(url) {
            self.session.learn_from(&response, &self.redactor);
        }
        response.headers.retain(|(name, _)| name != "set-cookie");
        let found = self.redactor.redact_response(&mut response);
        if found > 0 {
            tracing::debug!(
                connection = %self.connection,
                url = %redacted(url),
                found,
                "redacted secrets from a response"
            );
        }
        response
    }
}

fn redirect_target(response: &Response) -> Option<&str> {
    matches!(response.status, 301 | 302 | 303 | 307 | 308)
        .then(|| response.header("location"))
        .flatten()
}

/// The URL without its query: queries may carry the adapter's search terms.
fn redacted(url: &url::Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.to_string()
}
