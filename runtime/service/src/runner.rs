//! One pipeline on its schedule: a pass, then wait for the interval, a trigger
//! from the API, or the stop signal.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use triage_config::Since;
use triage_pipeline::{Pass, PassObserver, Summary};
use triage_state::StateStore;

use crate::metrics::Metrics;
use crate::parts::PipelineParts;
use crate::status::{Board, Counts, RunReport};

/// Failed tickets are retried on later passes up to this many attempts.
pub const MAX_ATTEMPTS: u32 = 5;

/// Runs one pipeline's passes.
#[derive(Clone)]
pub struct Runner {
    /// The pipeline's parts.
    pub parts: Arc<PipelineParts>,
    /// Decisions and watermarks.
    pub store: Arc<dyn StateStore>,
    /// Metrics and/or progress.
    pub observer: Arc<dyn PassObserver>,
    /// Status for the API.
    pub board: Arc<Board>,
    /// Stop after in-flight tickets.
    pub stop: CancellationToken,
    /// Pass results, when serving.
    pub metrics: Option<Arc<Metrics>>,
}

impl Runner {
    /// One pass now.
    pub async fn pass(&self) -> Result<Summary, String> {
        let (slot, steps) = self.parts.live.clone()?;
        let config = &self.parts.config;
        let mut query = config.query.clone();
        if let Some(since @ Since::Within(_)) = config.since {
            query.updated_since = Some(since.resolve(Utc::now()));
        }
        let mut adapter = slot.current();
        // A dry run writes nothing: the pipeline does not ask, and the sandbox refuses.
        if config.dry_run {
            adapter = adapter.read_only().unwrap_or(adapter);
        }
        let pass = Pass {
            pipeline: config.name.clone(),
            connection: config.connection.clone(),
            adapter,
            steps,
            write: self.parts.write_policy(),
            store: self.store.clone(),
            batch: config.batch,
            concurrency: self.parts.concurrency,
            max_attempts: MAX_ATTEMPTS,
            observer: self.observer.clone(),
            stop: self.stop.clone(),
        };
        pass.run(&query).await.map_err(|e| e.to_string())
    }

    /// A pass, recorded on the board.
    pub async fn recorded_pass(&self) -> Result<Summary, String> {
        let name = self.parts.config.name.clone();
        self.board
            .update(&name, |s| s.state = crate::status::State::Running);
        let started_at = Utc::now();
        let result = self.pass().await;
        let report = RunReport {
            started_at,
            finished_at: Utc::now(),
            counts: result.as_ref().map(Counts::of).unwrap_or_default(),
            stopped: result.as_ref().is_ok_and(|s| s.stopped),
            error: result.as_ref().err().cloned(),
        };
        match &result {
            Ok(s) => tracing::info!(
                pipeline = %name,
                fetched = s.fetched,
                skipped = s.skipped,
                updated = s.updated,
                unchanged = s.unchanged,
                failed = s.failed,
                "pass finished"
            ),
            Err(e) => tracing::error!(pipeline = %name, "pass failed: {e}"),
        }
        self.board.finished(&name, report);
        result
    }

    /// Passes until stopped.
    pub async fn run_forever(self, trigger: Arc<Notify>) {
        let every = self.parts.config.every.max(Duration::from_secs(1));
        let name = self.parts.config.name.clone();
        loop {
            let result = self.recorded_pass().await;
            if let Some(metrics) = &self.metrics {
                let outcome = match &result {
                    Ok(s) if s.stopped => "stopped",
                    Ok(_) => "ok",
                    Err(_) => "error",
                };
                let skipped = result.as_ref().map_or(0, |s| s.skipped);
                metrics.run_finished(&name, outcome, skipped);
            }
            if self.stop.is_cancelled() {
                return;
            }
            let next = Utc::now() + chrono::Duration::from_std(every).unwrap_or_default();
            self.board.update(&name, |s| s.next_run = Some(next));
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                () = trigger.notified() => {}
                () = self.stop.cancelled() => return,
            }
        }
    }
}
