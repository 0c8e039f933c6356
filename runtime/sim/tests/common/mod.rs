//! Shared helpers: start a simulator with known data and talk to it over real HTTP.
#![allow(dead_code)]

use chrono::{Duration, Utc};
use triage_sim::freshdesk::{FreshdeskSim, SimConfig, SimHandle, Ticket};
use triage_sim::generate::{GenerateOptions, generate};

pub struct Sim {
    pub handle: SimHandle,
    pub http: reqwest::Client,
}

impl Sim {
    pub async fn start(config: SimConfig) -> Self {
        let handle = FreshdeskSim::start(config).await.expect("start simulator");
        Self {
            handle,
            http: reqwest::Client::new(),
        }
    }

    /// A simulator with `n` generated tickets (seed 5).
    pub async fn generated(n: usize) -> Self {
        let data = generate(&GenerateOptions::new(n, 5));
        Self::start(SimConfig::default().with_data(data)).await
    }

    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}/api/v2{path_and_query}", self.handle.base_url())
    }

    pub fn get(&self, path_and_query: &str) -> reqwest::RequestBuilder {
        self.http
            .get(self.url(path_and_query))
            .basic_auth(self.handle.api_key(), Some("X"))
    }

    /// `GET` and decode the JSON body, whatever the status.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path_and_query: &str) -> T {
        self.get(path_and_query)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub fn put(&self, path: &str, body: serde_json::Value) -> reqwest::RequestBuilder {
        self.http
            .put(self.url(path))
            .basic_auth(self.handle.api_key(), Some("X"))
            .json(&body)
    }

    pub fn post(&self, path: &str, body: serde_json::Value) -> reqwest::RequestBuilder {
        self.http
            .post(self.url(path))
            .basic_auth(self.handle.api_key(), Some("X"))
            .json(&body)
    }
}

/// A plain ticket created `age` ago.
pub fn ticket(subject: &str, age: Duration) -> Ticket {
    Ticket::new(subject, subject, Utc::now() - age)
}

/// The `rel="next"` URL of a reply, if any.
pub fn next_link(resp: &reqwest::Response) -> Option<String> {
    let v = resp.headers().get("link")?.to_str().ok()?;
    let start = v.find('<')? + 1;
    let end = v.find('>')?;
    assert!(v.ends_with("rel=\"next\""), "{v}");
    Some(v[start..end].to_owned())
}

pub fn validation(errors: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"description": "Validation failed", "errors": errors})
}

/// Send a request and keep only its status code.
pub async fn status(request: reqwest::RequestBuilder) -> u16 {
    request.send().await.unwrap().status().as_u16()
}
