//! `cargo xtask adapters [--only NAME]`: build every guest crate under
//! `adapters/` to a component in `dist/adapters/NAME.wasm`, and every Python adapter
//! under `adapters/python/` (see `python.rs`) with componentize-py.
//!
//! Guests need a standard library for a wasm target. Two ways work:
//! - `rustup target add wasm32-unknown-unknown` (or `wasm32-wasip2`) where rustup
//!   can download; used when installed;
//! - offline, Debian's rustc with its std source (`rustc-web rust-web-src
//!   rust-web-llvm lld-22`) and `-Zbuild-std`: what CI uses.
//!
//! `TRIAGE_GUEST_TOOLCHAIN=rustup|debian` forces one. Core modules become
//! components in-process with `wit-component`, so no `wasm-tools` install is needed.

mod guests;
mod python;
mod toolchain;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("adapters") => {
            let only = args
                .iter()
                .position(|a| a == "--only")
                .and_then(|i| args.get(i + 1))
                .cloned();
            build_adapters(only.as_deref())
        }
        _ => bail!("usage: cargo xtask adapters [--only NAME]"),
    }
}

/// Where guest builds go: `$TRIAGE_GUEST_TARGET_DIR`, else `adapters/target`.
pub fn guest_target_dir(workspace: &Path) -> PathBuf {
    std::env::var_os("TRIAGE_GUEST_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"))
}

fn repo_root() -> PathBuf {
    // `cargo run` sets it at run time; the compile-time value can be stale when
    // one target directory serves several checkouts.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask lives in the repository")
        .to_owned()
}

fn build_adapters(only: Option<&str>) -> Result<()> {
    let root = repo_root();
    let workspace = root.join("adapters");
    let out = root.join("dist").join("adapters");
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let guests: Vec<_> = guests::discover(&workspace)?
        .into_iter()
        .filter(|g| only.is_none_or(|o| o == g.artifact))
        .collect();
    let pythons: Vec<_> = python::discover(&workspace)?
        .into_iter()
        .filter(|p| only.is_none_or(|o| o == p.artifact))
        .collect();
    if guests.is_empty() && pythons.is_empty() {
        bail!("no adapter matches {only:?}");
    }
    // Before the Rust builds, so a missing tool fails at once.
    let componentize_py = if pythons.is_empty() {
        None
    } else {
        Some(python::componentize_py()?)
    };
    for guest in &guests {
        guest.prepare(&root)?;
    }
    let mut targets: Vec<&str> = guests.iter().map(|g| g.target.as_str()).collect();
    targets.sort_unstable();
    targets.dedup();
    for target in targets {
        let packages: Vec<&str> = guests
            .iter()
            .filter(|g| g.target == target)
            .map(|g| g.package.as_str())
            .collect();
        let chain = toolchain::choose(target)?;
        eprintln!(
            "building {} for {target} with {}",
            packages.join(", "),
            chain.describe()
        );
        chain.build(&workspace, target, &packages)?;
    }
    for guest in &guests {
        let bytes = guest.componentize(&workspace)?;
        let dest = out.join(format!("{}.wasm", guest.artifact));
        std::fs::write(&dest, &bytes).with_context(|| format!("writing {}", dest.display()))?;
        println!("{:>9} bytes  {}", bytes.len(), dest.display());
    }
    for adapter in &pythons {
        let tool = componentize_py.as_deref().expect("checked above");
        let scratch = guest_target_dir(&workspace)
            .join("python")
            .join(&adapter.artifact);
        let size = adapter.build(tool, &root, &scratch, &out)?;
        let dest = out.join(format!("{}.wasm", adapter.artifact));
        println!("{size:>9} bytes  {}", dest.display());
    }
    Ok(())
}
