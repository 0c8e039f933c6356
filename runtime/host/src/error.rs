//! Errors loading adapters. Each names the adapter file at fault.

use std::path::PathBuf;

/// Why an adapter could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The file could not be read.
    #[error("adapter {}: {source}", path.display())]
    Read {
        /// The adapter file.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The file's sha256 differs from the pinned one.
    #[error("adapter {}: sha256 is {actual}, but the configuration pins {expected}", path.display())]
    Pin {
        /// The adapter file.
        path: PathBuf,
        /// Pinned digest.
        expected: String,
        /// Actual digest.
        actual: String,
    },
    /// Not a valid component, or wasmtime could not compile it.
    #[error("adapter {}: not a loadable WebAssembly component: {detail}", path.display())]
    Compile {
        /// The adapter file.
        path: PathBuf,
        /// wasmtime's explanation.
        detail: String,
    },
    /// Built against a contract this runtime does not load.
    #[error("adapter {}: {detail}", path.display())]
    Contract {
        /// The adapter file.
        path: PathBuf,
        /// Which versions were found and which are supported.
        detail: String,
    },
    /// The component could not be linked or started.
    #[error("adapter {}: cannot be instantiated: {detail}", path.display())]
    Instantiate {
        /// The adapter file.
        path: PathBuf,
        /// Details.
        detail: String,
    },
    /// The engine could not be set up.
    #[error("wasm engine: {0}")]
    Engine(String),
}
