//! The request data an operation sees, assembled the way OTOBO's `HTTP::REST` transport does
//! (`Kernel/GenericInterface/Transport/HTTP/REST.pm`, `ProviderProcessRequest`):
//! - query parameters split on `&`/`;`, `+` read as a space, a repeated key becomes an array;
//!   the value is what follows the first `=` up to the next one (`a=b=c` gives `b`);
//! - route parameters (`/Ticket/:TicketID`) override query parameters;
//! - a GET's body is ignored (OTRS bug 14203); other bodies must be JSON; the query and route
//!   data override the body's keys.

use axum::http::Method;
use serde_json::{Map, Value};

/// The transport refused the request: HTTP 500 with this text, as OTOBO answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError(pub String);

/// Percent-decoding with `+` as a space (the token holds no raw `&` or `=`: split on them).
fn unescape(token: &str) -> String {
    url::form_urlencoded::parse(format!("x={token}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Query parameters as OTOBO reads them.
pub fn query_data(query: Option<&str>) -> Map<String, Value> {
    let mut data = Map::new();
    for pair in query.unwrap_or_default().split(['&', ';']) {
        if pair.is_empty() {
            continue;
        }
        let mut parts = pair.split('=');
        let key = unescape(parts.next().unwrap_or_default());
        let value = Value::String(unescape(parts.next().unwrap_or_default()));
        match data.get_mut(&key) {
            None => {
                data.insert(key, value);
            }
            Some(Value::Array(values)) => values.push(value),
            Some(first) => *first = Value::Array(vec![first.take(), value]),
        }
    }
    data
}

/// Everything the operation gets: query, route parameters and the JSON body.
pub fn request_data(
    method: &Method,
    query: Option<&str>,
    route_params: &[(String, String)],
    body: &[u8],
) -> Result<Map<String, Value>, TransportError> {
    let mut uri_data = query_data(query);
    for (k, v) in route_params {
        uri_data.insert(k.clone(), Value::String(v.clone()));
    }
    if body.is_empty() || method == Method::GET {
        return Ok(uri_data);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut data)) => {
            data.extend(uri_data);
            Ok(data)
        }
        Ok(_) => Err(TransportError(
            "Unsupported request content structure.".into(),
        )),
        Err(_) => Err(TransportError(
            "Error while decoding request content.".into(),
        )),
    }
}

/// A scalar parameter as text (JSON strings and numbers alike, as Perl sees them).
pub fn text(data: &Map<String, Value>, key: &str) -> Option<String> {
    match data.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A parameter that may be one value or an array of them, as texts.
pub fn list(data: &Map<String, Value>, key: &str) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match data.get(key) {
        Some(Value::Array(values)) => values.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A flag such as `DynamicFields=1` (anything but empty, `0` and false).
pub fn flag(data: &Map<String, Value>, key: &str) -> bool {
    match data.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty() && s != "0",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn query_like_otobo() {
        let q = query_data(Some("Queues=Raw&Queues=Misc;Title=a+b%25&X=1=2&Empty"));
        assert_eq!(
            Value::Object(q),
            json!({"Queues": ["Raw", "Misc"], "Title": "a b%", "X": "1", "Empty": ""})
        );
    }

    #[test]
    fn route_beats_query_and_query_beats_body() {
        let data = request_data(
            &Method::PATCH,
            Some("TicketID=9&UserLogin=q"),
            &[("TicketID".into(), "7".into())],
            br#"{"UserLogin":"b","Ticket":{"Queue":"Misc"}}"#,
        )
        .unwrap();
        assert_eq!(data["TicketID"], "7");
        assert_eq!(data["UserLogin"], "q");
        assert_eq!(data["Ticket"]["Queue"], "Misc");
    }

    #[test]
    fn get_bodies_are_ignored_and_bad_bodies_refused() {
        let data = request_data(&Method::GET, None, &[], br#"{"TicketID":1}"#).unwrap();
        assert!(data.is_empty());
        assert!(request_data(&Method::POST, None, &[], b"{nope").is_err());
        assert!(request_data(&Method::POST, None, &[], b"[1]").is_err());
        assert_eq!(list(&query_data(Some("a=1&a=2")), "a"), ["1", "2"]);
        assert!(flag(&query_data(Some("f=1")), "f") && !flag(&query_data(Some("f=0")), "f"));
    }
}
