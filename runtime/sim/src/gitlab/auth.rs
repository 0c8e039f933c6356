//! GitLab's ways in for an API client: a personal, project or group access token as the
//! `PRIVATE-TOKEN` header, or the same token (or an OAuth token) as `Authorization: Bearer`.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

/// The accepted token.
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    pub token: String,
}

impl Credentials {
    /// Whether the request carries the token in either place.
    pub fn accept(&self, headers: &HeaderMap) -> bool {
        if self.token.is_empty() {
            return false;
        }
        if let Some(v) = headers.get("private-token").and_then(|v| v.to_str().ok()) {
            return v.trim() == self.token;
        }
        let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        match value.trim().split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => {
                rest.trim() == self.token
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: &str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
        h
    }

    #[test]
    fn private_token_or_bearer() {
        let c = Credentials {
            token: "t0k".into(),
        };
        assert!(c.accept(&with("PRIVATE-TOKEN", "t0k")));
        assert!(c.accept(&with("authorization", "Bearer t0k")));
        assert!(!c.accept(&with("PRIVATE-TOKEN", "wrong")));
        assert!(!c.accept(&with("authorization", "Basic t0k")));
        assert!(!c.accept(&HeaderMap::new()));
    }
}
