//! `triage sim zammad`: serve a simulated Zammad system until Ctrl-C.

use std::path::PathBuf;

use triage_sim::freshdesk::QUEUES;
use triage_sim::ratelimit::RateLimitConfig;
use triage_sim::zammad::{DEFAULT_SEARCH_WINDOW, DEFAULT_TOKEN, SimConfig, ZammadSim};

use super::common::{ServeArgs, serve};

#[derive(clap::Args)]
pub struct ZammadArgs {
    #[command(flatten)]
    serve: ServeArgs,
    /// Generate this many sample tickets (in the inbox group "Users").
    #[arg(long, default_value_t = 200, conflicts_with = "tickets_file")]
    tickets: usize,
    /// Load tickets from a JSON file instead (a `triage sim generate` output, or an array of
    /// `{"subject","description","queue","priority",…}` objects).
    #[arg(long)]
    tickets_file: Option<PathBuf>,
    /// The token clients must send as `Authorization: Token token=…`.
    #[arg(long, env = "TRIAGE_SIM_ZAMMAD_TOKEN", default_value = DEFAULT_TOKEN)]
    token: String,
    /// Give the token's user admin rights (list `/groups`, see raw error texts).
    #[arg(long)]
    admin: bool,
    /// Elasticsearch's result window: search pages ending beyond it are empty.
    #[arg(long, default_value_t = DEFAULT_SEARCH_WINDOW)]
    search_window: usize,
}

pub async fn run(args: ZammadArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.search_window > 0, "--search-window must be positive");
    // Loose files name queues; the import maps them through the shared queue list.
    let queues: Vec<String> = QUEUES.iter().map(|q| (*q).to_owned()).collect();
    let data = args
        .serve
        .data(args.tickets, args.tickets_file.as_deref(), &queues)?;
    let config = SimConfig {
        bind: args.serve.addr(),
        token: args.token.clone(),
        admin: args.admin,
        search_window: args.search_window,
        rate_limits: args.serve.limits(RateLimitConfig::unlimited())?,
        faults: args.serve.faults()?,
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
    serve(sim, |sim| Some(sim.accuracy())).await
}
