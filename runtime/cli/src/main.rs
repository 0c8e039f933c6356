//! `triage`: argument parsing and output only; the work happens in the library crates.

mod cmd;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "triage",
    version,
    about = "Classify helpdesk tickets with sandboxed adapters"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Inspect or check adapter components (.wasm).
    #[command(subcommand)]
    Adapter(cmd::adapter::Command),
    /// Check a configuration: keys, files, adapters, models, credentials, queue names.
    Check(cmd::check::Args),
    /// Run the main job on embedded defaults: simulator, freshdesk.wasm, bundled models.
    Demo(cmd::demo::Args),
    /// Classify text with a model directory.
    Classify(cmd::classify::Args),
    /// Run the pipelines of a configuration forever, with the HTTP API.
    Serve(cmd::serve::Args),
    /// Run each pipeline of a configuration once (for cron).
    Run(cmd::run::Args),
    /// Show recent decisions from the state store.
    History(cmd::history::Args),
    /// Train models from a pipeline's history or labelled tickets in a file, validated on the newest 15 %.
    Train(cmd::train::TrainArgs),
    /// Score models on a pipeline's history or labelled tickets in a file; writes nothing.
    Evaluate(cmd::train::EvaluateArgs),
    /// Run a ticket-system simulator.
    #[command(subcommand)]
    Sim(cmd::sim::Command),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    init_logging();
    let outcome = match Cli::parse().command {
        Command::Adapter(c) => cmd::adapter::run(c).await,
        Command::Check(a) => cmd::check::run(a).await,
        Command::Demo(a) => cmd::demo::run(a).await,
        Command::Classify(a) => cmd::classify::run(a).await,
        Command::Sim(c) => cmd::sim::run(c).await,
        Command::Serve(a) => cmd::serve::run(a).await,
        Command::Run(a) => cmd::run::run(a).await,
        Command::History(a) => cmd::history::run(a).await,
        Command::Train(a) => cmd::train::train(a).await,
        Command::Evaluate(a) => cmd::train::evaluate(a).await,
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line a person can act on; the chain says which file or key.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr so that stdout stays machine-readable; JSON when not on a terminal.
fn init_logging() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRIAGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::io::stderr().is_terminal() {
        builder.init();
    } else {
        builder.json().init();
    }
}
