//! Request parameters the Rails way: query string and JSON body merged into one map, read
//! with Ruby's lenient conversions (`"12abc".to_i == 12`, `"abc".to_i == 0`).
//!
//! Rails parses a body as JSON only when it is sent as `application/json`; any other body is
//! ignored, so a PUT without that content type changes nothing and still answers 200.

use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

use super::api_error::ApiError;

/// Merged parameters.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Map<String, Value>);

/// Ruby's `String#to_i`: optional sign and leading digits, else 0.
pub fn to_i(s: &str) -> i64 {
    let s = s.trim_start();
    let (sign, digits) = match s.as_bytes().first() {
        Some(b'-') => (-1, &s[1..]),
        Some(b'+') => (1, &s[1..]),
        _ => (1, s),
    };
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse::<i64>().map_or(0, |n| sign * n)
}

impl Params {
    /// The query string's parameters (all strings).
    pub fn query(raw: Option<&str>) -> Self {
        let mut m = Map::new();
        if let Some(q) = raw {
            for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
                m.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
        Self(m)
    }

    /// Query parameters plus a JSON object body, when the body is sent as JSON.
    pub fn with_body(
        raw: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Self, ApiError> {
        let mut p = Self::query(raw);
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            });
        if json && !body.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(m)) => p.0.extend(m),
                Ok(_) => {}
                Err(_) => return Err(ApiError::BadJson),
            }
        }
        Ok(p)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// A parameter as text (numbers and booleans as Ruby prints them).
    pub fn text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A parameter through `to_i`.
    pub fn int(&self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            other => self
                .text(key)
                .or_else(|| Some(other.to_string()))
                .map(|s| to_i(&s)),
        }
    }

    /// `response_expand?`: any non-blank value except `false`.
    pub fn expand(&self) -> bool {
        match self.get("expand") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => !s.trim().is_empty() && s != "false",
            Some(_) => true,
        }
    }

    /// `per_page` (or `limit`, or the default), capped at `max`; and `page` (default 1).
    pub fn paging(&self, default: i64, max: i64) -> (i64, i64) {
        let limit = self
            .int("per_page")
            .or_else(|| self.int("limit"))
            .unwrap_or(default)
            .min(max);
        (self.int("page").unwrap_or(1), limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruby_conversions() {
        assert_eq!(to_i("12abc"), 12);
        assert_eq!(to_i("abc"), 0);
        assert_eq!(to_i("-3"), -3);
        let p = Params::query(Some("per_page=500&page=2&expand=1"));
        assert_eq!(p.paging(50, 200), (2, 200));
        assert!(p.expand());
        let p = Params::query(Some("limit=7&expand=false"));
        assert_eq!(p.paging(50, 200), (1, 7));
        assert!(!p.expand());
    }
}
