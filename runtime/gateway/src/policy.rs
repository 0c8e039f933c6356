//! Which origins a connection may reach. Pure functions, no I/O.

use url::Url;

use crate::GatewayError;

/// Scheme, host and port: the unit a browser would call an origin.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: String,
    /// Lower-case host name or IP literal.
    pub host: String,
    /// Port, with the scheme's default filled in.
    pub port: u16,
}

impl Origin {
    /// The origin of a URL; `None` for URLs that have no network origin.
    pub fn of(url: &Url) -> Option<Self> {
        let scheme = url.scheme();
        if scheme != "http" && scheme != "https" {
            return None;
        }
        Some(Self {
            scheme: scheme.to_owned(),
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default()?,
        })
    }

    /// Parse `scheme://host[:port]` (a path, if any, is ignored).
    pub fn parse(text: &str) -> Result<Self, String> {
        let url = Url::parse(text).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
        Self::of(&url).ok_or_else(|| format!("{text:?} has no http(s) origin"))
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// The origins one connection may reach, and the base URL that relative paths
/// resolve against. Credentials go to the base origin only.
#[derive(Debug, Clone)]
pub struct OriginPolicy {
    base: Url,
    base_origin: Origin,
    extra: Vec<Origin>,
}

impl OriginPolicy {
    /// A policy allowing `base_url`'s origin and the `extra` ones.
    pub fn new(base_url: &str, extra: &[String]) -> Result<Self, String> {
        let mut base = Url::parse(base_url).map_err(|e| format!("base URL {base_url:?}: {e}"))?;
        let base_origin =
            Origin::of(&base).ok_or_else(|| format!("base URL {base_url:?} is not http(s)"))?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let extra = extra
            .iter()
            .map(|o| Origin::parse(o))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            base,
            base_origin,
            extra,
        })
    }

    /// The base URL, always ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// Resolve what an adapter asked for: an absolute URL, or a path starting with
    /// `/` that is appended to the base URL's path.
    pub fn resolve(&self, requested: &str) -> Result<Url, GatewayError> {
        let url = if let Some(rest) = requested.strip_prefix('/') {
            self.base.join(rest)
        } else {
            Url::parse(requested)
        }
        .map_err(|e| GatewayError::InvalidRequest(format!("URL {requested:?}: {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(GatewayError::InvalidRequest(
                "credentials in the URL are not allowed; the host injects them".into(),
            ));
        }
        Ok(url)
    }

    /// Allow or refuse a URL, before anything is sent.
    pub fn check(&self, url: &Url) -> Result<(), GatewayError> {
        let origin = Origin::of(url)
            .ok_or_else(|| GatewayError::Denied(format!("{} is not an http(s) URL", url)))?;
        if origin == self.base_origin || self.extra.contains(&origin) {
            Ok(())
        } else {
            Err(GatewayError::Denied(format!(
                "origin {origin} is not allowed for this connection"
            )))
        }
    }

    /// Whether credentials may accompany a request to `url`.
    pub fn carries_credentials(&self, url: &Url) -> bool {
        Origin::of(url).as_ref() == Some(&self.base_origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> OriginPolicy {
        OriginPolicy::new(
            "https://acme.freshdesk.com/api/v2",
            &["https://cdn.example.com".into()],
        )
        .unwrap()
    }

    #[test]
    fn paths_resolve_under_the_base_path() {
        let url = policy().resolve("/tickets?page=2").unwrap();
        assert_eq!(
            url.as_str(),
            "https://acme.freshdesk.com/api/v2/tickets?page=2"
        );
    }

    #[test]
    fn base_and_extra_origins_are_allowed_others_are_not() {
        let p = policy();
        for ok in [
            "https://acme.freshdesk.com/x",
            "https://ACME.freshdesk.com:443/y",
            "https://cdn.example.com/a.png",
        ] {
            assert!(p.check(&Url::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        for bad in [
            "http://acme.freshdesk.com/x",
            "https://acme.freshdesk.com:8443/x",
            "https://evil.freshdesk.com/x",
            "https://acme.freshdesk.com.evil.net/x",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(
                    p.check(&Url::parse(bad).unwrap()),
                    Err(GatewayError::Denied(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn credentials_go_to_the_base_origin_only() {
        let p = policy();
        assert!(p.carries_credentials(&Url::parse("https://acme.freshdesk.com/a").unwrap()));
        assert!(!p.carries_credentials(&Url::parse("https://cdn.example.com/a").unwrap()));
    }

    #[test]
    fn userinfo_in_urls_is_refused() {
        assert!(matches!(
            policy().resolve("https://u:p@acme.freshdesk.com/"),
            Err(GatewayError::InvalidRequest(_))
        ));
    }
}
