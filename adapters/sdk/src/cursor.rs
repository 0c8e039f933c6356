//! Cursors are opaque strings to the host; adapters keep any state they need to
//! continue (page number, a sliding `updated_since`, a list of ids) as JSON.

use serde::{de::DeserializeOwned, Serialize};

use crate::AdapterError;

/// Encode paging state as a cursor.
pub fn encode<T: Serialize>(state: &T) -> String {
    serde_json::to_string(state).expect("cursor state serialises")
}

/// Decode a cursor this adapter produced; a foreign or stale one is a protocol error.
pub fn decode<T: DeserializeOwned>(cursor: &str) -> Result<T, AdapterError> {
    serde_json::from_str(cursor)
        .map_err(|e| AdapterError::Protocol(format!("cursor {cursor:?} is not ours: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, serde::Deserialize, PartialEq, Debug)]
    struct State {
        page: u32,
        since: Option<String>,
    }

    #[test]
    fn round_trips() {
        let s = State {
            page: 3,
            since: Some("2024-01-01T00:00:00Z".into()),
        };
        assert_eq!(decode::<State>(&encode(&s)).unwrap(), s);
    }

    #[test]
    fn garbage_is_a_protocol_error() {
        assert!(matches!(
            decode::<State>("nope"),
            Err(AdapterError::Protocol(_))
        ));
    }
}
