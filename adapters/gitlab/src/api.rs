//! Talking to GitLab through the host: where the project's API is, GitLab's error bodies,
//! and the label cache (queues and priorities are labels).

use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;
use triage_adapter_sdk::http::{self, Method, Reply, Request};
use triage_adapter_sdk::{config, errors, AdapterError, AdapterResult};

/// How many lookups a cached label list serves before it is fetched again. The sandbox has
/// no clock, so the cache ages by use; an unknown label name refreshes it at once.
const LABEL_CACHE_USES: u32 = 200;
/// A forced refresh is skipped when the list was fetched fewer lookups ago than this.
const LABEL_REFRESH_AFTER: u32 = 10;
/// Pages of `GET /labels` read at most (100 labels each).
const LABEL_PAGES: u32 = 50;

/// Where `/api/v4` is: `base_url` is the server root (`https://gitlab.example.com`, or a
/// simulator's `http://127.0.0.1:PORT`; one ending in `/api/v4` is kept); without it the
/// path resolves against the connection's base URL.
pub fn api_root(base_url: Option<&str>) -> String {
    match base_url.map(|b| b.trim().trim_end_matches('/')) {
        Some(b) if b.ends_with("/api/v4") => b.to_owned(),
        Some(b) if !b.is_empty() => format!("{b}/api/v4"),
        _ => "/api/v4".to_owned(),
    }
}

/// The project as a path segment: a numeric id as it is, a path (`group/project`)
/// URL-encoded (`group%2Fproject`), as the API wants it.
pub fn project_segment(project: &str) -> AdapterResult<String> {
    let p = project.trim().trim_matches('/');
    if p.is_empty() {
        return Err(AdapterError::Unsupported(
            "setting \"project\" must be the project's numeric id or its path (group/project)"
                .into(),
        ));
    }
    Ok(http::encode(p))
}

/// The URL of a project path (`/issues/1`) for this connection.
pub fn url(path: &str) -> AdapterResult<String> {
    let project = config::get("project").ok_or_else(|| {
        AdapterError::Unsupported(
            "setting \"project\" is required: the project's numeric id or path (group/project)"
                .into(),
        )
    })?;
    Ok(format!(
        "{}/projects/{}{path}",
        api_root(config::get("base_url").as_deref()),
        project_segment(&project)?
    ))
}

/// GitLab's error replies as typed errors: a 400 names the refused attributes (see
/// [`crate::map::validation_errors`]); everything else means what it usually means.
pub fn check(reply: Reply) -> AdapterResult<Reply> {
    if reply.is_success() {
        return Ok(reply);
    }
    if matches!(reply.status, 400 | 422) {
        if let Some(fields) = crate::map::validation_errors(&reply.body) {
            return Err(AdapterError::Validation(fields));
        }
    }
    Err(errors::from_status(&reply))
}

/// GET a project path; the checked reply (headers carry the paging).
pub fn get(path: &str) -> AdapterResult<Reply> {
    check(Request::new(Method::Get, url(path)?).send()?)
}

/// GET a project path and decode its JSON.
pub fn get_json(path: &str) -> AdapterResult<Value> {
    get(path)?.json()
}

/// Send a JSON body to a project path and decode the JSON answer.
pub fn send<B: Serialize + ?Sized>(method: Method, path: &str, body: &B) -> AdapterResult<Value> {
    check(Request::new(method, url(path)?).json(body).send()?)?.json()
}

/// Whether a reply says there is another page: a non-empty `X-Next-Page`, or else a
/// `Link` with `rel="next"`.
pub fn has_next(reply: &Reply) -> bool {
    match reply.header("x-next-page") {
        Some(n) => !n.trim().is_empty(),
        None => reply.header("link").and_then(http::next_link).is_some(),
    }
}

struct Cached {
    labels: Vec<String>,
    uses: u32,
}

static LABELS: Mutex<Option<Cached>> = Mutex::new(None);

/// Every project label name, all pages.
pub fn fetch_labels() -> AdapterResult<Vec<String>> {
    let mut labels = Vec::new();
    for page in 1..=LABEL_PAGES {
        let reply = get(&format!("/labels?per_page=100&page={page}"))?;
        let body: Value = reply.json()?;
        labels.extend(
            body.as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| l["name"].as_str().map(str::to_owned)),
        );
        if !has_next(&reply) {
            break;
        }
    }
    let mut cache = LABELS.lock().unwrap_or_else(|e| e.into_inner());
    *cache = Some(Cached {
        labels: labels.clone(),
        uses: 0,
    });
    Ok(labels)
}

/// The labels, from the cache while it is fresh; `refresh` (after a miss) fetches them again
/// unless they were fetched only just now.
pub fn labels(refresh: bool) -> AdapterResult<Vec<String>> {
    {
        let mut cache = LABELS.lock().unwrap_or_else(|e| e.into_inner());
        let limit = if refresh {
            LABEL_REFRESH_AFTER
        } else {
            LABEL_CACHE_USES
        };
        if let Some(c) = cache.as_mut().filter(|c| c.uses < limit) {
            c.uses += 1;
            return Ok(c.labels.clone());
        }
    }
    fetch_labels()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_root_and_project_from_settings() {
        assert_eq!(
            api_root(Some("https://gitlab.example.com/")),
            "https://gitlab.example.com/api/v4"
        );
        assert_eq!(api_root(Some("http://h/api/v4")), "http://h/api/v4");
        assert_eq!(api_root(None), "/api/v4");
        assert_eq!(project_segment("42").unwrap(), "42");
        assert_eq!(
            project_segment("/support/helpdesk").unwrap(),
            "support%2Fhelpdesk"
        );
        assert!(project_segment(" ").is_err());
    }
}
