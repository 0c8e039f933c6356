//! Who is calling: `SessionID`, or `UserLogin` + `Password`, sent with every request (in the
//! body or the query; OTOBO reads no auth header). `SessionCreate` trades a login for a session.

use serde_json::{Map, Value, json};

use super::render::{Settings, error};
use super::request::text;
use super::store::Store;

/// The agent's login when the credentials are right. A `SessionID`, when sent, decides alone.
pub fn authenticate(store: &Store, s: &Settings, data: &Map<String, Value>) -> Option<String> {
    if let Some(session) = text(data, "SessionID") {
        return store.sessions.get(&session).cloned();
    }
    let login = text(data, "UserLogin")?;
    let password = text(data, "Password")?;
    s.agents
        .iter()
        .any(|(l, p)| *l == login && *p == password)
        .then_some(login)
}

/// `POST /Session {UserLogin, Password}` → `{"SessionID": …}`.
pub fn create(store: &mut Store, s: &Settings, data: &Map<String, Value>) -> (Value, bool) {
    if text(data, "UserLogin").is_none() && text(data, "CustomerUserLogin").is_none() {
        return (
            error(
                "SessionCreate.MissingParameter",
                "SessionCreate: UserLogin or CustomerUserLogin parameter is needed!",
            ),
            false,
        );
    }
    if text(data, "Password").is_none() {
        return (
            error(
                "SessionCreate.MissingParameter",
                "SessionCreate: Password parameter is needed!",
            ),
            false,
        );
    }
    let without_session: Map<String, Value> = data
        .iter()
        .filter(|(k, _)| *k != "SessionID")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match authenticate(store, s, &without_session) {
        Some(login) => (json!({"SessionID": store.create_session(&login)}), true),
        None => (
            error(
                "SessionCreate.AuthFail",
                "SessionCreate: Authorization failing!",
            ),
            false,
        ),
    }
}
