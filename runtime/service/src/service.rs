//! `triage serve`: every pipeline on its schedule, reloads, graceful stop.
//!
//! Reloading (SIGHUP, or `reload()`) reads the configuration again; if it is
//! invalid the running pipelines keep going and the error is logged. If it is
//! valid, every pass stops after its in-flight tickets (nothing is lost: the
//! state store records each ticket as it is done), and the new pipelines start.
//! A changed adapter `.wasm` is swapped in without stopping anything: passes
//! under way finish with the adapter they started with. The state database is
//! opened once; changing `state:` needs a restart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::{Mutex, Notify};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use triage_config::Config;
use triage_host::{Sandbox, SandboxConfig};
use triage_state::{SqliteStore, StateStore};

use crate::error::ServiceError;
use crate::metrics::Metrics;
use crate::parts::{self, Parts};
use crate::runner::Runner;
use crate::status::{Board, PipelineStatus, State};

/// How often adapter files are checked for changes.
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// The running service.
pub struct Service {
    config_path: PathBuf,
    sandbox: Sandbox,
    metrics: Arc<Metrics>,
    store: Arc<dyn StateStore>,
    board: Arc<Board>,
    running: Mutex<Running>,
    ready: std::sync::atomic::AtomicBool,
}

struct Running {
    config: Config,
    parts: Arc<Parts>,
    stop: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
    triggers: BTreeMap<String, Arc<Notify>>,
    adapter_files: BTreeMap<String, Option<FileStamp>>,
}

type FileStamp = (SystemTime, u64);

fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Service {
    /// Read the configuration, open the state store, build every part and start
    /// every pipeline.
    pub async fn start(config_path: &Path) -> Result<Arc<Self>, ServiceError> {
        Self::start_with(triage_config::load(config_path)?).await
    }

    /// [`start`](Self::start) with a configuration already loaded (reloads read
    /// its file again).
    pub async fn start_with(config: Config) -> Result<Arc<Self>, ServiceError> {
        let config_path = config.path.clone();
        let store: Arc<dyn StateStore> = Arc::new(SqliteStore::open(&config.state.path)?);
        let sandbox = Sandbox::new(SandboxConfig::from_env())?;
        let metrics = Metrics::shared();
        let board = Arc::new(Board::default());
        let running = launch(config, &sandbox, &metrics, &store, &board).await;
        let service = Arc::new(Self {
            config_path,
            sandbox,
            metrics,
            store,
            board,
            running: Mutex::new(running),
            ready: true.into(),
        });
        tokio::spawn(watch_adapters(Arc::downgrade(&service)));
        Ok(service)
    }

    /// The configuration in force.
    pub async fn config(&self) -> Config {
        self.running.lock().await.config.clone()
    }

    /// The parts in force (models for `/v1/classify`).
    pub async fn parts(&self) -> Arc<Parts> {
        self.running.lock().await.parts.clone()
    }

    /// Metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Pipeline status.
    pub fn board(&self) -> &Arc<Board> {
        &self.board
    }

    /// The state store.
    pub fn store(&self) -> &Arc<dyn StateStore> {
        &self.store
    }

    /// False while starting or reloading.
    pub fn is_ready(&self) -> bool {
        self.ready.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Start a pass of `pipeline` now; false if there is no such pipeline.
    pub async fn trigger(&self, pipeline: &str) -> bool {
        match self.running.lock().await.triggers.get(pipeline) {
            Some(t) => {
                t.notify_one();
                true
            }
            None => false,
        }
    }

    /// Read the configuration again and restart the pipelines with it. An invalid
    /// file leaves everything running as it was.
    pub async fn reload(&self) -> Result<(), ServiceError> {
        let config = triage_config::load(&self.config_path)?;
        let mut running = self.running.lock().await;
        self.ready
            .store(false, std::sync::atomic::Ordering::Relaxed);
        stop(&mut running).await;
        *running = launch(
            config,
            &self.sandbox,
            &self.metrics,
            &self.store,
            &self.board,
        )
        .await;
        self.ready.store(true, std::sync::atomic::Ordering::Relaxed);
        tracing::info!(config = %self.config_path.display(), "configuration reloaded");
        Ok(())
    }

    /// Stop every pipeline after its in-flight tickets.
    pub async fn shutdown(&self) {
        self.ready
            .store(false, std::sync::atomic::Ordering::Relaxed);
        stop(&mut *self.running.lock().await).await;
    }

    /// Swap in adapters whose files changed; returns the connections swapped.
    pub async fn reload_changed_adapters(&self) -> Vec<String> {
        let mut running = self.running.lock().await;
        let mut swapped = Vec::new();
        let changed: Vec<(String, Option<FileStamp>)> = running
            .adapter_files
            .iter()
            .filter_map(|(name, seen)| {
                let path = &running.config.connections.get(name)?.adapter;
                let now = stamp(path);
                (now != *seen).then(|| (name.clone(), now))
            })
            .collect();
        for (name, now) in changed {
            running.adapter_files.insert(name.clone(), now);
            let Some(live) = running.parts.connections.get(&name) else {
                tracing::warn!(connection = %name, "adapter file changed; reload the configuration (SIGHUP) to bring this connection up");
                continue;
            };
            match parts::connect_adapter(&running.config, &name, &self.sandbox, &self.metrics).await
            {
                Ok(adapter) => {
                    live.slot.replace(adapter);
                    tracing::info!(connection = %name, "adapter file changed: new adapter in use from the next pass");
                    swapped.push(name);
                }
                Err(e) => {
                    tracing::error!(connection = %name, "adapter file changed but cannot be used, keeping the old one: {e}")
                }
            }
        }
        swapped
    }
}

async fn launch(
    config: Config,
    sandbox: &Sandbox,
    metrics: &Arc<Metrics>,
    store: &Arc<dyn StateStore>,
    board: &Arc<Board>,
) -> Running {
    let parts = Arc::new(parts::build(&config, sandbox, metrics).await);
    let stop = CancellationToken::new();
    let mut tasks = Vec::new();
    let mut triggers = BTreeMap::new();
    board.retain(&parts.pipelines.keys().cloned().collect::<Vec<_>>());
    for (name, pipeline) in &parts.pipelines {
        board.register(PipelineStatus {
            name: name.clone(),
            connection: pipeline.config.connection.clone(),
            state: if pipeline.live.is_ok() {
                State::Idle
            } else {
                State::Unavailable
            },
            every_seconds: pipeline.config.every.as_secs(),
            dry_run: pipeline.config.dry_run,
            runs: 0,
            last_run: None,
            last_error: pipeline.live.as_ref().err().cloned(),
            totals: Default::default(),
            next_run: None,
        });
        if pipeline.live.is_err() {
            continue;
        }
        let runner = Runner {
            parts: pipeline.clone(),
            store: store.clone(),
            observer: metrics.clone(),
            board: board.clone(),
            stop: stop.clone(),
            metrics: Some(metrics.clone()),
        };
        let trigger = Arc::new(Notify::new());
        triggers.insert(name.clone(), trigger.clone());
        tasks.push(tokio::spawn(runner.run_forever(trigger)));
    }
    let adapter_files = config
        .connections
        .iter()
        .map(|(name, c)| (name.clone(), stamp(&c.adapter)))
        .collect();
    Running {
        config,
        parts,
        stop,
        tasks,
        triggers,
        adapter_files,
    }
}

async fn stop(running: &mut Running) {
    running.stop.cancel();
    for task in running.tasks.drain(..) {
        if let Err(e) = task.await {
            tracing::error!("a pipeline task ended badly: {e}");
        }
    }
}

async fn watch_adapters(service: std::sync::Weak<Service>) {
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        let Some(service) = service.upgrade() else {
            return;
        };
        service.reload_changed_adapters().await;
    }
}
