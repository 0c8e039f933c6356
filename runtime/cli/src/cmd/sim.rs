//! `triage sim freshdesk|otobo|redmine|zammad|generate`: run a simulator or write sample data.
//!
//! The simulator prints where it listens and which key to use (stdout, one `key: value` per
//! line, so scripts can read it) and serves until Ctrl-C; on exit it prints how the tickets'
//! visible queue/priority compare with their hidden true labels.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use triage_sim::Faults;
use triage_sim::freshdesk::{DEFAULT_API_KEY, FreshdeskSim, RateLimitConfig, SimConfig};
use triage_sim::generate::{GenerateOptions, generate};

mod otobo;
mod redmine;
mod zammad;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Serve a simulated Freshdesk API v2 account until Ctrl-C.
    Freshdesk(FreshdeskArgs),
    /// Serve a simulated OTOBO/Znuny GenericInterface (both route styles; UserLogin/Password in
    /// the request) until Ctrl-C.
    Otobo(otobo::OtoboArgs),
    /// Serve a simulated Redmine instance (REST API, key in X-Redmine-API-Key) until Ctrl-C.
    Redmine(redmine::RedmineArgs),
    /// Serve a simulated Zammad system (REST API v1, `Authorization: Token token=…`) until Ctrl-C.
    Zammad(zammad::ZammadArgs),
    /// Write generated sample tickets (with their true labels) as JSON.
    Generate(GenerateArgs),
}

#[derive(clap::Args)]
pub struct FreshdeskArgs {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Generate this many sample tickets.
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
    /// The API key clients must send as the Basic-auth user.
    #[arg(long, env = "TRIAGE_SIM_API_KEY", default_value = DEFAULT_API_KEY)]
    api_key: String,
    /// Requests per minute in total (0: unlimited). Overrides --plan's total.
    #[arg(long, default_value_t = 0)]
    rate_limit: u32,
    /// Rate limits of a Freshdesk plan: growth, pro or enterprise.
    #[arg(long)]
    plan: Option<String>,
    /// Rate-limit window in seconds (60 on the real service).
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

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// How many tickets.
    #[arg(long, default_value_t = 1000)]
    count: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of German tickets.
    #[arg(long, default_value_t = 0.35)]
    german_share: f64,
    /// Output file (default: stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Freshdesk(args) => freshdesk(args).await,
        Command::Otobo(args) => otobo::run(args).await,
        Command::Redmine(args) => redmine::run(args).await,
        Command::Zammad(args) => zammad::run(args).await,
        Command::Generate(args) => write_generated(args),
    }
}

fn share(name: &str, v: f64) -> anyhow::Result<f64> {
    anyhow::ensure!((0.0..=1.0).contains(&v), "--{name} must be between 0 and 1");
    Ok(v)
}

fn rate_limits(args: &FreshdeskArgs) -> anyhow::Result<RateLimitConfig> {
    let mut limits = match &args.plan {
        Some(plan) => RateLimitConfig::by_plan(plan)
            .with_context(|| format!("unknown plan '{plan}' (growth, pro, enterprise)"))?,
        None => RateLimitConfig::unlimited(),
    };
    if args.rate_limit > 0 {
        limits.total = args.rate_limit;
    }
    anyhow::ensure!(args.window_secs > 0, "--window-secs must be positive");
    Ok(limits.with_window(Duration::from_secs(args.window_secs)))
}

async fn freshdesk(args: FreshdeskArgs) -> anyhow::Result<()> {
    let mut config = SimConfig {
        bind: SocketAddr::new(args.bind, args.port),
        api_key: args.api_key.clone(),
        rate_limits: rate_limits(&args)?,
        faults: Faults {
            latency: Duration::from_millis(args.latency_ms),
            error_rate: share("error-rate", args.error_rate)?,
            drop_rate: share("drop-rate", args.drop_rate)?,
            seed: args.fault_seed,
            ..Faults::none()
        },
        ..SimConfig::default()
    };
    config.data = match &args.tickets_file {
        Some(path) => triage_sim::load::from_path(path, &config.groups)?,
        None => generate(&GenerateOptions {
            german_share: share("german-share", args.german_share)?,
            ..GenerateOptions::new(args.tickets, args.seed)
        }),
    };
    let count = config.data.tickets.len();
    let sim = FreshdeskSim::start(config).await?;
    println!("base_url: {}", sim.base_url());
    println!("api_key: {}", sim.api_key());
    println!("tickets: {count}");
    eprintln!(
        "Freshdesk simulator ready. Try:\n  curl -u {}:X '{}/api/v2/tickets?per_page=5'\nCtrl-C to stop.",
        sim.api_key(),
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

fn write_generated(args: GenerateArgs) -> anyhow::Result<()> {
    let data = generate(&GenerateOptions {
        german_share: share("german-share", args.german_share)?,
        ..GenerateOptions::new(args.count, args.seed)
    });
    let json = serde_json::to_string_pretty(&data)?;
    match args.output {
        Some(path) => {
            std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?
        }
        None => println!("{json}"),
    }
    Ok(())
}
