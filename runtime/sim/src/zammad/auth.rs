//! Token authentication as Rails' `authenticate_with_http_token` reads it: `Token token=abc`,
//! `Token token="abc"`, `Token abc` or `Bearer abc`.
//!
//! Zammad answers a request without credentials with 403 "Authentication required" (an
//! `Exceptions::Forbidden`), and a wrong token with 401 "Can't find User for Token".

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

use super::api_error::ApiError;

/// The outcome of checking one request's credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// No usable `Authorization` header.
    Missing,
    /// A token, but not the right one.
    Wrong,
    /// Basic auth (password access is not simulated).
    WrongBasic,
}

impl Verdict {
    /// The error reply for a failed check.
    pub fn error(&self) -> Option<ApiError> {
        match self {
            Self::Ok => None,
            Self::Missing => Some(ApiError::Forbidden("Authentication required".into())),
            Self::Wrong => Some(ApiError::Unauthorized("Can't find User for Token".into())),
            Self::WrongBasic => Some(ApiError::Unauthorized(
                "Invalid BasicAuth credentials".into(),
            )),
        }
    }
}

/// The token in a `Token …` or `Bearer …` header value.
pub fn token_of(value: &str) -> Option<&str> {
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("token") && !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let rest = rest.trim();
    let raw = rest
        .split([',', ';'])
        .map(str::trim)
        .find_map(|kv| kv.strip_prefix("token="))
        .unwrap_or(rest);
    Some(raw.trim_matches('"'))
}

/// Checks the request's credentials against `token`.
pub fn check(headers: &HeaderMap, token: &str) -> Verdict {
    let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return Verdict::Missing;
    };
    if value
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("basic ")
    {
        return Verdict::WrongBasic;
    }
    match token_of(value) {
        Some(t) if !token.is_empty() && t == token => Verdict::Ok,
        Some(_) => Verdict::Wrong,
        None => Verdict::Missing,
    }
}

/// The header value a client sends for `token`.
pub fn token_header(token: &str) -> String {
    format!("Token token={token}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_forms() {
        for v in [
            "Token token=abc",
            "Token token=\"abc\"",
            "Token abc",
            "Bearer abc",
            "token token=abc",
        ] {
            assert_eq!(token_of(v), Some("abc"), "{v}");
        }
        assert_eq!(token_of("Basic abc"), None);
        let mut h = HeaderMap::new();
        assert_eq!(check(&h, "abc"), Verdict::Missing);
        h.insert(AUTHORIZATION, token_header("abc").parse().unwrap());
        assert_eq!(check(&h, "abc"), Verdict::Ok);
        assert_eq!(check(&h, "other"), Verdict::Wrong);
    }
}
