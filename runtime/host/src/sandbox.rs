//! The engine every adapter shares, and loading a component file into it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine};

use crate::HostError;
use crate::bindings::{self, AdapterPre};
use crate::cache::ComponentCache;
use crate::contract::{self, ContractVersion};
use crate::footprint::Footprint;
use crate::guest_state::GuestState;

/// How the sandbox is set up.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Where compiled components are kept; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// Granularity of deadlines, and how often a running guest yields to the executor.
    pub epoch_tick: Duration,
}

impl SandboxConfig {
    /// The cache in `$TRIAGE_CACHE_DIR`, else `$XDG_CACHE_HOME/triage/components`,
    /// else `~/.cache/triage/components`; `TRIAGE_CACHE_DIR=off` disables it.
    pub fn from_env() -> Self {
        let cache_dir = match std::env::var_os("TRIAGE_CACHE_DIR") {
            Some(v) if v == "off" => None,
            Some(v) => Some(PathBuf::from(v)),
            None => std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .map(|base| base.join("triage").join("components")),
        };
        Self {
            cache_dir,
            epoch_tick: Duration::from_millis(10),
        }
    }
}

/// One wasmtime engine, its linker and compile cache, shared by every adapter.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    linker: Linker<GuestState>,
    cache: Option<ComponentCache>,
    ticker_stop: Arc<AtomicBool>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.ticker_stop.store(true, Ordering::Relaxed);
    }
}

impl Sandbox {
    /// Build the engine (epoch interruption on), the linker with every contract
    /// version's imports plus deny-all WASI, and start the epoch ticker.
    pub fn new(config: SandboxConfig) -> Result<Self, HostError> {
        let mut wasm = Config::new();
        wasm.wasm_component_model(true).epoch_interruption(true);
        let engine = Engine::new(&wasm).map_err(|e| HostError::Engine(e.to_string()))?;
        let mut linker = Linker::new(&engine);
        bindings::add_to_linker(&mut linker).map_err(|e| HostError::Engine(e.to_string()))?;
        let cache = match config.cache_dir {
            Some(dir) => match ComponentCache::open(dir.clone(), &engine) {
                Ok(cache) => Some(cache),
                Err(e) => {
                    tracing::warn!(dir = %dir.display(), "compile cache not used, components are compiled in memory: {e}");
                    None
                }
            },
            None => None,
        };
        let ticker_stop = Arc::new(AtomicBool::new(false));
        spawn_ticker(&engine, config.epoch_tick, ticker_stop.clone());
        Ok(Self {
            inner: Arc::new(Inner {
                engine,
                linker,
                cache,
                ticker_stop,
            }),
        })
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Compile (or fetch from the cache) a component file, without checking the
    /// contract. Blocking: compiling can take seconds, call it off the executor.
    pub(crate) fn compile(&self, path: &Path) -> Result<Compiled, HostError> {
        let bytes = std::fs::read(path).map_err(|source| HostError::Read {
            path: path.to_owned(),
            source,
        })?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let compile_error = |detail: String| HostError::Compile {
            path: path.to_owned(),
            detail,
        };
        let engine = &self.inner.engine;
        let started = Instant::now();
        let cached = self
            .inner
            .cache
            .as_ref()
            .and_then(|c| c.get(engine, &sha256));
        let from_cache = cached.is_some();
        let (component, took) = match cached {
            Some(component) => (component, started.elapsed()),
            None => {
                let component =
                    Component::new(engine, &bytes).map_err(|e| compile_error(format!("{e:#}")))?;
                let took = started.elapsed();
                if let Some(cache) = &self.inner.cache {
                    cache.put(&sha256, &component);
                }
                (component, took)
            }
        };
        // Read after wasmtime accepted the bytes, so a file that is no component gets
        // wasmtime's explanation.
        let footprint = crate::footprint::of(&bytes).map_err(compile_error)?;
        Ok(Compiled {
            component,
            sha256,
            footprint,
            size: bytes.len(),
            from_cache,
            took,
        })
    }

    /// Load an adapter: compile or fetch from cache, refuse a changed file when
    /// `pin` (a sha256) is given, check the contract version, pre-instantiate.
    /// Blocking, like [`Sandbox::compile`].
    pub fn load(&self, path: &Path, pin: Option<&str>) -> Result<LoadedAdapter, HostError> {
        let compiled = self.compile(path)?;
        if let Some(expected) = pin
            && !expected.eq_ignore_ascii_case(&compiled.sha256)
        {
            return Err(HostError::Pin {
                path: path.to_owned(),
                expected: expected.to_owned(),
                actual: compiled.sha256,
            });
        }
        let contract = compiled
            .check_contract(&self.inner.engine)
            .map_err(|detail| HostError::Contract {
                path: path.to_owned(),
                detail,
            })?;
        let instantiate_error = |e: wasmtime::Error| HostError::Instantiate {
            path: path.to_owned(),
            detail: format!("{e:#}"),
        };
        let pre = self
            .inner
            .linker
            .instantiate_pre(&compiled.component)
            .map_err(instantiate_error)?;
        let pre = AdapterPre::new(pre).map_err(instantiate_error)?;
        Ok(LoadedAdapter {
            sandbox: self.clone(),
            path: path.to_owned(),
            sha256: compiled.sha256,
            footprint: compiled.footprint,
            contract,
            pre,
            from_cache: compiled.from_cache,
            compile_time: compiled.took,
        })
    }
}

/// A compiled component and where it came from.
pub(crate) struct Compiled {
    pub(crate) component: Component,
    pub(crate) sha256: String,
    /// What one instantiation creates.
    pub(crate) footprint: Footprint,
    pub(crate) size: usize,
    pub(crate) from_cache: bool,
    pub(crate) took: Duration,
}

impl Compiled {
    pub(crate) fn names(&self, engine: &Engine) -> (Vec<String>, Vec<String>) {
        let ty = self.component.component_type();
        let imports = ty.imports(engine).map(|(n, _)| n.to_owned()).collect();
        let exports = ty.exports(engine).map(|(n, _)| n.to_owned()).collect();
        (imports, exports)
    }

    pub(crate) fn check_contract(&self, engine: &Engine) -> Result<ContractVersion, String> {
        let (imports, exports) = self.names(engine);
        contract::check(
            imports.iter().map(String::as_str),
            exports.iter().map(String::as_str),
        )
    }
}

/// A checked, pre-instantiated adapter component, ready for connections.
#[derive(Clone)]
pub struct LoadedAdapter {
    pub(crate) sandbox: Sandbox,
    pub(crate) path: PathBuf,
    pub(crate) sha256: String,
    pub(crate) footprint: Footprint,
    pub(crate) contract: ContractVersion,
    pub(crate) pre: AdapterPre,
    from_cache: bool,
    compile_time: Duration,
}

impl LoadedAdapter {
    /// The file it was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's sha256, hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// What one instantiation creates (checked against the limits before each).
    pub fn footprint(&self) -> &Footprint {
        &self.footprint
    }

    /// The contract version it was built against.
    pub fn contract(&self) -> &ContractVersion {
        &self.contract
    }

    /// Whether the compiled code came from the on-disk cache.
    pub fn from_cache(&self) -> bool {
        self.from_cache
    }

    /// Time spent compiling or deserialising.
    pub fn compile_time(&self) -> Duration {
        self.compile_time
    }
}

fn spawn_ticker(engine: &Engine, tick: Duration, stop: Arc<AtomicBool>) {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("triage-epoch".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(tick);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            }
        })
        .expect("spawning the epoch ticker thread");
}
