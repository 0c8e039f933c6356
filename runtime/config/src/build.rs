//! Live parts from a loaded configuration: the adapter behind a connection
//! (pinned file, gateway with origin policy, credential and limits, settings)
//! and classifiers. Errors start with the location of the key that configured
//! the part, so `triage serve` reports them like `triage check` does.

use std::sync::Arc;

use triage_classifier::{AsyncClassifier, ClassifierOptions};
use triage_gateway::{
    Gateway, GatewayLimits, OriginPolicy, RequestPacer, ReqwestTransport, SessionMaterial,
};
use triage_host::{AdapterSettings, LoadedAdapter, Sandbox, SandboxLimits, WasmAdapter};

use crate::error::BuildError;
use crate::model::{Config, ConnectionConfig};

/// The sandbox bounds a connection asks for.
pub fn sandbox_limits(c: &ConnectionConfig) -> SandboxLimits {
    SandboxLimits {
        memory_bytes: usize::try_from(c.limits.memory_mb * 1024 * 1024).unwrap_or(usize::MAX),
        call_deadline: c.limits.deadline,
        instances: c.limits.concurrency as usize,
    }
}

fn connection<'c>(config: &'c Config, name: &str) -> Result<&'c ConnectionConfig, BuildError> {
    config
        .connections
        .get(name)
        .ok_or_else(|| BuildError::Unknown {
            file: config.path.clone(),
            what: "connection",
            name: name.to_owned(),
        })
}

/// Compile (or fetch from the cache) and check a connection's adapter, refusing a
/// file whose sha256 differs from its pin. Blocking: compiling can take seconds.
pub fn load_adapter(
    config: &Config,
    connection: &str,
    sandbox: &Sandbox,
) -> Result<LoadedAdapter, BuildError> {
    let c = self::connection(config, connection)?;
    let key = format!("connections.{connection}.adapter");
    sandbox
        .load(&c.adapter, c.sha256.as_deref())
        .map_err(|cause| BuildError::Adapter {
            at: config.locate(&key),
            key,
            cause: Box::new(cause),
        })
}

/// The gateway of a connection: its origins, its credential, HTTP caps that fit
/// its deadline, and a request pacer when `requests_per_minute` is set. The pacer
/// is shared by the clones of this gateway (one adapter's instances), so build a
/// connection's gateway once.
pub fn gateway(config: &Config, connection: &str) -> Result<Gateway, BuildError> {
    let c = self::connection(config, connection)?;
    let failed = |key: &str, message: String| BuildError::Gateway {
        at: config.locate(key),
        key: key.to_owned(),
        message,
    };
    let base_key = format!("connections.{connection}.base_url");
    let policy =
        OriginPolicy::new(&c.base_url, &c.allow_origins).map_err(|m| failed(&base_key, m))?;
    let transport = ReqwestTransport::new().map_err(|e| failed(&base_key, e.to_string()))?;
    let defaults = GatewayLimits::default();
    let limits = GatewayLimits {
        request_timeout: defaults.request_timeout.min(c.limits.deadline),
        ..defaults
    };
    let mut gateway = Gateway::new(
        connection,
        policy,
        c.credential.clone(),
        limits,
        Arc::new(transport),
    );
    if let Some(names) = &c.session_material {
        gateway = gateway.with_session_material(SessionMaterial::new(names.iter().cloned()));
    }
    // Paced per connection, so a pipeline stays under the system's own limit.
    Ok(match c.limits.requests_per_minute {
        Some(per_minute) => gateway.with_pacer(Arc::new(RequestPacer::per_minute(per_minute))),
        None => gateway,
    })
}

/// Connect an already loaded adapter for `connection`.
pub async fn connect_loaded(
    config: &Config,
    connection: &str,
    loaded: &LoadedAdapter,
) -> Result<WasmAdapter, BuildError> {
    let c = self::connection(config, connection)?;
    let settings = AdapterSettings {
        connection: connection.to_owned(),
        gateway: Some(gateway(config, connection)?),
        settings: c.settings.clone(),
        limits: sandbox_limits(c),
    };
    let key = format!("connections.{connection}");
    WasmAdapter::connect(loaded, settings)
        .await
        .map_err(|cause| BuildError::Adapter {
            at: config.locate(&key),
            key,
            cause: Box::new(cause),
        })
}

/// Load the connection's adapter (pinned, checked against the contract) and
/// connect it through its gateway. The compile runs on a blocking thread.
pub async fn connect(
    config: &Config,
    connection: &str,
    sandbox: &Sandbox,
) -> Result<WasmAdapter, BuildError> {
    let loaded = {
        let (config, name, sandbox) = (config.clone(), connection.to_owned(), sandbox.clone());
        tokio::task::spawn_blocking(move || load_adapter(&config, &name, &sandbox))
            .await
            .expect("adapter loading does not panic")?
    };
    connect_loaded(config, connection, &loaded).await
}

/// Load a model with its configured threads.
pub async fn load_model(config: &Config, model: &str) -> Result<AsyncClassifier, BuildError> {
    let m = config
        .models
        .get(model)
        .ok_or_else(|| BuildError::Unknown {
            file: config.path.clone(),
            what: "model",
            name: model.to_owned(),
        })?;
    let options = ClassifierOptions {
        intra_threads: m.threads,
        ..ClassifierOptions::default()
    };
    AsyncClassifier::load(m.path.clone(), options)
        .await
        .map_err(|cause| {
            let key = format!("models.{model}");
            BuildError::Model {
                at: config.locate(&key),
                key,
                cause: Box::new(cause),
            }
        })
}
