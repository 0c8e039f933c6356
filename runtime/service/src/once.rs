//! `triage run --once`: one pass of each pipeline, then exit (for cron).

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use triage_config::Config;
use triage_host::{Sandbox, SandboxConfig};
use triage_pipeline::{PassObserver, Summary};
use triage_state::{SqliteStore, StateStore};

use crate::error::ServiceError;
use crate::metrics::Metrics;
use crate::parts;
use crate::runner::Runner;
use crate::status::Board;

/// One pipeline's result.
pub struct PipelineResult {
    /// Pipeline name.
    pub name: String,
    /// Its pass, or why it could not run.
    pub result: Result<Summary, String>,
    /// Seconds the pass took.
    pub seconds: f64,
}

/// Run one pass of each pipeline in `only` (all when empty), concurrently.
/// `stop` ends them after their in-flight tickets (Ctrl-C).
pub async fn run_once(
    config: &Config,
    only: &[String],
    observer: Arc<dyn PassObserver>,
    stop: CancellationToken,
) -> Result<Vec<PipelineResult>, ServiceError> {
    if let Some(unknown) = only.iter().find(|n| !config.pipelines.contains_key(*n)) {
        return Err(ServiceError::UnknownPipeline(unknown.clone()));
    }
    let store: Arc<dyn StateStore> = Arc::new(SqliteStore::open(&config.state.path)?);
    let sandbox = Sandbox::new(SandboxConfig::from_env())?;
    let built = parts::build(config, &sandbox, &Metrics::shared()).await;
    let board = Arc::new(Board::default());
    let passes = built
        .pipelines
        .iter()
        .filter(|(name, _)| only.is_empty() || only.contains(name))
        .map(|(name, pipeline)| {
            let runner = Runner {
                parts: pipeline.clone(),
                store: store.clone(),
                observer: observer.clone(),
                board: board.clone(),
                stop: stop.clone(),
                metrics: None,
            };
            let name = name.clone();
            async move {
                let started = std::time::Instant::now();
                let result = runner.pass().await;
                PipelineResult {
                    name,
                    result,
                    seconds: started.elapsed().as_secs_f64(),
                }
            }
        });
    Ok(futures::future::join_all(passes).await)
}
