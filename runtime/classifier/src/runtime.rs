//! Finding and starting ONNX Runtime.
//!
//! `ort` is built with `load-dynamic`, so the shared library is opened at run time. Left to
//! itself `ort` panics when the library is absent; we look for the file first so that a missing
//! install is an ordinary error that tells the user which command fixes it.
//!
//! Search order (the first existing file wins):
//! 1. `ORT_DYLIB_PATH`, when set (an error if it names nothing);
//! 2. next to the executable: `<exe dir>/../lib`, `<exe dir>/lib`, `<exe dir>`;
//! 3. the per-user data directory, where `scripts/setup-onnxruntime.sh` installs by default:
//!    `$XDG_DATA_HOME/triage/lib`, else `~/.local/share/triage/lib`;
//! 4. system-wide: `/usr/local/lib/triage`, `/usr/local/lib`, `/usr/lib`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{Error, Result};

#[cfg(target_os = "macos")]
const LIB_NAMES: &[&str] = &["libonnxruntime.dylib"];
#[cfg(target_os = "windows")]
const LIB_NAMES: &[&str] = &["onnxruntime.dll"];
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const LIB_NAMES: &[&str] = &["libonnxruntime.so", "libonnxruntime.so.1"];

/// The directories searched after `ORT_DYLIB_PATH`, in order.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("../lib"));
        dirs.push(exe_dir.join("lib"));
        dirs.push(exe_dir);
    }
    if let Some(data) = user_data_dir() {
        dirs.push(data.join("triage/lib"));
    }
    dirs.push(PathBuf::from("/usr/local/lib/triage"));
    dirs.push(PathBuf::from("/usr/local/lib"));
    dirs.push(PathBuf::from("/usr/lib"));
    dirs
}

fn user_data_dir() -> Option<PathBuf> {
    match std::env::var_os("XDG_DATA_HOME") {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")),
    }
}

/// Where the ONNX Runtime library would be loaded from, without loading it.
pub fn locate_onnxruntime() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(p);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(Error::RuntimeEnvMissing { path })
        };
    }
    let dirs = search_dirs();
    for dir in &dirs {
        if let Some(found) = find_in(dir) {
            return Ok(found);
        }
    }
    Err(Error::RuntimeMissing { searched: dirs })
}

/// A versioned file (`libonnxruntime.so.1.32.0`) is accepted too, because that is what the
/// wheel ships and users copy it as is.
fn find_in(dir: &Path) -> Option<PathBuf> {
    for name in LIB_NAMES {
        let p = dir.join(name);
        if p.is_file() {
            return Some(p);
        }
    }
    let mut versioned: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("libonnxruntime.so."))
        })
        .collect();
    versioned.sort();
    versioned.pop()
}

/// The process-wide ONNX Runtime environment, started on first use.
///
/// The library can be loaded only once per process, so the outcome (success or the error) is
/// kept and handed to every later caller.
pub(crate) fn environment() -> Result<ort::environment::Environment> {
    static ENV: OnceLock<std::result::Result<ort::environment::Environment, (PathBuf, String)>> =
        OnceLock::new();
    if let Some(done) = ENV.get() {
        return done
            .clone()
            .map_err(|(path, reason)| Error::RuntimeLoad { path, reason });
    }
    // A missing library is not cached: the user may install it while a service keeps running.
    let path = locate_onnxruntime()?;
    let started = ENV.get_or_init(|| {
        tracing::debug!(path = %path.display(), "loading ONNX Runtime");
        let builder = ort::init_from(&path).map_err(|e| (path.clone(), e.to_string()))?;
        builder
            .with_name("triage")
            .build()
            .map_err(|e| (path.clone(), e.to_string()))
    });
    started
        .clone()
        .map_err(|(path, reason)| Error::RuntimeLoad { path, reason })
}
