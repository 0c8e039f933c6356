//! A GitLab REST API v4 simulator: the issues of one project, used as a Service Desk (see
//! `shared/reference/ticket-apis.md` "GitLab" and GitLab's Issues, Notes, Labels and
//! pagination docs).
//!
//! Start one in-process with [`GitlabSim::start`]; the returned [`SimHandle`] gives the base
//! URL, token and project for an adapter, lets a test read and change the project's state
//! and the request log, and changes faults and the rate limit while it runs. `triage sim
//! gitlab` wraps the same thing for people.
//!
//! The project: one scoped label `queue::<name>` per queue and `priority::low|medium|high|
//! urgent`; generated tickets become Service Desk issues (author `support-bot`, requester in
//! `service_desk_reply_to`, iid = the generated id); their tags are plain labels. Spam and
//! deleted tickets are left out (GitLab deletes issues for good).
//!
//! The traps an adapter must handle, each where GitLab's docs put it:
//! - lists are offset pages (`list.rs`) ordered by `updated_at` on request, with
//!   `X-Next-Page` / `Link`; an issue changed mid-scan moves, so page numbers shift; totals
//!   are left out above 10,000 matches;
//! - `labels` on a PUT replaces the list; `add_labels` / `remove_labels` keep the others, and
//!   removal wins over addition (`update.rs`); a label the project lacks is created, so a
//!   misspelt queue is silently a new label;
//! - scoped labels are exclusive: adding `queue::b` drops `queue::a`;
//! - a note is public unless `internal: true` (older name `confidential: true`);
//! - errors: 404 `{"message":"404 Issue Not Found"}`, 400 `{"message":{attr:[…]}}` or
//!   `{"error":"attr is invalid"}` (`api_error.rs`); 401 `{"message":"401 Unauthorized"}`;
//! - while a limit is set every reply has `RateLimit-Limit` / `-Remaining` / `-Observed`;
//!   past it 429 "Retry later" with `Retry-After` and `RateLimit-Reset` (`pipeline.rs`).

mod api_error;
mod auth;
mod config;
mod list;
mod model;
mod pipeline;
mod render;
mod routes;
mod shared;
mod store;
mod update;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

pub use crate::ratelimit::RateLimitConfig;
pub use config::{DEFAULT_PROJECT_ID, DEFAULT_PROJECT_PATH, DEFAULT_TOKEN, SimConfig};
pub use list::{PER_PAGE_DEFAULT, PER_PAGE_MAX, TOTAL_COUNT_LIMIT};
pub use model::{Issue, Label, Note, User, scope};
pub use shared::Shared;
pub use store::{BOT_ID, ISSUE_ID_BASE, SUPPORT_BOT_ID};

use crate::error::SimError;
use crate::freshdesk::{Accuracy, Dataset, Priority, Truth};
use crate::handle::{Bound, Handle, Traffic};
use shared::lock;

/// Entry point: starts GitLab simulators.
pub struct GitlabSim;

impl GitlabSim {
    /// Binds `config.bind` (port 0: OS-assigned) and serves until the handle is shut down or
    /// dropped. Must be called inside a Tokio runtime.
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        let store = store::Store::new(&config)?;
        let bound = Bound::bind(config.bind).await?;
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            traffic: Traffic::new(
                config.log_capacity,
                config.faults.clone(),
                config.rate_limits.clone(),
            ),
            credentials: auth::Credentials {
                token: config.token.clone(),
            },
            base_url: bound.base_url().to_owned(),
        });
        let router = routes::router(shared.clone()).layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            pipeline::pipeline,
        ));
        Ok(bound.serve(shared, router, "gitlab"))
    }
}

/// A running simulator. Dropping it stops the server.
pub type SimHandle = Handle<Shared>;

/// The generator's priority as the simulator's `priority::` label value.
pub fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::Low => "low",
        Priority::Medium => "medium",
        Priority::High => "high",
        Priority::Urgent => "urgent",
    }
}

/// The value of an issue's label with scope `prefix` (`queue::`), if it has one.
pub fn scoped_value<'a>(labels: &'a [String], prefix: &str) -> Option<&'a str> {
    labels.iter().find_map(|l| l.strip_prefix(prefix))
}

impl Handle<Shared> {
    /// The access token (send it as `PRIVATE-TOKEN` or Bearer).
    pub fn token(&self) -> &str {
        &self.shared.credentials.token
    }

    /// The project's numeric id.
    pub fn project_id(&self) -> u64 {
        lock(&self.shared.store).project_id
    }

    /// The project's full path (`group/project`).
    pub fn project_path(&self) -> String {
        lock(&self.shared.store).project_path.clone()
    }

    /// All issues, by iid.
    pub fn issues(&self) -> Vec<Issue> {
        lock(&self.shared.store).issues.values().cloned().collect()
    }

    /// One issue by iid.
    pub fn issue(&self, iid: u64) -> Option<Issue> {
        lock(&self.shared.store).issues.get(&iid).cloned()
    }

    /// The iids of every issue.
    pub fn issue_iids(&self) -> BTreeSet<u64> {
        lock(&self.shared.store).issues.keys().copied().collect()
    }

    /// How many issues the project holds.
    pub fn issue_count(&self) -> usize {
        lock(&self.shared.store).issues.len()
    }

    /// The notes of an issue, oldest first.
    pub fn notes(&self, iid: u64) -> Vec<Note> {
        lock(&self.shared.store)
            .notes
            .get(&iid)
            .cloned()
            .unwrap_or_default()
    }

    /// The project's labels.
    pub fn labels(&self) -> Vec<Label> {
        lock(&self.shared.store).labels.clone()
    }

    /// The hidden true label of an issue, if it has one.
    pub fn truth(&self, iid: u64) -> Option<Truth> {
        lock(&self.shared.store).truth.get(&iid).cloned()
    }

    /// All hidden true labels.
    pub fn truths(&self) -> BTreeMap<u64, Truth> {
        lock(&self.shared.store).truth.clone()
    }

    /// Visible `queue::` / `priority::` labels against the hidden truth (an issue with a
    /// queue label counts as classified).
    pub fn accuracy(&self) -> Accuracy {
        let store = lock(&self.shared.store);
        let mut acc = Accuracy::default();
        for (iid, truth) in &store.truth {
            let Some(i) = store.issues.get(iid) else {
                continue;
            };
            acc.labelled += 1;
            let Some(queue) = scoped_value(&i.labels, "queue::") else {
                continue;
            };
            acc.classified += 1;
            acc.queue_correct += usize::from(queue == truth.queue);
            acc.priority_correct += usize::from(
                scoped_value(&i.labels, "priority::") == Some(priority_name(truth.priority)),
            );
        }
        acc
    }

    /// Adds an issue (iid 0: the next free iid). Its labels are created as needed.
    pub fn insert_issue(&self, issue: Issue) -> u64 {
        lock(&self.shared.store).insert_issue(issue)
    }

    /// Adds generated tickets as issues with their true labels.
    pub fn insert_dataset(&self, data: &Dataset) -> Result<(), SimError> {
        lock(&self.shared.store).insert_dataset(data)
    }

    /// Changes an issue behind the API's back (no validation, no `updated_at` bump): for
    /// tests that simulate people working in the UI. False when there is no such issue.
    pub fn modify_issue(&self, iid: u64, f: impl FnOnce(&mut Issue)) -> bool {
        let mut store = lock(&self.shared.store);
        let Some(i) = store.issues.get_mut(&iid) else {
            return false;
        };
        let stamp = i.updated_at;
        f(i);
        i.labels.sort();
        i.labels.dedup();
        let labels = i.labels.clone();
        for l in &labels {
            store.ensure_label(l);
        }
        store.reindex(iid, stamp);
        true
    }
}
