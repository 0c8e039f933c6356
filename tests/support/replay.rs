//! The sandbox's cost, measured: the list requests an adapter made (from a simulator's
//! request log) sent again straight with reqwest, same path and query, so a backlog test can
//! print sandbox time over raw time for the same pages.

use std::time::{Duration, Instant};

use triage_sim::RequestRecord;

/// Sends `requests` again to `base_url` with the auth header `(name, value)`; returns the
/// time it took and each JSON body, in order.
pub async fn raw_replay<'r>(
    base_url: &str,
    requests: impl IntoIterator<Item = &'r RequestRecord>,
    auth: (&str, &str),
) -> (Duration, Vec<serde_json::Value>) {
    let urls: Vec<String> = requests
        .into_iter()
        .map(|r| {
            format!(
                "{base_url}{}?{}",
                r.path,
                r.query.clone().unwrap_or_default()
            )
        })
        .collect();
    let http = reqwest::Client::new();
    let started = Instant::now();
    let mut bodies = Vec::with_capacity(urls.len());
    for url in &urls {
        let body: serde_json::Value = http
            .get(url)
            .header(auth.0, auth.1)
            .send()
            .await
            .expect("raw GET")
            .json()
            .await
            .expect("raw JSON");
        bodies.push(body);
    }
    (started.elapsed(), bodies)
}
