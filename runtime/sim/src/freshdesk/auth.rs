//! HTTP Basic auth the Freshdesk way: the API key is the user name, the password is ignored.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

/// Whether the request carries `Basic base64(api_key:anything)`.
pub fn authorized(headers: &HeaderMap, api_key: &str) -> bool {
    let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut parts = value.trim().splitn(2, ' ');
    let (Some(scheme), Some(encoded)) = (parts.next(), parts.next()) else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return false;
    }
    let Some(decoded) = base64_decode(encoded.trim()) else {
        return false;
    };
    let Ok(text) = String::from_utf8(decoded) else {
        return false;
    };
    let user = text.split_once(':').map_or(text.as_str(), |(u, _)| u);
    !api_key.is_empty() && user == api_key
}

/// Standard base64 with optional padding; `None` on any invalid character.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let bytes = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in bytes {
        acc = (acc << 6) | val(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Standard base64 with padding (for building an `Authorization` header).
pub fn base64_encode(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `Authorization` header value Freshdesk clients send for `api_key`.
pub fn basic_header(api_key: &str) -> String {
    format!("Basic {}", base64_encode(format!("{api_key}:X").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for s in [
            "",
            "a",
            "ab",
            "abc",
            "key:X",
            "sim-freshdesk-api-key:unused_with_api_key",
        ] {
            assert_eq!(
                base64_decode(&base64_encode(s.as_bytes())).unwrap(),
                s.as_bytes()
            );
        }
        assert_eq!(base64_encode(b"key:X"), "a2V5Olg=");
    }

    #[test]
    fn any_password() {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, basic_header("k").parse().unwrap());
        assert!(authorized(&h, "k"));
        assert!(!authorized(&h, "other"));
        h.insert(AUTHORIZATION, "Bearer k".parse().unwrap());
        assert!(!authorized(&h, "k"));
    }
}
