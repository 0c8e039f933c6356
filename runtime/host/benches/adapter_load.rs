//! Every adapter in `dist/adapters/`: file size, cold compile (empty cache),
//! load from the compile cache, and instantiation (connect: a fresh instance
//! plus its `describe` call), measured in one run on this machine.
//!
//! Needs `cargo xtask adapters` first: `cargo bench -p triage-host --bench adapter_load`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use triage_host::{AdapterSettings, Sandbox, SandboxConfig, SandboxLimits, WasmAdapter};

fn sandbox(cache: &Path) -> Sandbox {
    let mut config = SandboxConfig::from_env();
    config.cache_dir = Some(cache.to_owned());
    Sandbox::new(config).expect("sandbox")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist/adapters");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dist)
        .expect("dist/adapters exists: run `cargo xtask adapters`")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .collect();
    files.sort();
    println!(
        "{:<16} {:>12} {:>14} {:>14} {:>16}",
        "adapter", "size", "cold compile", "cache load", "instantiation"
    );
    for file in files {
        let cache = std::env::temp_dir().join(format!("triage-load-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&cache);
        let size = std::fs::metadata(&file).expect("file").len();
        let started = Instant::now();
        if let Err(e) = sandbox(&cache).load(&file, None) {
            println!(
                "{:<16} not an adapter of this contract: {e}",
                file.display()
            );
            continue;
        }
        let cold = started.elapsed();
        let mut loads = Vec::new();
        let mut loaded = None;
        for _ in 0..5 {
            let fresh = sandbox(&cache);
            let started = Instant::now();
            loaded = Some(fresh.load(&file, None).expect("cached load"));
            loads.push(started.elapsed());
        }
        let loaded = loaded.expect("loaded");
        let mut instantiations = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            let adapter = WasmAdapter::connect(
                &loaded,
                AdapterSettings {
                    connection: "bench".into(),
                    gateway: None,
                    settings: Default::default(),
                    limits: SandboxLimits::default(),
                },
            )
            .await
            .expect("instantiates");
            instantiations.push(started.elapsed());
            drop(adapter);
        }
        let _ = std::fs::remove_dir_all(&cache);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        println!(
            "{:<16} {:>9} KiB {:>11.1} ms {:>11.2} ms {:>13.2} ms",
            name,
            size / 1024,
            cold.as_secs_f64() * 1e3,
            median(loads).as_secs_f64() * 1e3,
            median(instantiations).as_secs_f64() * 1e3,
        );
    }
}
