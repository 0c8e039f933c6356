//! `triage sim redmine`: serve a simulated Redmine instance until Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::Context;
use triage_sim::Faults;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::redmine::{DEFAULT_API_KEY, RateLimitConfig, RedmineSim, SimConfig};

use super::share;

#[derive(clap::Args)]
pub struct RedmineArgs {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Generate this many sample issues (in the "Helpdesk" inbox project).
    #[arg(long, default_value_t = 200)]
    tickets: usize,
    /// Seed of the generated issues.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of German issues among the generated ones.
    #[arg(long, default_value_t = 0.35)]
    german_share: f64,
    /// The API key clients must send in `X-Redmine-API-Key` (or `?key=`).
    #[arg(long, env = "TRIAGE_SIM_REDMINE_API_KEY", default_value = DEFAULT_API_KEY)]
    api_key: String,
    /// Requests per window allowed by the simulated reverse proxy (0: unlimited).
    #[arg(long, default_value_t = 0)]
    rate_limit: u32,
    /// Rate-limit window in seconds.
    #[arg(long, default_value_t = 60)]
    window_secs: u64,
    /// Delay added to every reply, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of requests answered 500/503 (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Share of requests whose connection is dropped without a reply (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// Seed of the fault decisions.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
}

pub async fn run(args: RedmineArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.window_secs > 0, "--window-secs must be positive");
    let limit = match args.rate_limit {
        0 => RateLimitConfig::unlimited(),
        n => RateLimitConfig::per_minute(n),
    }
    .with_window(Duration::from_secs(args.window_secs));
    let config = SimConfig {
        bind: SocketAddr::new(args.bind, args.port),
        api_key: args.api_key.clone(),
        rate_limit: limit,
        faults: Faults {
            latency: Duration::from_millis(args.latency_ms),
            error_rate: share("error-rate", args.error_rate)?,
            drop_rate: share("drop-rate", args.drop_rate)?,
            seed: args.fault_seed,
            ..Faults::none()
        },
        data: generate(&GenerateOptions {
            german_share: share("german-share", args.german_share)?,
            ..GenerateOptions::new(args.tickets, args.seed)
        }),
        ..SimConfig::default()
    };
    let count = config.data.tickets.len();
    let sim = RedmineSim::start(config).await?;
    println!("base_url: {}", sim.base_url());
    println!("api_key: {}", sim.api_key());
    println!("tickets: {count}");
    eprintln!(
        "Redmine simulator ready. Try:\n  curl -H 'X-Redmine-API-Key: {}' '{}/issues.json?limit=5&status_id=*'\nCtrl-C to stop.",
        sim.api_key(),
        sim.base_url()
    );
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    let requests = sim.requests().len();
    sim.shutdown().await;
    println!("requests: {requests}");
    Ok(())
}
