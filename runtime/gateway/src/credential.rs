//! Credentials: read by the host from the environment or a secret file, injected
//! into allowed requests, never shown to adapters, logs or error messages.
//!
//! Most systems take a header (Basic, Bearer, an API-key header). OTOBO/Znuny's
//! GenericInterface takes `UserLogin` + `Password` (or `SessionID`) as fields of the
//! request itself: [`Credential::Fields`]. Where and when each kind is added, and what an
//! adapter may not set itself, is decided in [`crate::inject`].

use std::path::PathBuf;

use base64::Engine as _;

/// A secret value. `Debug` and `Display` never print it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Where a secret is read from. Errors name the source, never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// An environment variable.
    Env(String),
    /// A file; surrounding white space is trimmed (files usually end in a newline).
    File(PathBuf),
}

impl SecretSource {
    /// Read the secret now.
    pub fn read(&self) -> Result<Secret, String> {
        match self {
            Self::Env(name) => match std::env::var(name) {
                Ok(v) if !v.is_empty() => Ok(Secret(v)),
                Ok(_) => Err(format!("environment variable {name} is empty")),
                Err(_) => Err(format!("environment variable {name} is not set")),
            },
            Self::File(path) => std::fs::read_to_string(path)
                .map(|v| Secret(v.trim().to_owned()))
                .map_err(|e| format!("secret file {}: {e}", path.display())),
        }
    }
}

/// How a connection authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// HTTP Basic (Freshdesk: API key as user, any password).
    Basic {
        /// User name (or API key).
        user: Secret,
        /// Password.
        password: Secret,
    },
    /// `Authorization: Bearer …` (Zammad uses `Token token=…`: see `Header`).
    Bearer(Secret),
    /// Any header, e.g. `X-Api-Key` or `Authorization: Token token=…`.
    Header {
        /// Header name.
        name: String,
        /// Header value.
        value: Secret,
    },
    /// Fields of the request itself (OTOBO/Znuny: `UserLogin` + `Password`, or
    /// `SessionID`): top-level keys of a JSON object body, or query parameters when the
    /// request has no body. See [`crate::inject`] for the rules.
    Fields(Vec<(String, Secret)>),
}

impl Credential {
    /// Payload fields from `(name, secret)` pairs, e.g. OTOBO's
    /// `[("UserLogin", …), ("Password", …)]`. Names must be non-empty and distinct
    /// (ignoring case, as the adapter-side check does).
    pub fn fields<N: Into<String>>(
        fields: impl IntoIterator<Item = (N, Secret)>,
    ) -> Result<Self, String> {
        let fields: Vec<(String, Secret)> =
            fields.into_iter().map(|(n, s)| (n.into(), s)).collect();
        if fields.is_empty() {
            return Err("a field credential needs at least one field".into());
        }
        for (i, (name, _)) in fields.iter().enumerate() {
            if name.trim().is_empty() {
                return Err("credential field names must not be empty".into());
            }
            if fields[..i]
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                return Err(format!("credential field {name:?} is given twice"));
            }
        }
        Ok(Self::Fields(fields))
    }

    /// The header this credential adds, (lower-case name, value); `None` for [`Self::Fields`].
    pub fn header(&self) -> Option<(String, String)> {
        Some(match self {
            Self::Basic { user, password } => {
                let raw = format!("{}:{}", user.expose(), password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                ("authorization".into(), format!("Basic {encoded}"))
            }
            Self::Bearer(token) => ("authorization".into(), format!("Bearer {}", token.expose())),
            Self::Header { name, value } => (name.to_ascii_lowercase(), value.expose().to_owned()),
            Self::Fields(_) => return None,
        })
    }

    /// The payload fields this credential adds (empty for header credentials).
    pub fn payload_fields(&self) -> &[(String, Secret)] {
        match self {
            Self::Fields(fields) => fields,
            _ => &[],
        }
    }

    /// Every string that must never appear where an adapter or a log can see it.
    pub fn secret_values(&self) -> Vec<String> {
        let mut values = match self {
            Self::Basic { user, password } => vec![user.0.clone(), password.0.clone()],
            Self::Bearer(t) => vec![t.0.clone()],
            Self::Header { value, .. } => vec![value.0.clone()],
            Self::Fields(fields) => fields.iter().map(|(_, s)| s.0.clone()).collect(),
        };
        values.extend(self.header().map(|h| h.1));
        values.retain(|v| !v.is_empty());
        values
    }
}

/// Headers an adapter may not set: the host owns authentication and framing.
pub fn is_reserved_header(name: &str, credential: Option<&Credential>) -> bool {
    const RESERVED: &[&str] = &[
        "authorization",
        "proxy-authorization",
        "cookie",
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "upgrade",
    ];
    let name = name.to_ascii_lowercase();
    RESERVED.contains(&name.as_str())
        || credential.is_some_and(|c| c.header().is_some_and(|(h, _)| h == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let c = Credential::Basic {
            user: Secret::new("key123"),
            password: Secret::new("X"),
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("key123"), "{shown}");
    }

    #[test]
    fn basic_header_is_base64_of_user_colon_password() {
        let c = Credential::Basic {
            user: Secret::new("key"),
            password: Secret::new("X"),
        };
        assert_eq!(
            c.header(),
            Some(("authorization".into(), "Basic a2V5Olg=".into()))
        );
    }

    #[test]
    fn field_credentials_add_no_header_and_do_not_print() {
        let c = Credential::fields([
            ("UserLogin", Secret::new("agent7")),
            ("Password", Secret::new("hunter2")),
        ])
        .unwrap();
        assert_eq!(c.header(), None);
        assert!(!is_reserved_header("userlogin", Some(&c)));
        let shown = format!("{c:?}");
        assert!(
            shown.contains("UserLogin") && !shown.contains("agent7"),
            "{shown}"
        );
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(c.secret_values(), ["agent7", "hunter2"]);
    }

    #[test]
    fn field_names_must_be_present_and_distinct() {
        assert!(Credential::fields(Vec::<(String, Secret)>::new()).is_err());
        assert!(Credential::fields([(" ", Secret::new("x"))]).is_err());
        let twice = Credential::fields([
            ("SessionID", Secret::new("a")),
            ("sessionid", Secret::new("b")),
        ])
        .unwrap_err();
        assert!(twice.contains("\"sessionid\" is given twice"), "{twice}");
    }

    #[test]
    fn api_key_header_name_is_reserved() {
        let c = Credential::Header {
            name: "X-Api-Key".into(),
            value: Secret::new("v"),
        };
        assert!(is_reserved_header("x-api-key", Some(&c)));
        assert!(is_reserved_header("Authorization", None));
        assert!(!is_reserved_header("accept", Some(&c)));
    }

    #[test]
    fn missing_env_names_the_variable_only() {
        let err = SecretSource::Env("TRIAGE_TEST_SURELY_UNSET".into())
            .read()
            .unwrap_err();
        assert!(err.contains("TRIAGE_TEST_SURELY_UNSET"));
    }
}
