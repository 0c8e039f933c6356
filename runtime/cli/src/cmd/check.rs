//! `triage check --config F`: load and validate a configuration, then load its
//! models and adapters, connect with its credentials and check that every value
//! its pipelines can write is a real queue or priority. Problems go to stderr as
//! `FILE:LINE:COL: key: message`, all of them; exit 1 if there is any. Per step an
//! `expect:` line gives the coverage and precision its thresholds reach on the model's
//! validation tickets (from `model-card.json`), or says there is no card.

use std::path::PathBuf;

use triage_host::{Sandbox, SandboxConfig};

/// Arguments of `triage check`.
#[derive(clap::Args)]
pub struct Args {
    /// The configuration file.
    #[arg(long, short)]
    config: PathBuf,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let config = match triage_config::load(&args.config) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{e}");
            let count = e.diagnostics().len().max(1);
            anyhow::bail!("{count} problem(s) in {}", args.config.display());
        }
    };
    let sandbox = Sandbox::new(SandboxConfig::from_env())?;
    let report = triage_config::check::check(&config, &sandbox).await;
    for line in &report.passed {
        println!("ok: {line}");
    }
    for line in &report.expectations {
        println!("expect: {line}");
    }
    for line in &report.problems {
        eprintln!("{line}");
    }
    if !report.problems.is_empty() {
        anyhow::bail!(
            "{} problem(s) in {}",
            report.problems.len(),
            args.config.display()
        );
    }
    println!("ok: {} is ready", args.config.display());
    Ok(())
}
