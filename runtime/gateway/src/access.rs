//! What one adapter call may do: read only, or read and write. Pure functions, no I/O.
//!
//! The host gives every call that has no business writing — `describe`, `find-tickets`,
//! `get-ticket`, `list-*`, and every call of a dry run or of `triage check` — a read-only
//! gateway: GET and HEAD go out, and so do the POST (or other) routes the adapter declares
//! as read-only searches ([`ReadRoutes`], e.g. OTOBO's `POST /ticket-search`, RT's
//! `POST /transactions`), but only to the base origin. Anything else is refused before it is
//! sent ([`crate::GatewayError::Refused`]); the host turns that into a sandbox fault of the
//! call, whatever the adapter makes of the error.
//!
//! A declared route is `METHOD /path` (no query, no wildcards), matched against the end of
//! the request's path at a segment boundary: `POST /ticket-search` allows
//! `POST …/Webservice/W/ticket-search`, wherever the operator's base URL puts the web
//! service, but not `…/ticket-search/x` or `…/my-ticket-search`. It is meant to be read by an
//! operator in `triage adapter inspect`, so it names each route in full.

use std::sync::Arc;

use url::Url;

use crate::{Method, OriginPolicy};

/// One declared read-only route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRoute {
    /// Its method.
    pub method: Method,
    /// Its path below the base URL, starting with `/`.
    pub path: String,
}

impl ReadRoute {
    /// Parse `POST /ticket-search`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (method, path) = text
            .trim()
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("read-only route {text:?}: expected `METHOD /path`"))?;
        let method = match method.to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            other => return Err(format!("read-only route {text:?}: unknown method {other}")),
        };
        let path = path.trim();
        if !path.starts_with('/') || path.contains(['?', '#', ' ']) {
            return Err(format!(
                "read-only route {text:?}: the path must start with `/` and have no query"
            ));
        }
        Ok(Self {
            method,
            path: path.to_owned(),
        })
    }
}

impl std::fmt::Display for ReadRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method.as_reqwest().as_str(), self.path)
    }
}

/// The read-only routes an adapter declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadRoutes(Arc<[ReadRoute]>);

impl ReadRoutes {
    /// These routes.
    pub fn new(routes: impl IntoIterator<Item = ReadRoute>) -> Self {
        Self(routes.into_iter().collect())
    }

    /// Parse one route a line (blank lines and `#` comments skipped).
    pub fn parse(text: &str) -> Result<Self, String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(ReadRoute::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(Self::new)
    }

    /// The routes.
    pub fn routes(&self) -> &[ReadRoute] {
        &self.0
    }

    fn allows(&self, method: Method, url: &Url, policy: &OriginPolicy) -> bool {
        if !policy.carries_credentials(url) {
            return false;
        }
        let path = url.path();
        // Declared paths start with `/`, so a suffix match is at a segment boundary.
        self.0
            .iter()
            .any(|r| r.method == method && path.ends_with(r.path.as_str()))
    }
}

/// What one adapter call may send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Access {
    /// Anything policy allows.
    #[default]
    ReadWrite,
    /// GET and HEAD, plus the adapter's declared read-only routes on the base origin.
    ReadOnly(ReadRoutes),
}

impl Access {
    /// Why `method url` is refused under this access, if it is.
    pub fn refusal(&self, method: Method, url: &Url, policy: &OriginPolicy) -> Option<String> {
        let Self::ReadOnly(routes) = self else {
            return None;
        };
        if matches!(method, Method::Get | Method::Head) || routes.allows(method, url, policy) {
            return None;
        }
        let base = policy.base_url().path().trim_end_matches('/');
        let path = url.path().strip_prefix(base).unwrap_or(url.path());
        Some(format!(
            "this call is read-only, and {} {path} is not a read-only route the adapter declares",
            method.as_reqwest().as_str()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> OriginPolicy {
        OriginPolicy::new(
            "https://h.example/otobo/nph-genericinterface.pl/Webservice/W",
            &["https://cdn.example".into()],
        )
        .unwrap()
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn read_only_allows_reads_and_declared_routes_on_the_base_origin_only() {
        let routes =
            ReadRoutes::parse("POST /ticket-search\n# comment\n\npost /ticket-get\n").unwrap();
        assert_eq!(routes.routes().len(), 2);
        assert_eq!(routes.routes()[1].to_string(), "POST /ticket-get");
        let access = Access::ReadOnly(routes);
        let p = policy();
        let base = "https://h.example/otobo/nph-genericinterface.pl/Webservice/W";
        let refused = |m, u: &str| access.refusal(m, &url(u), &p);
        assert_eq!(refused(Method::Get, &format!("{base}/Ticket/1")), None);
        assert_eq!(refused(Method::Head, "https://cdn.example/x"), None);
        assert_eq!(
            refused(Method::Post, &format!("{base}/ticket-search?x=1")),
            None
        );
        let put = refused(Method::Put, &format!("{base}/ticket-update")).unwrap();
        assert!(put.contains("PUT /ticket-update"), "{put}");
        assert!(refused(Method::Post, &format!("{base}/ticket-search/x")).is_some());
        assert!(refused(Method::Patch, &format!("{base}/ticket-search")).is_some());
        assert!(
            refused(
                Method::Post,
                "https://cdn.example/otobo/nph-genericinterface.pl/Webservice/W/ticket-search"
            )
            .is_some()
        );
        assert_eq!(
            refused(Method::Post, "https://h.example/other/ticket-search"),
            None
        );
        assert!(refused(Method::Post, &format!("{base}/my-ticket-search")).is_some());
        assert_eq!(
            Access::ReadWrite.refusal(Method::Delete, &url(base), &p),
            None
        );
    }

    #[test]
    fn bad_declarations_are_named() {
        for bad in ["POST", "FETCH /x", "POST ticket", "POST /x?y=1"] {
            let err = ReadRoutes::parse(bad).unwrap_err();
            assert!(
                err.contains(bad.split_whitespace().next().unwrap()),
                "{err}"
            );
        }
    }
}
