//! `triage.yml`: the configuration of connections, models and pipelines.
//!
//! [`load`] reads and checks a file; every problem is reported, all at once, as
//! `FILE:LINE:COL: key.path: message`. The checks here are static: structure,
//! unknown keys, values and units, cross references, files that must exist, and
//! secrets that must be readable (their values are never shown). What needs the
//! live parts — the adapter against its contract, models, the system's queues —
//! is built with [`connect`] and [`load_model`] and checked by `triage check`.
//!
//! Decisions:
//! - Relative paths resolve against the configuration file's directory, so a
//!   config works from any working directory.
//! - Mappings keep file order (first matching pattern wins), which is why the
//!   YAML tree is our own ([`yaml`]) rather than a hash-map value type.
//! - Unknown keys are errors: a typo must not silently fall back to a default.
//! - `source.since: 7d` is kept as a window ([`Since::Within`]) and also resolved
//!   into `query.updated_since` at load time.
//! - Secrets are read when the file is loaded (so a missing variable is a config
//!   error with its line); a literal `{ value: … }` is only allowed for a part of
//!   a Basic credential, and then the other part must come from env or a file.
//! - `threshold: { precision: P }` is resolved when the file is loaded, from the model
//!   directory's `model-card.json` (`triage_train::card`), so a missing or old card is a
//!   config error at the step's line, like a missing model directory.
#![deny(missing_docs)]

mod build;
pub mod check;
mod error;
mod model;
mod parse;
mod read;
pub mod yaml;

use std::path::Path;

pub use build::{connect, connect_loaded, gateway, load_adapter, load_model, sandbox_limits};
pub use error::{BuildError, ConfigError, Diagnostic, Location};
pub use model::{
    AuthConfig, Config, ConnectionConfig, ConnectionLimits, ModelConfig, PipelineConfig, SecretRef,
    ServiceConfig, Since, StateConfig, StepConfig, TrainSource,
};
pub use parse::ReadSecret;
pub use read::parse_duration;

/// Read and check a configuration file, reading secrets from the environment and
/// secret files.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    load_with(path, &|source| source.read())
}

/// [`load`] with another way of reading secrets (tests, or checks that must not
/// depend on the environment).
pub fn load_with(path: &Path, read_secret: ReadSecret<'_>) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_str(path, &text, read_secret)
}

/// Check configuration text as if it were the file `path` (relative paths resolve
/// against its directory).
pub fn parse_str(
    path: &Path,
    text: &str,
    read_secret: ReadSecret<'_>,
) -> Result<Config, ConfigError> {
    let mut cx = read::Ctx::new(path);
    let root = match yaml::parse(text) {
        Ok(Some((at, node))) => (at, node),
        Ok(None) => {
            cx.error(
                yaml::Pos { line: 1, col: 1 },
                "",
                "the configuration is empty",
            );
            return Err(ConfigError::Invalid(cx.errors));
        }
        Err(e) => {
            cx.error(e.at, "", format!("YAML syntax: {}", e.message));
            return Err(ConfigError::Invalid(cx.errors));
        }
    };
    let root = cx.val(&root.1, root.0, String::new());
    let config = parse::document(&mut cx, &root, read_secret);
    match config {
        Some(config) if cx.errors.is_empty() => Ok(config),
        _ => Err(ConfigError::Invalid(cx.errors)),
    }
}

#[cfg(test)]
mod precision_tests;
#[cfg(test)]
mod tests;
