//! What `triage adapter inspect` shows: facts about a component file, gathered
//! even when it would not load (wrong contract), so the operator sees why.

use std::path::{Path, PathBuf};

use serde_json::json;
use triage_core::{AdapterInfo, TicketAdapter};

use crate::{AdapterSettings, Footprint, HostError, Sandbox, WasmAdapter};

/// Facts about one component file.
#[derive(Debug, Clone)]
pub struct ComponentReport {
    /// The file.
    pub path: PathBuf,
    /// Its sha256, hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: usize,
    /// Imported interface names.
    pub imports: Vec<String>,
    /// Exported interface names.
    pub exports: Vec<String>,
    /// The contract version, or why it is refused.
    pub contract: Result<String, String>,
    /// What the adapter says of itself, when it loads.
    pub info: Option<AdapterInfo>,
    /// Why it did not describe itself, when it did not.
    pub describe_error: Option<String>,
    /// The read-only routes it declares (`METHOD /path`), or why they cannot be read.
    pub read_routes: Result<Vec<String>, String>,
    /// What one instantiation creates: core instances, memories, tables, initial bytes.
    pub footprint: Footprint,
}

impl ComponentReport {
    /// The report as JSON, for scripts.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "contract": match &self.contract { Ok(v) => json!({"version": v}), Err(e) => json!({"error": e}) },
            "imports": self.imports,
            "exports": self.exports,
            "info": self.info,
            "describe_error": self.describe_error,
            "read_only_routes": match &self.read_routes { Ok(r) => json!(r), Err(e) => json!({"error": e}) },
            "footprint": {
                "core_instances": self.footprint.core_instances,
                "memories": self.footprint.memories,
                "tables": self.footprint.tables,
                "initial_bytes": self.footprint.initial_bytes,
            },
        })
    }
}

/// Inspect a component: digest, imports, exports, contract version, and, when
/// it loads, its own description (called with every request denied).
pub async fn inspect_file(sandbox: &Sandbox, path: &Path) -> Result<ComponentReport, HostError> {
    let compiled = sandbox.compile(path)?;
    let (imports, exports) = compiled.names(sandbox.engine());
    let contract = compiled
        .check_contract(sandbox.engine())
        .map(|v| v.to_string());
    let read_routes = crate::declared::read_routes_of(path, &compiled.sha256)
        .map(|r| r.routes().iter().map(ToString::to_string).collect());
    let mut report = ComponentReport {
        path: path.to_owned(),
        sha256: compiled.sha256,
        size: compiled.size,
        imports,
        exports,
        contract,
        info: None,
        describe_error: None,
        read_routes,
        footprint: compiled.footprint,
    };
    if report.contract.is_ok() {
        let described = match sandbox.load(path, None) {
            Ok(loaded) => WasmAdapter::connect(&loaded, AdapterSettings::default())
                .await
                .map(|a| a.info().clone()),
            Err(e) => Err(e),
        };
        match described {
            Ok(info) => report.info = Some(info),
            Err(e) => report.describe_error = Some(e.to_string()),
        }
    }
    Ok(report)
}
