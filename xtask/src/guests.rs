//! Finding guest crates (those with `[package.metadata.triage]`) and turning
//! their build output into components.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub struct Guest {
    pub package: String,
    pub artifact: String,
    pub target: String,
    dir: PathBuf,
    contract_version: Option<String>,
}

fn read_toml(path: &Path) -> Result<toml::Table> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.parse()
        .with_context(|| format!("parsing {}", path.display()))
}

/// Every workspace member that declares itself a triage adapter.
pub fn discover(workspace: &Path) -> Result<Vec<Guest>> {
    let manifest = read_toml(&workspace.join("Cargo.toml"))?;
    let members = manifest
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
        .context("adapters/Cargo.toml has no workspace.members")?;
    let mut guests = Vec::new();
    for member in members.iter().filter_map(|m| m.as_str()) {
        let dir = workspace.join(member);
        let crate_manifest = read_toml(&dir.join("Cargo.toml"))?;
        let package = &crate_manifest["package"];
        let Some(meta) = package.get("metadata").and_then(|m| m.get("triage")) else {
            continue;
        };
        let name = package["name"].as_str().context("package.name")?.to_owned();
        let text = |key: &str| meta.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        guests.push(Guest {
            artifact: text("artifact").unwrap_or_else(|| name.clone()),
            target: text("target").unwrap_or_else(|| "wasm32-unknown-unknown".into()),
            contract_version: text("contract-version"),
            package: name,
            dir,
        });
    }
    Ok(guests)
}

impl Guest {
    /// Generate what the crate needs before it builds: a WIT copy at another
    /// contract version, for the version-refusal test adapter.
    pub fn prepare(&self, root: &Path) -> Result<()> {
        let Some(version) = &self.contract_version else {
            return Ok(());
        };
        let current = std::fs::read_to_string(root.join("wit/since_v0.1.0/adapter.wit"))?;
        let rewritten = current.replace(
            "package triage:adapter@0.1.0;",
            &format!("package triage:adapter@{version};"),
        );
        let wit_dir = self.dir.join("wit");
        std::fs::create_dir_all(&wit_dir)?;
        std::fs::write(wit_dir.join("adapter.wit"), rewritten)?;
        Ok(())
    }

    /// The built artifact as a component (core modules are encoded in-process).
    pub fn componentize(&self, workspace: &Path) -> Result<Vec<u8>> {
        let file = crate::guest_target_dir(workspace)
            .join(&self.target)
            .join("release")
            .join(format!("{}.wasm", self.package.replace('-', "_")));
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        if wasmparser_is_component(&bytes) {
            return Ok(bytes);
        }
        wit_component::ComponentEncoder::default()
            .module(&bytes)
            .and_then(|e| e.validate(true).encode())
            .with_context(|| format!("turning {} into a component", file.display()))
    }
}

/// Components and core modules differ in the version/layer field of the header.
fn wasmparser_is_component(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes[..4] == *b"\0asm" && bytes[6..8] == [0x01, 0x00]
}
