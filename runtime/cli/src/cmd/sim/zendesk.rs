//! `triage sim zendesk`: serve a simulated Zendesk Support account until Ctrl-C.

use triage_sim::zendesk::{
    DEFAULT_API_TOKEN, DEFAULT_EMAIL, RateLimitConfig, SimConfig, ZendeskSim,
};

use super::common::{ServeArgs, serve};

#[derive(clap::Args)]
pub struct ZendeskArgs {
    #[command(flatten)]
    serve: ServeArgs,
    /// Generate this many sample tickets.
    #[arg(long, default_value_t = 200)]
    tickets: usize,
    /// The agent's email: clients authenticate as `{email}/token` with the API token.
    #[arg(long, default_value = DEFAULT_EMAIL)]
    email: String,
    /// The API token clients must send as the Basic-auth password.
    #[arg(long, env = "TRIAGE_SIM_ZENDESK_API_TOKEN", default_value = DEFAULT_API_TOKEN)]
    api_token: String,
}

pub async fn run(args: ZendeskArgs) -> anyhow::Result<()> {
    let config = SimConfig {
        bind: args.serve.addr(),
        email: args.email.clone(),
        api_token: args.api_token.clone(),
        rate_limits: args.serve.limits(RateLimitConfig::unlimited())?,
        faults: args.serve.faults()?,
        data: args.serve.data(args.tickets, None, &[])?,
        ..SimConfig::default()
    };
    let count = config.data.tickets.len();
    let sim = ZendeskSim::start(config).await?;
    println!("base_url: {}", sim.base_url());
    println!("email: {}", sim.email());
    println!("api_token: {}", sim.api_token());
    println!("oauth_token: {}", sim.oauth_token());
    println!("tickets: {count}");
    eprintln!(
        "Zendesk simulator ready. Try:\n  curl -u '{}/token:{}' '{}/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=5'\nCtrl-C to stop.",
        sim.email(),
        sim.api_token(),
        sim.base_url()
    );
    serve(sim, |sim| Some(sim.accuracy())).await
}
