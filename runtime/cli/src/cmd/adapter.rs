//! `triage adapter inspect|check FILE.wasm`.

use std::path::PathBuf;

use anyhow::Context;
use triage_host::{AdapterSettings, Sandbox, SandboxConfig, WasmAdapter, inspect_file};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Show name, version, contract version, imports, exports and sha256.
    Inspect {
        /// The adapter component.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Load the adapter and validate it against the contract; exit 1 if it fails.
    Check {
        /// The adapter component.
        file: PathBuf,
    },
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    let sandbox = Sandbox::new(SandboxConfig::from_env())?;
    match command {
        Command::Inspect { file, json } => {
            let report = inspect_file(&sandbox, &file).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report.to_json())?);
                return Ok(());
            }
            println!("file      {}", report.path.display());
            println!("sha256    {}", report.sha256);
            println!("size      {} bytes", report.size);
            match &report.contract {
                Ok(v) => println!("contract  triage:adapter@{v}"),
                Err(e) => println!("contract  REFUSED: {e}"),
            }
            if let Some(info) = &report.info {
                println!("adapter   {} {} ({})", info.name, info.version, info.system);
                println!("max page  {}", info.max_page_size);
                println!("can       {}", serde_json::to_string(&info.capabilities)?);
            }
            if let Some(e) = &report.describe_error {
                println!("describe  FAILED: {e}");
            }
            match &report.read_routes {
                Ok(r) if r.is_empty() => println!("read-only GET and HEAD only"),
                Ok(r) => println!("read-only GET, HEAD, {}", r.join(", ")),
                Err(e) => println!("read-only REFUSED: {e}"),
            }
            let f = &report.footprint;
            println!(
                "creates   {} core instances, {} memories, {} tables; {} KiB at start",
                f.core_instances,
                f.memories,
                f.tables,
                f.initial_bytes / 1024
            );
            println!("imports");
            report.imports.iter().for_each(|i| println!("  {i}"));
            println!("exports");
            report.exports.iter().for_each(|e| println!("  {e}"));
            Ok(())
        }
        Command::Check { file } => {
            let loaded = {
                let (sandbox, file) = (sandbox.clone(), file.clone());
                tokio::task::spawn_blocking(move || sandbox.load(&file, None)).await??
            };
            let adapter = WasmAdapter::connect(&loaded, AdapterSettings::default())
                .await
                .with_context(|| format!("checking {}", file.display()))?;
            use triage_core::TicketAdapter;
            let info = adapter.info();
            println!(
                "ok: {} {} ({}) implements triage:adapter@{}",
                info.name,
                info.version,
                info.system,
                loaded.contract()
            );
            Ok(())
        }
    }
}
