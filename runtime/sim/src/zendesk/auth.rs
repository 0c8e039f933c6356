//! Zendesk's two ways in for an API client: HTTP Basic with `{email}/token` as the user and
//! the API token as the password, or an OAuth access token as `Authorization: Bearer`.
//! Password Basic auth (`{email}:{password}`) is off, as on accounts created since 2024.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

use crate::freshdesk::auth::{base64_decode, base64_encode};

/// The accepted credentials.
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    pub email: String,
    pub api_token: String,
    pub oauth_token: String,
}

impl Credentials {
    /// Whether the request carries one of them.
    pub fn accept(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let Some((scheme, rest)) = value.trim().split_once(' ') else {
            return false;
        };
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("bearer") {
            return !self.oauth_token.is_empty() && rest == self.oauth_token;
        }
        if !scheme.eq_ignore_ascii_case("basic") {
            return false;
        }
        let Some(text) = base64_decode(rest).and_then(|b| String::from_utf8(b).ok()) else {
            return false;
        };
        let Some((user, password)) = text.split_once(':') else {
            return false;
        };
        let Some(email) = user.strip_suffix("/token") else {
            return false;
        };
        !self.api_token.is_empty()
            && email.eq_ignore_ascii_case(&self.email)
            && password == self.api_token
    }
}

/// `Basic base64({email}/token:{token})`.
pub fn basic_header(email: &str, api_token: &str) -> String {
    format!(
        "Basic {}",
        base64_encode(format!("{email}/token:{api_token}").as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            email: "a@b.c".into(),
            api_token: "t0k".into(),
            oauth_token: "oa".into(),
        }
    }

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, value.parse().unwrap());
        h
    }

    #[test]
    fn token_basic_or_bearer() {
        let c = creds();
        assert!(c.accept(&with(&basic_header("a@b.c", "t0k"))));
        assert!(c.accept(&with(&basic_header("A@B.C", "t0k"))));
        assert!(!c.accept(&with(&basic_header("a@b.c", "wrong"))));
        // A password login (no `/token`) is refused even with the right secret.
        let password = format!("Basic {}", base64_encode(b"a@b.c:t0k"));
        assert!(!c.accept(&with(&password)));
        assert!(c.accept(&with("Bearer oa")));
        assert!(!c.accept(&with("Bearer t0k")));
        assert!(!c.accept(&HeaderMap::new()));
    }
}
