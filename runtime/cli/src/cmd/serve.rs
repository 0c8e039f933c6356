//! `triage serve`: every pipeline on its schedule, with the HTTP API.
//! SIGTERM / Ctrl-C: finish the tickets in flight, then exit. SIGHUP: reload the
//! configuration (an invalid one is logged and the running one kept).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use tokio::signal::unix::{SignalKind, signal};
use triage_service::{Service, api};

/// Arguments of `triage serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The configuration file.
    #[arg(long, short, default_value = "triage.yml")]
    config: PathBuf,
    /// Listen here instead of `service.listen` (port 0: any free port).
    #[arg(long)]
    listen: Option<SocketAddr>,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    // The token and the address first, so a bad one stops us before any pipeline runs.
    let config = triage_config::load(&args.config)?;
    let token = config
        .service
        .token
        .as_ref()
        .map(|source| source.read())
        .transpose()
        .map_err(|e| anyhow::anyhow!("{}: service.token: {e}", args.config.display()))?;
    let address = args.listen.unwrap_or(config.service.listen);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("listening on {address}"))?;
    let bound = listener.local_addr()?;
    let service = Service::start_with(config.clone()).await?;
    // On stdout, so a supervisor (or a test) can learn an OS-assigned port.
    println!("triage serve: listening on http://{bound}");
    tracing::info!(%bound, pipelines = config.pipelines.len(), "serving");

    let stopping = tokio_util::sync::CancellationToken::new();
    tokio::spawn(signals(service.clone(), stopping.clone()));
    let router = api::router(service.clone(), token);
    axum::serve(listener, router)
        .with_graceful_shutdown(stopping.clone().cancelled_owned())
        .await?;
    service.shutdown().await;
    tracing::info!("stopped");
    Ok(())
}

async fn signals(service: Arc<Service>, stopping: tokio_util::sync::CancellationToken) {
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::error!("cannot install signal handlers");
        return;
    };
    loop {
        tokio::select! {
            _ = term.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
            _ = hup.recv() => {
                if let Err(e) = service.reload().await {
                    tracing::error!("reload refused, still running the previous configuration: {e}");
                }
            }
        }
    }
    tracing::info!("stopping: finishing the tickets in flight");
    service.shutdown().await;
    stopping.cancel();
}
