//! `triage sim redmine`: serve a simulated Redmine instance until Ctrl-C.

use triage_sim::redmine::{DEFAULT_API_KEY, RateLimitConfig, RedmineSim, SimConfig};

use super::common::{ServeArgs, serve};

#[derive(clap::Args)]
pub struct RedmineArgs {
    #[command(flatten)]
    serve: ServeArgs,
    /// Generate this many sample issues (in the "Helpdesk" inbox project).
    #[arg(long, default_value_t = 200)]
    tickets: usize,
    /// The API key clients must send in `X-Redmine-API-Key` (or `?key=`).
    #[arg(long, env = "TRIAGE_SIM_REDMINE_API_KEY", default_value = DEFAULT_API_KEY)]
    api_key: String,
}

pub async fn run(args: RedmineArgs) -> anyhow::Result<()> {
    let config = SimConfig {
        bind: args.serve.addr(),
        api_key: args.api_key.clone(),
        rate_limit: args.serve.limits(RateLimitConfig::unlimited())?,
        faults: args.serve.faults()?,
        data: args.serve.data(args.tickets, None, &[])?,
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
    serve(sim, |_| None).await
}
