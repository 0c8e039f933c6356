//! What each pipeline is doing and has done, for `/v1/pipelines` and `triage run`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::Serialize;
use triage_pipeline::Summary;

/// Ticket counts of one pass, or summed over passes.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Listed by the query.
    pub fetched: u64,
    /// Already decided for the same text.
    pub skipped: u64,
    /// Written.
    pub updated: u64,
    /// Decided, nothing to write.
    pub unchanged: u64,
    /// Decided in dry-run mode.
    pub dry_run: u64,
    /// Write failed (retried on a later pass).
    pub failed: u64,
    /// Agents' corrections of what triage wrote, newly recorded.
    pub corrections: u64,
    /// Left alone: an agent corrected what triage wrote.
    pub held: u64,
}

impl Counts {
    /// The counts of a pass.
    pub fn of(summary: &Summary) -> Self {
        Self {
            fetched: summary.fetched as u64,
            skipped: summary.skipped as u64,
            updated: summary.updated as u64,
            unchanged: summary.unchanged as u64,
            dry_run: summary.dry_run as u64,
            failed: summary.failed as u64,
            corrections: summary.corrections as u64,
            held: summary.held as u64,
        }
    }

    fn add(&mut self, other: Counts) {
        self.fetched += other.fetched;
        self.skipped += other.skipped;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.dry_run += other.dry_run;
        self.failed += other.failed;
        self.corrections += other.corrections;
        self.held += other.held;
    }
}

/// One finished pass.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: DateTime<Utc>,
    /// Its counts.
    pub counts: Counts,
    /// Stopped early (shutdown or reload).
    pub stopped: bool,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

/// A pipeline's state.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Waiting for its next run.
    Idle,
    /// A pass is under way.
    Running,
    /// Its connection or a model could not be built.
    Unavailable,
}

/// One pipeline's status.
#[derive(Debug, Clone, Serialize)]
pub struct PipelineStatus {
    /// Pipeline name.
    pub name: String,
    /// Its connection.
    pub connection: String,
    /// Idle, running, unavailable.
    pub state: State,
    /// Seconds between passes.
    pub every_seconds: u64,
    /// Dry-run mode.
    pub dry_run: bool,
    /// Passes finished since the service started.
    pub runs: u64,
    /// The last finished pass.
    pub last_run: Option<RunReport>,
    /// The last error (a failed pass, or why the pipeline is unavailable).
    pub last_error: Option<String>,
    /// Counts summed over this service's passes.
    pub totals: Counts,
    /// When the next pass is due.
    pub next_run: Option<DateTime<Utc>>,
}

/// Every pipeline's status; kept across reloads.
#[derive(Default)]
pub struct Board {
    pipelines: Mutex<BTreeMap<String, PipelineStatus>>,
}

impl Board {
    /// Set up a pipeline (on start and reload), keeping its history if known.
    pub fn register(&self, status: PipelineStatus) {
        let mut all = self.pipelines.lock().expect("board lock");
        match all.get_mut(&status.name) {
            Some(known) => {
                known.connection = status.connection;
                known.state = status.state;
                known.every_seconds = status.every_seconds;
                known.dry_run = status.dry_run;
                if status.last_error.is_some() {
                    known.last_error = status.last_error;
                }
            }
            None => {
                all.insert(status.name.clone(), status);
            }
        }
    }

    /// Keep only these pipelines (after a reload removed some).
    pub fn retain(&self, names: &[String]) {
        let mut all = self.pipelines.lock().expect("board lock");
        all.retain(|name, _| names.contains(name));
    }

    /// Change one pipeline's status.
    pub fn update(&self, name: &str, change: impl FnOnce(&mut PipelineStatus)) {
        if let Some(status) = self.pipelines.lock().expect("board lock").get_mut(name) {
            change(status);
        }
    }

    /// Record a finished pass.
    pub fn finished(&self, name: &str, report: RunReport) {
        self.update(name, |s| {
            s.state = State::Idle;
            s.runs += 1;
            s.totals.add(report.counts);
            s.last_error = report.error.clone();
            s.last_run = Some(report);
        });
    }

    /// Every pipeline's status.
    pub fn all(&self) -> Vec<PipelineStatus> {
        self.pipelines
            .lock()
            .expect("board lock")
            .values()
            .cloned()
            .collect()
    }

    /// One pipeline's status.
    pub fn get(&self, name: &str) -> Option<PipelineStatus> {
        self.pipelines
            .lock()
            .expect("board lock")
            .get(name)
            .cloned()
    }
}
