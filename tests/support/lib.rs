//! What the integration tests share: where the built adapters are, a sandbox with
//! a private compile cache, and a small recording HTTP server on 127.0.0.1.

pub mod capture;
pub mod conformance;
pub mod freshdesk;
pub mod gitlab;
pub mod hostile;
pub mod otobo;
pub mod redmine;
pub mod redmine_real;
pub mod replay;
pub mod rt;
pub mod server;
pub mod service;
pub mod sim_probe;
pub mod zammad;
pub mod zendesk;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::OnceLock;

use triage_gateway::{Credential, Gateway, GatewayLimits, OriginPolicy, ReqwestTransport};
use triage_host::{
    AdapterSettings, HostError, LoadedAdapter, Sandbox, SandboxConfig, SandboxLimits, WasmAdapter,
};

/// A query that passes `query` to the adapter as its native form (the probes' commands).
pub fn native(query: &str) -> triage_core::TicketQuery {
    triage_core::TicketQuery {
        native: Some(query.to_owned()),
        ..triage_core::TicketQuery::default()
    }
}

/// The repository root (the directory holding `wit/`), from the testing
/// package's manifest directory (`tests/` or a crate under `runtime/`).
pub fn repo_root() -> PathBuf {
    // Read at run time (cargo sets it for tests): the compile-time value can be
    // stale when one target directory serves several checkouts.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .ancestors()
        .find(|d| d.join("wit").is_dir() && d.join("models").is_dir())
        .expect("the tests run inside the repository")
        .to_owned()
}

/// `dist/adapters/NAME.wasm`, built by `cargo xtask adapters`.
pub fn adapter_file(name: &str) -> PathBuf {
    let path = repo_root()
        .join("dist/adapters")
        .join(format!("{name}.wasm"));
    assert!(
        path.exists(),
        "{} is missing: run `cargo xtask adapters` first",
        path.display()
    );
    path
}

/// One sandbox per test binary. Compiled components are cached in one directory
/// shared by all test runs: entries are keyed by the file's hash and the engine
/// and written atomically, so sharing is safe, and a directory per run would
/// leave ~36 MB behind for each run that loads the Python adapter.
pub fn sandbox() -> Sandbox {
    static SANDBOX: OnceLock<Sandbox> = OnceLock::new();
    SANDBOX
        .get_or_init(|| {
            let dir = std::env::temp_dir().join("triage-test-cache");
            let mut config = SandboxConfig::from_env();
            config.cache_dir = Some(dir);
            Sandbox::new(config).expect("sandbox")
        })
        .clone()
}

/// Load an adapter from `dist/adapters`.
pub fn load(name: &str) -> LoadedAdapter {
    sandbox()
        .load(&adapter_file(name), None)
        .expect("adapter loads")
}

/// How a test connection is set up.
#[derive(Clone, Default)]
pub struct Connection {
    /// Base URL; everything else is refused.
    pub base_url: String,
    /// Extra origins.
    pub extra_origins: Vec<String>,
    /// Credential the host injects.
    pub credential: Option<Credential>,
    /// Gateway caps.
    pub gateway: GatewayLimits,
    /// Sandbox bounds.
    pub sandbox: SandboxLimits,
    /// Adapter settings.
    pub settings: BTreeMap<String, String>,
}

impl Connection {
    /// A connection to `base_url` with default limits.
    pub fn to(base_url: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            ..Self::default()
        }
    }

    /// Connect a loaded adapter through a real gateway.
    pub async fn connect(&self, loaded: &LoadedAdapter) -> WasmAdapter {
        self.try_connect(loaded).await.expect("adapter connects")
    }

    /// Connect a loaded adapter through a real gateway, or say why it would not start.
    pub async fn try_connect(&self, loaded: &LoadedAdapter) -> Result<WasmAdapter, HostError> {
        let policy = OriginPolicy::new(&self.base_url, &self.extra_origins).expect("policy");
        let gateway = Gateway::new(
            "test",
            policy,
            self.credential.clone(),
            self.gateway,
            Arc::new(ReqwestTransport::new().expect("transport")),
        );
        WasmAdapter::connect(
            loaded,
            AdapterSettings {
                connection: "test".into(),
                gateway: Some(gateway),
                settings: self.settings.clone(),
                limits: self.sandbox,
            },
        )
        .await
    }
}
