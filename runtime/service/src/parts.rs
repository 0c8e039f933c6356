//! The live parts a configuration describes: one adapter slot per connection,
//! one classifier per model, one pass template per pipeline.
//!
//! A part that cannot be built does not stop the others: its pipelines report the
//! error (in `/v1/pipelines`, logs and metrics) and the rest run. `triage check`
//! is where such errors are meant to be caught first.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use triage_classifier::AsyncClassifier;
use triage_config::{Config, PipelineConfig};
use triage_core::TicketAdapter;
use triage_host::Sandbox;
use triage_pipeline::{Step, WritePolicy};

use crate::metered::{AdapterSlot, MeteredAdapter};
use crate::metrics::Metrics;

/// A loaded model and its version.
#[derive(Clone)]
pub struct LoadedModel {
    /// The classifier.
    pub model: AsyncClassifier,
    /// First 12 hex digits of the sha256 of its `model.onnx`.
    pub version: String,
}

/// One connection, live.
pub struct LiveConnection {
    /// The adapter for the next pass.
    pub slot: Arc<AdapterSlot>,
}

/// What a pipeline needs for each pass, or why it cannot run.
pub struct PipelineParts {
    /// The configuration.
    pub config: PipelineConfig,
    /// Its connection's adapter slot and steps, or the build error.
    pub live: Result<(Arc<AdapterSlot>, Vec<Arc<Step>>), String>,
    /// Tickets written at once (the connection's concurrency).
    pub concurrency: usize,
}

impl PipelineParts {
    /// The write policy.
    pub fn write_policy(&self) -> WritePolicy {
        WritePolicy {
            fields: self.config.write_fields,
            tag: self.config.tag.clone(),
            note: self.config.note.clone(),
            dry_run: self.config.dry_run,
        }
    }
}

/// Everything built from one configuration.
pub struct Parts {
    /// Connections that came up, by name.
    pub connections: BTreeMap<String, LiveConnection>,
    /// Models that loaded, by name.
    pub models: BTreeMap<String, LoadedModel>,
    /// Pipelines by name.
    pub pipelines: BTreeMap<String, Arc<PipelineParts>>,
}

/// Build the parts of `config`; failures are kept per part.
pub async fn build(config: &Config, sandbox: &Sandbox, metrics: &Arc<Metrics>) -> Parts {
    let mut connections = BTreeMap::new();
    let mut connection_errors = BTreeMap::new();
    for name in config.connections.keys() {
        match connect_adapter(config, name, sandbox, metrics).await {
            Ok(adapter) => {
                let slot = Arc::new(AdapterSlot::new(adapter));
                connections.insert(name.clone(), LiveConnection { slot });
            }
            Err(e) => {
                tracing::error!(connection = %name, "connection unavailable: {e}");
                connection_errors.insert(name.clone(), e);
            }
        }
    }
    let mut models = BTreeMap::new();
    let mut model_errors = BTreeMap::new();
    for name in config.models.keys() {
        match load_model(config, name).await {
            Ok(m) => {
                models.insert(name.clone(), m);
            }
            Err(e) => {
                tracing::error!(model = %name, "model unavailable: {e}");
                model_errors.insert(name.clone(), e);
            }
        }
    }
    let pipelines = config
        .pipelines
        .iter()
        .map(|(name, p)| {
            let live = assemble(p, &connections, &connection_errors, &models, &model_errors);
            let concurrency = config
                .connections
                .get(&p.connection)
                .map_or(1, |c| c.limits.concurrency.max(1) as usize);
            let parts = PipelineParts {
                config: p.clone(),
                live,
                concurrency,
            };
            (name.clone(), Arc::new(parts))
        })
        .collect();
    Parts {
        connections,
        models,
        pipelines,
    }
}

fn assemble(
    p: &PipelineConfig,
    connections: &BTreeMap<String, LiveConnection>,
    connection_errors: &BTreeMap<String, String>,
    models: &BTreeMap<String, LoadedModel>,
    model_errors: &BTreeMap<String, String>,
) -> Result<(Arc<AdapterSlot>, Vec<Arc<Step>>), String> {
    let slot = match connections.get(&p.connection) {
        Some(c) => c.slot.clone(),
        None => {
            let why = connection_errors
                .get(&p.connection)
                .map_or("", String::as_str);
            return Err(format!("connection {:?} unavailable: {why}", p.connection));
        }
    };
    let mut steps = Vec::new();
    for step in &p.steps {
        let Some(m) = models.get(&step.model) else {
            let why = model_errors.get(&step.model).map_or("", String::as_str);
            return Err(format!("model {:?} unavailable: {why}", step.model));
        };
        steps.push(Arc::new(Step {
            model_name: step.model.clone(),
            model_version: m.version.clone(),
            model: m.model.clone(),
            policy: step.policy.clone(),
        }));
    }
    Ok((slot, steps))
}

/// A fresh adapter for a connection (also used when its `.wasm` changes).
pub async fn connect_adapter(
    config: &Config,
    name: &str,
    sandbox: &Sandbox,
    metrics: &Arc<Metrics>,
) -> Result<Arc<dyn TicketAdapter>, String> {
    let loaded = {
        let (config, name, sandbox) = (config.clone(), name.to_owned(), sandbox.clone());
        tokio::task::spawn_blocking(move || triage_config::load_adapter(&config, &name, &sandbox))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?
    };
    let adapter = triage_config::connect_loaded(config, name, &loaded)
        .await
        .map_err(|e| e.to_string())?;
    let (sink_metrics, connection) = (metrics.clone(), name.to_owned());
    adapter.report_faults(Arc::new(move |kind| {
        sink_metrics.sandbox_fault(&connection, kind.as_str())
    }));
    Ok(Arc::new(MeteredAdapter::new(
        name,
        Arc::new(adapter),
        metrics.clone(),
    )))
}

async fn load_model(config: &Config, name: &str) -> Result<LoadedModel, String> {
    let model = triage_config::load_model(config, name)
        .await
        .map_err(|e| e.to_string())?;
    let version = config
        .models
        .get(name)
        .map(|m| model_version(&m.path))
        .unwrap_or_default();
    Ok(LoadedModel { model, version })
}

/// First 12 hex digits of the sha256 of `model.onnx` in `dir`.
pub fn model_version(dir: &Path) -> String {
    match std::fs::read(dir.join("model.onnx")) {
        Ok(bytes) => hex::encode(Sha256::digest(&bytes))[..12].to_owned(),
        Err(_) => "unknown".to_owned(),
    }
}
