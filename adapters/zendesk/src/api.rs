//! Talking to Zendesk through the host: where the API is, Zendesk's error bodies, and the
//! group (queue) cache.

use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;
use triage_adapter_sdk::http::{Method, Reply, Request};
use triage_adapter_sdk::{config, errors, AdapterError, AdapterResult};

use crate::map::Groups;

/// How many lookups a cached group list serves before it is fetched again. The sandbox has
/// no clock, so the cache ages by use; an unknown group id or name refreshes it at once.
const GROUP_CACHE_USES: u32 = 200;

/// A forced refresh is skipped when the list was fetched fewer lookups ago than this, so a
/// ticket in a deleted group does not cost a `GET /groups` on every page.
const GROUP_REFRESH_AFTER: u32 = 10;

/// Pages of `GET /groups.json` read at most (100 groups each).
const GROUP_PAGES: u32 = 50;

/// Where `/api/v2` is, from the settings:
/// - `subdomain` (`acme` or `acme.zendesk.com`) → `https://acme.zendesk.com/api/v2`;
/// - `base_url`, the server root (`http://127.0.0.1:8080`, or a host-mapped domain such as
///   `https://support.acme.com`) → `{base_url}/api/v2` (one ending in `/api/v2` is kept);
/// - neither → `/api/v2`, resolved by the host against the connection's base URL.
pub fn api_root(subdomain: Option<&str>, base_url: Option<&str>) -> AdapterResult<String> {
    if let Some(d) = subdomain {
        let d = d
            .trim()
            .trim_start_matches("https://")
            .trim_end_matches('/');
        let d = d
            .strip_suffix(".zendesk.com")
            .unwrap_or(d)
            .to_ascii_lowercase();
        if d.is_empty() || !d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(AdapterError::Unsupported(format!(
                "setting \"subdomain\" must be the account name, as in <subdomain>.zendesk.com; got {d:?}"
            )));
        }
        return Ok(format!("https://{d}.zendesk.com/api/v2"));
    }
    Ok(match base_url.map(|b| b.trim().trim_end_matches('/')) {
        Some(b) if b.ends_with("/api/v2") => b.to_owned(),
        Some(b) => format!("{b}/api/v2"),
        None => "/api/v2".to_owned(),
    })
}

/// The URL of an API path (`/tickets/1.json`) for this connection.
pub fn url(path: &str) -> AdapterResult<String> {
    let root = api_root(
        config::get("subdomain").as_deref(),
        config::get("base_url").as_deref(),
    )?;
    Ok(format!("{root}{path}"))
}

/// Zendesk's error replies as typed errors: a 422 `RecordInvalid` carries `details` per
/// attribute; everything else (401/403/404/409/429/5xx, the search window's 422) means what
/// it usually means.
pub fn check(reply: Reply) -> AdapterResult<Reply> {
    if reply.is_success() {
        return Ok(reply);
    }
    if reply.status == 422 {
        if let Some(fields) = crate::map::validation_errors(&reply.body) {
            return Err(AdapterError::Validation(fields));
        }
    }
    Err(errors::from_status(&reply))
}

/// GET a URL (absolute, or an API path starting with `/`) and decode its JSON.
pub fn get(url_or_path: &str) -> AdapterResult<Value> {
    let url = if url_or_path.starts_with('/') {
        url(url_or_path)?
    } else {
        url_or_path.to_owned()
    };
    check(Request::new(Method::Get, url).send()?)?.json()
}

/// Send a JSON body to an API path and decode the JSON answer.
pub fn send<B: Serialize + ?Sized>(method: Method, path: &str, body: &B) -> AdapterResult<Value> {
    check(Request::new(method, url(path)?).json(body).send()?)?.json()
}

struct Cached {
    groups: Groups,
    uses: u32,
}

static GROUPS: Mutex<Option<Cached>> = Mutex::new(None);

/// Every group, all pages (`next_page` is an absolute URL).
pub fn fetch_groups() -> AdapterResult<Groups> {
    let mut groups = Groups::default();
    let mut next_url = Some("/groups.json?per_page=100".to_owned());
    let mut pages = 0;
    while let Some(u) = next_url.take() {
        let body = get(&u)?;
        for g in body["groups"].as_array().into_iter().flatten() {
            if g["deleted"].as_bool() == Some(true) {
                continue;
            }
            if let (Some(id), Some(name)) = (g["id"].as_u64(), g["name"].as_str()) {
                groups.0.insert(id, name.to_owned());
            }
        }
        pages += 1;
        next_url = body["next_page"]
            .as_str()
            .map(str::to_owned)
            .filter(|_| pages < GROUP_PAGES);
    }
    let mut cache = GROUPS.lock().unwrap_or_else(|e| e.into_inner());
    *cache = Some(Cached {
        groups: groups.clone(),
        uses: 0,
    });
    Ok(groups)
}

/// The groups, from the cache while it is fresh; `refresh` (after a miss) fetches them again
/// unless they were fetched only just now.
pub fn groups(refresh: bool) -> AdapterResult<Groups> {
    {
        let mut cache = GROUPS.lock().unwrap_or_else(|e| e.into_inner());
        let limit = if refresh {
            GROUP_REFRESH_AFTER
        } else {
            GROUP_CACHE_USES
        };
        if let Some(c) = cache.as_mut().filter(|c| c.uses < limit) {
            c.uses += 1;
            return Ok(c.groups.clone());
        }
    }
    fetch_groups()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_root_from_settings() {
        assert_eq!(
            api_root(Some("acme"), None).unwrap(),
            "https://acme.zendesk.com/api/v2"
        );
        assert_eq!(
            api_root(Some("https://Acme.zendesk.com/"), Some("http://x")).unwrap(),
            "https://acme.zendesk.com/api/v2"
        );
        assert!(api_root(Some("evil.com/x?"), None).is_err());
        assert_eq!(
            api_root(None, Some("http://127.0.0.1:9/")).unwrap(),
            "http://127.0.0.1:9/api/v2"
        );
        assert_eq!(
            api_root(None, Some("http://h/api/v2")).unwrap(),
            "http://h/api/v2"
        );
        assert_eq!(api_root(None, None).unwrap(), "/api/v2");
    }
}
