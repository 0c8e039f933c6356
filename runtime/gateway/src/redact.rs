//! Secrets never reach the guest: every value the host injects, and its common
//! encodings, is cut out of what comes back before the adapter sees it, and out of
//! the adapter's log lines and error messages.
//!
//! Decisions:
//! - **Encodings recognised:** the value itself; base64 (standard and URL-safe, with and
//!   without padding) of each value and of the Basic `user:password` pair; percent-encoding
//!   (upper- and lower-case hex, `%20` and `+` for spaces); JSON string escaping (as serde,
//!   with `\/`, and with every non-ASCII and `<>&'` as `\uXXXX`, as Rails and PHP write it);
//!   HTML entities. A system that returns a secret hashed, truncated, split or re-encoded
//!   any other way is not recognised (README, "What is and is not protected").
//! - **Short values:** a value shorter than [`MIN_SECRET_LEN`] characters is not redacted on
//!   its own: cutting every `X` (Freshdesk's placeholder password) out of every response
//!   would corrupt them, and a value that short is guessable anyway. It is still covered
//!   inside longer forms (the Basic pair and its base64).
//! - **Session material** (see [`SessionMaterial`]) learnt from a response is redacted from
//!   that response and every later one, for the life of the gateway.
//! - **Login names** (OTOBO's `UserLogin`, the user of a Basic pair with a real password)
//!   are redacted only as whole tokens: a login like `triage` is part of ordinary words.
//! - **Mark:** `***`, which is safe inside JSON strings, headers and base64 text.

use std::borrow::Cow;
use std::sync::{Arc, RwLock};

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::{Credential, Response};

/// Values shorter than this are not redacted on their own (see the module docs).
pub const MIN_SECRET_LEN: usize = 6;

/// What replaces a secret.
pub const MARK: &str = "***";

/// Cuts secrets out of text. Clones share what they know, so session material learnt by
/// one request is redacted from every later response and log line of the connection.
#[derive(Clone, Default)]
pub struct Redactor {
    inner: Arc<RwLock<Known>>,
}

#[derive(Default)]
struct Known {
    /// Every encoded form, longest first, and whether it counts only as a whole token.
    patterns: Vec<(String, bool)>,
    matcher: Option<AhoCorasick>,
}

impl Known {
    /// `haystack` with every match replaced, and how many; `None` when nothing matched.
    fn replace(&self, haystack: &[u8]) -> Option<(Vec<u8>, usize)> {
        let matcher = self.matcher.as_ref()?;
        let mut out = Vec::new();
        let (mut last, mut found) = (0, 0);
        for m in matcher.find_iter(haystack) {
            let whole_token = self.patterns[m.pattern().as_usize()].1;
            if whole_token && !(is_boundary(haystack, m.start()) && is_boundary(haystack, m.end()))
            {
                continue;
            }
            out.extend_from_slice(&haystack[last..m.start()]);
            out.extend_from_slice(MARK.as_bytes());
            last = m.end();
            found += 1;
        }
        (found > 0).then(|| {
            out.extend_from_slice(&haystack[last..]);
            (out, found)
        })
    }
}

/// Whether `at` ends or starts a token: the byte before it or the byte at it is no letter,
/// digit, `_` or `-` (one side is always inside the match).
fn is_boundary(haystack: &[u8], at: usize) -> bool {
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-';
    let before = at > 0 && haystack.get(at - 1).is_some_and(word);
    let after = haystack.get(at).is_some_and(word);
    !(before && after)
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known = self.inner.read().expect("redactor lock");
        f.debug_struct("Redactor")
            .field("patterns", &known.patterns.len())
            .finish()
    }
}

impl Redactor {
    /// A redactor for these secret values (and their encodings).
    pub fn new<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let redactor = Self::default();
        for secret in secrets {
            redactor.learn(secret.as_ref());
        }
        redactor
    }

    /// A redactor for everything `credential` injects: each value, the header it adds and,
    /// for Basic, the `user:password` pair. Of a header value with a scheme (`Basic …`,
    /// `Bearer …`, `Token token=…`) the part after the scheme and the part after `=` are
    /// secret, not the scheme: an echo reads `Bearer ***`. A login name (OTOBO's
    /// `UserLogin`/`CustomerUserLogin`; a Basic user whose password is a real one) is
    /// redacted only as a whole token (see [`Redactor::learn_name`]).
    pub fn for_credential(credential: Option<&Credential>) -> Self {
        let redactor = Self::default();
        let mut names = Vec::new();
        match credential {
            Some(Credential::Fields(fields)) => names.extend(
                fields
                    .iter()
                    .filter(|(n, _)| {
                        ["UserLogin", "CustomerUserLogin"]
                            .iter()
                            .any(|l| l.eq_ignore_ascii_case(n))
                    })
                    .map(|(_, s)| s.expose().to_owned()),
            ),
            // With a placeholder password (Freshdesk's `X`) the user is the API key.
            Some(Credential::Basic { user, password })
                if password.expose().chars().count() >= MIN_SECRET_LEN =>
            {
                names.push(user.expose().to_owned());
            }
            _ => {}
        }
        let mut secrets = credential
            .map(Credential::secret_values)
            .unwrap_or_default();
        secrets.retain(|s| !names.contains(s));
        if let Some(Credential::Basic { user, password }) = credential {
            secrets.push(format!("{}:{}", user.expose(), password.expose()));
        }
        if let Some((_, value)) = credential.and_then(Credential::header)
            && let Some((_, token)) = value.split_once(' ')
        {
            secrets.retain(|s| *s != value);
            if let Some((_, after)) = token.rsplit_once('=')
                && !after.is_empty()
            {
                secrets.push(after.to_owned());
            }
            secrets.push(token.to_owned());
        }
        for name in &names {
            redactor.learn_name(name);
        }
        for secret in &secrets {
            redactor.learn(secret);
        }
        redactor
    }

    /// Add a secret value (and its encodings), cut out wherever it appears; `false` when it
    /// is too short or already known.
    pub fn learn(&self, value: &str) -> bool {
        self.add(value, false)
    }

    /// Add a login name (and its encodings), cut out only as a whole token — not inside a
    /// longer word: a login such as `triage` also occurs in `triaged`, and a login is shown
    /// by the system wherever the agent acts, so cutting it out of words would corrupt them.
    pub fn learn_name(&self, value: &str) -> bool {
        self.add(value, true)
    }

    fn add(&self, value: &str, whole_token: bool) -> bool {
        if value.chars().count() < MIN_SECRET_LEN {
            return false;
        }
        let mut known = self.inner.write().expect("redactor lock");
        let mut added = false;
        for form in encodings(value) {
            if form.len() < MIN_SECRET_LEN {
                continue;
            }
            match known.patterns.iter_mut().find(|(p, _)| *p == form) {
                // A secret everywhere wins over the same text as a name.
                Some(existing) if existing.1 && !whole_token => {
                    existing.1 = false;
                    added = true;
                }
                Some(_) => {}
                None => {
                    known.patterns.push((form, whole_token));
                    added = true;
                }
            }
        }
        if !added {
            return false;
        }
        known
            .patterns
            .sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(known.patterns.iter().map(|(p, _)| p))
            .ok();
        known.matcher = matcher;
        true
    }

    /// Whether nothing is known (nothing to redact).
    pub fn is_empty(&self) -> bool {
        self.inner
            .read()
            .expect("redactor lock")
            .patterns
            .is_empty()
    }

    /// `text` with every known secret replaced by [`MARK`].
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let known = self.inner.read().expect("redactor lock");
        match known.replace(text.as_bytes()) {
            // Whole patterns are replaced, so the text stays UTF-8.
            Some((out, _)) => Cow::Owned(String::from_utf8_lossy(&out).into_owned()),
            None => Cow::Borrowed(text),
        }
    }

    /// Redact `bytes` in place; returns how many secrets were cut out.
    pub fn redact_bytes(&self, bytes: &mut Vec<u8>) -> usize {
        let known = self.inner.read().expect("redactor lock");
        match known.replace(bytes) {
            Some((out, found)) => {
                *bytes = out;
                found
            }
            None => 0,
        }
    }

    /// Redact a response's header values and body; returns how many secrets were cut out.
    pub fn redact_response(&self, response: &mut Response) -> usize {
        let mut found = self.redact_bytes(&mut response.body);
        for (_, value) in &mut response.headers {
            if let Cow::Owned(clean) = self.redact(value) {
                *value = clean;
                found += 1;
            }
        }
        found
    }
}

/// Characters kept by strict percent-encoding: RFC 3986's unreserved set.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The forms a value is recognised in (see the module docs).
pub fn encodings(value: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let mut forms = vec![value.to_owned()];
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        forms.push(engine.encode(value));
    }
    let strict = percent_encoding::utf8_percent_encode(value, STRICT).to_string();
    forms.push(lower_hex_escapes(&strict));
    forms.push(strict);
    let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    forms.push(lower_hex_escapes(&form));
    forms.push(form);
    let json = serde_json::to_string(value).expect("a string serialises");
    let json = json[1..json.len() - 1].to_owned();
    forms.push(json.replace('/', "\\/"));
    forms.push(ascii_json(&json));
    forms.push(json);
    forms.push(html_escaped(value));
    forms.sort();
    forms.dedup();
    forms
}

fn lower_hex_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut chars = encoded.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

/// JSON escaping with every non-ASCII character and `<>&'` as `\uXXXX` (UTF-16 units).
fn ascii_json(json_escaped: &str) -> String {
    let mut out = String::with_capacity(json_escaped.len());
    for c in json_escaped.chars() {
        if c.is_ascii() && !matches!(c, '<' | '>' | '&' | '\'') {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

fn html_escaped(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Names of response fields and headers that carry session material minted from the
/// operator's credential (`connections.NAME.session_material`). A JSON body is searched at
/// every depth; names match ignoring case; string values (and numbers) of at least
/// [`MIN_SECRET_LEN`] characters are learnt by the [`Redactor`] before the response is
/// redacted. Only responses from the base origin are searched (only it gets the credential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionMaterial {
    names: Vec<String>,
}

impl Default for SessionMaterial {
    /// OTOBO/Znuny's `SessionID` (`POST …/Session`) and Zammad's `token`
    /// (`POST /api/v1/user_access_token`).
    fn default() -> Self {
        Self::new(Self::DEFAULT.iter().copied())
    }
}

impl SessionMaterial {
    /// The default names.
    pub const DEFAULT: &'static [&'static str] = &["SessionID", "token"];

    /// These names (replacing the defaults).
    pub fn new<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        Self {
            names: names.into_iter().map(Into::into).collect(),
        }
    }

    /// The names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    fn named(&self, key: &str) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(key))
    }

    /// Teach `redactor` every session value in `response`; returns how many were new.
    pub fn learn_from(&self, response: &Response, redactor: &Redactor) -> usize {
        let mut learnt = 0;
        for (name, value) in &response.headers {
            if self.named(name) && redactor.learn(value.trim()) {
                learnt += 1;
            }
        }
        if let Ok(body) = serde_json::from_slice::<serde_json::Value>(&response.body) {
            self.walk(&body, redactor, &mut learnt);
        }
        learnt
    }

    fn walk(&self, value: &serde_json::Value, redactor: &Redactor, learnt: &mut usize) {
        use serde_json::Value;
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    let text = match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    };
                    if self.named(key)
                        && let Some(text) = text
                        && redactor.learn(&text)
                    {
                        *learnt += 1;
                    }
                    self.walk(v, redactor, learnt);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.walk(v, redactor, learnt)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    fn basic() -> Credential {
        Credential::Basic {
            user: Secret::new("sekrit-api-key"),
            password: Secret::new("X"),
        }
    }

    #[test]
    fn every_encoding_of_every_injected_value_is_cut_out() {
        let r = Redactor::for_credential(Some(&basic()));
        let text = "raw sekrit-api-key, pair sekrit-api-key:X, \
                    basic c2Vrcml0LWFwaS1rZXk6WA==, part c2Vrcml0LWFwaS1rZXk=, \
                    url sekrit-api-key%3AX, lower sekrit-api-key%3aX";
        let clean = r.redact(text);
        for secret in ["sekrit-api-key", "c2Vrcml0LWFwaS1rZXk", "%3AX", "%3aX"] {
            assert!(!clean.contains(secret), "{secret} in {clean}");
        }
        assert!(clean.starts_with("raw ***, pair ***, basic ***"), "{clean}");
    }

    #[test]
    fn header_schemes_stay_readable_and_zammad_tokens_are_covered_alone() {
        let zammad = Credential::Header {
            name: "Authorization".into(),
            value: Secret::new("Token token=zammad-tok-1"),
        };
        let r = Redactor::for_credential(Some(&zammad));
        assert_eq!(
            r.redact("Token token=zammad-tok-1 / zammad-tok-1"),
            "Token *** / ***"
        );
        let bearer = Redactor::for_credential(Some(&Credential::Bearer(Secret::new("tok-123456"))));
        assert_eq!(bearer.redact("Bearer tok-123456"), "Bearer ***");
    }

    #[test]
    fn json_url_and_html_forms_are_recognised() {
        let secret = "p/ss w\"rd<é>";
        let r = Redactor::new([secret]);
        let forms = [
            r#"p\/ss w\"rd<é>"#.to_owned(),
            r#"p/ss w\"rd<é>"#.to_owned(),
            r#"p/ss w\"rd\u003c\u00e9\u003e"#.to_owned(),
            "p%2Fss%20w%22rd%3C%C3%A9%3E".to_owned(),
            "p%2fss%20w%22rd%3c%c3%a9%3e".to_owned(),
            "p%2Fss+w%22rd%3C%C3%A9%3E".to_owned(),
            "p/ss w&quot;rd&lt;é&gt;".to_owned(),
            base64::engine::general_purpose::STANDARD.encode(secret),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret),
        ];
        for form in forms {
            let text = format!("{{\"v\":\"{form}\"}}");
            assert_eq!(r.redact(&text), "{\"v\":\"***\"}", "{form}");
        }
    }

    #[test]
    fn login_names_are_redacted_only_as_whole_tokens() {
        let otobo = Credential::fields([
            ("UserLogin", Secret::new("triage")),
            ("Password", Secret::new("pass-triage-9")),
        ])
        .unwrap();
        let r = Redactor::for_credential(Some(&otobo));
        assert_eq!(
            r.redact(r#"{"Owner":"triage","Tags":["triaged"],"x":"pass-triage-9x"}"#),
            r#"{"Owner":"***","Tags":["triaged"],"x":"***x"}"#
        );
        // Zammad-style Basic with a real password: the login is a name, the password a secret.
        let basic = Redactor::for_credential(Some(&Credential::Basic {
            user: Secret::new("triage"),
            password: Secret::new("hunter22"),
        }));
        assert_eq!(
            basic.redact("triaged by triage: hunter22"),
            "triaged by ***: ***"
        );
    }

    #[test]
    fn short_values_are_not_redacted_alone() {
        let r = Redactor::new(["X", "abcde"]);
        assert!(r.is_empty());
        assert_eq!(r.redact("X marks abcde"), "X marks abcde");
        assert!(!r.learn("12345") && r.learn("123456"));
    }

    #[test]
    fn bytes_and_headers_are_redacted_and_counted() {
        let r = Redactor::new(["hunter22"]);
        let mut response = Response {
            status: 200,
            headers: vec![("x-echo".into(), "Bearer hunter22".into())],
            body: b"{\"a\":\"hunter22\",\"b\":\"aHVudGVyMjI=\"}".to_vec(),
        };
        assert_eq!(r.redact_response(&mut response), 3);
        assert_eq!(response.body, b"{\"a\":\"***\",\"b\":\"***\"}");
        assert_eq!(response.headers[0].1, "Bearer ***");
        assert_eq!(r.redact_response(&mut response), 0);
    }

    #[test]
    fn session_material_is_learnt_at_any_depth_and_shared_by_clones() {
        let r = Redactor::default();
        let clone = r.clone();
        let response = Response {
            status: 200,
            headers: vec![("sessionid".into(), "hdr-session-1".into())],
            body: br#"{"data":[{"SessionID":"otobo-session-42"}],"token":"short"}"#.to_vec(),
        };
        assert_eq!(SessionMaterial::default().learn_from(&response, &r), 2);
        assert_eq!(
            clone.redact("later otobo-session-42 and hdr-session-1"),
            "later *** and ***"
        );
        let custom = SessionMaterial::new(["api_key"]);
        let redmine = Response {
            status: 200,
            headers: Vec::new(),
            body: br#"{"user":{"id":1,"api_key":"0123456789abcdef"}}"#.to_vec(),
        };
        assert_eq!(custom.learn_from(&redmine, &r), 1);
        assert!(!r.redact("0123456789abcdef").contains("0123"));
    }
}
