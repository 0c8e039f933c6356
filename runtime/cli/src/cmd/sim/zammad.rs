//! `triage sim zammad`: serve a simulated Zammad system until Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use triage_sim::Faults;
use triage_sim::freshdesk::QUEUES;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::ratelimit::RateLimitConfig;
use triage_sim::zammad::{DEFAULT_SEARCH_WINDOW, DEFAULT_TOKEN, SimConfig, ZammadSim};

use super::share;

#[derive(clap::Args)]
pub struct ZammadArgs {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Generate this many sample tickets (in the inbox group "Users").
    #[arg(long, default_value_t = 200, conflicts_with = "tickets_file")]
    tickets: usize,
    /// Load tickets from a JSON file instead (a `triage sim generate` output, or an array of
    /// `{"subject","description","queue","priority",…}` objects).
    #[arg(long)]
    tickets_file: Option<PathBuf>,
    /// Seed of the generated tickets.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of German tickets among the generated ones.
    #[arg(long, default_value_t = 0.35)]
    german_share: f64,
    /// The token clients must send as `Authorization: Token token=…`.
    #[arg(long, env = "TRIAGE_SIM_ZAMMAD_TOKEN", default_value = DEFAULT_TOKEN)]
    token: String,
    /// Give the token's user admin rights (list `/groups`, see raw error texts).
    #[arg(long)]
    admin: bool,
    /// Elasticsearch's result window: search pages ending beyond it are empty.
    #[arg(long, default_value_t = DEFAULT_SEARCH_WINDOW)]
    search_window: usize,
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

pub async fn run(args: ZammadArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.window_secs > 0, "--window-secs must be positive");
    anyhow::ensure!(args.search_window > 0, "--search-window must be positive");
    let limit = match args.rate_limit {
        0 => RateLimitConfig::unlimited(),
        n => RateLimitConfig::per_minute(n),
    }
    .with_window(Duration::from_secs(args.window_secs));
    let data = match &args.tickets_file {
        // Loose files name queues; the import maps them through the shared queue list.
        Some(path) => {
            let queues: Vec<String> = QUEUES.iter().map(|q| (*q).to_owned()).collect();
            triage_sim::load::from_path(path, &queues)?
        }
        None => generate(&GenerateOptions {
            german_share: share("german-share", args.german_share)?,
            ..GenerateOptions::new(args.tickets, args.seed)
        }),
    };
    let config = SimConfig {
        bind: SocketAddr::new(args.bind, args.port),
        token: args.token.clone(),
        admin: args.admin,
        search_window: args.search_window,
        rate_limits: limit,
        faults: Faults {
            latency: Duration::from_millis(args.latency_ms),
            error_rate: share("error-rate", args.error_rate)?,
            drop_rate: share("drop-rate", args.drop_rate)?,
            seed: args.fault_seed,
            ..Faults::none()
        },
        ..SimConfig::default().with_data(data)
    };
    let sim = ZammadSim::start(config).await?;
    println!("base_url: {}", sim.base_url());
    println!("token: {}", sim.token());
    println!("tickets: {}", sim.ticket_count());
    eprintln!(
        "Zammad simulator ready. Try:\n  curl -H 'Authorization: {}' '{}/api/v1/tickets/search?query=*&per_page=5&expand=true'\nCtrl-C to stop.",
        sim.auth_header(),
        sim.base_url()
    );
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    let acc = sim.accuracy();
    let requests = sim.requests().len();
    sim.shutdown().await;
    println!("requests: {requests}");
    println!(
        "classified: {}/{} (queue correct {:.1}%, priority correct {:.1}%)",
        acc.classified,
        acc.labelled,
        acc.queue_rate() * 100.0,
        acc.priority_rate() * 100.0
    );
    Ok(())
}
