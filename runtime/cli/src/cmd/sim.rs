//! `triage sim freshdesk|gitlab|otobo|redmine|zammad|zendesk|generate`: run a simulator or write sample data.
//!
//! The simulator prints where it listens and which key to use (stdout, one `key: value` per
//! line, so scripts can read it) and serves until Ctrl-C; on exit it prints how the tickets'
//! visible queue/priority compare with their hidden true labels.

use std::path::PathBuf;

use anyhow::Context;
use common::{ServeArgs, serve, share};
use triage_sim::freshdesk::{DEFAULT_API_KEY, FreshdeskSim, RateLimitConfig, SimConfig};
use triage_sim::generate::{GenerateOptions, generate};

mod common;
mod gitlab;
mod otobo;
mod redmine;
mod zammad;
mod zendesk;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Serve a simulated Freshdesk API v2 account until Ctrl-C.
    Freshdesk(FreshdeskArgs),
    /// Serve a simulated GitLab project (issues API v4, `PRIVATE-TOKEN` or Bearer) until
    /// Ctrl-C.
    Gitlab(gitlab::GitlabArgs),
    /// Serve a simulated OTOBO/Znuny GenericInterface (both route styles; UserLogin/Password in
    /// the request) until Ctrl-C.
    Otobo(otobo::OtoboArgs),
    /// Serve a simulated Redmine instance (REST API, key in X-Redmine-API-Key) until Ctrl-C.
    Redmine(redmine::RedmineArgs),
    /// Serve a simulated Zammad system (REST API v1, `Authorization: Token token=…`) until Ctrl-C.
    Zammad(zammad::ZammadArgs),
    /// Serve a simulated Zendesk Support API v2 account (`{email}/token` Basic or Bearer) until
    /// Ctrl-C.
    Zendesk(zendesk::ZendeskArgs),
    /// Write generated sample tickets (with their true labels) as JSON.
    Generate(GenerateArgs),
}

#[derive(clap::Args)]
pub struct FreshdeskArgs {
    #[command(flatten)]
    serve: ServeArgs,
    /// Generate this many sample tickets.
    #[arg(long, default_value_t = 200, conflicts_with = "tickets_file")]
    tickets: usize,
    /// Load tickets from a JSON file instead (a `triage sim generate` output, or an array of
    /// `{"subject","description","queue","priority",…}` objects).
    #[arg(long)]
    tickets_file: Option<PathBuf>,
    /// The API key clients must send as the Basic-auth user.
    #[arg(long, env = "TRIAGE_SIM_API_KEY", default_value = DEFAULT_API_KEY)]
    api_key: String,
    /// Rate limits of a Freshdesk plan: growth, pro or enterprise.
    #[arg(long)]
    plan: Option<String>,
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
        Command::Gitlab(args) => gitlab::run(args).await,
        Command::Otobo(args) => otobo::run(args).await,
        Command::Redmine(args) => redmine::run(args).await,
        Command::Zammad(args) => zammad::run(args).await,
        Command::Zendesk(args) => zendesk::run(args).await,
        Command::Generate(args) => write_generated(args),
    }
}

async fn freshdesk(args: FreshdeskArgs) -> anyhow::Result<()> {
    let plan = match &args.plan {
        Some(plan) => RateLimitConfig::by_plan(plan)
            .with_context(|| format!("unknown plan '{plan}' (growth, pro, enterprise)"))?,
        None => RateLimitConfig::unlimited(),
    };
    let mut config = SimConfig {
        bind: args.serve.addr(),
        api_key: args.api_key.clone(),
        rate_limits: args.serve.limits(plan)?,
        faults: args.serve.faults()?,
        ..SimConfig::default()
    };
    config.data = args
        .serve
        .data(args.tickets, args.tickets_file.as_deref(), &config.groups)?;
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
    serve(sim, |sim| Some(sim.accuracy())).await
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
