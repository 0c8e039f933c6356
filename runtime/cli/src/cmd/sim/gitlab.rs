//! `triage sim gitlab`: serve a simulated GitLab project (issues API v4) until Ctrl-C.

use triage_sim::gitlab::{
    DEFAULT_PROJECT_PATH, DEFAULT_TOKEN, GitlabSim, RateLimitConfig, SimConfig,
};

use super::common::{ServeArgs, serve};

#[derive(clap::Args)]
pub struct GitlabArgs {
    #[command(flatten)]
    serve: ServeArgs,
    /// Generate this many sample issues.
    #[arg(long, default_value_t = 200)]
    tickets: usize,
    /// The project's path (`group/project`); the API takes it URL-encoded or the numeric id.
    #[arg(long, default_value = DEFAULT_PROJECT_PATH)]
    project: String,
    /// The access token clients must send as `PRIVATE-TOKEN` (or Bearer).
    #[arg(long, env = "TRIAGE_SIM_GITLAB_TOKEN", default_value = DEFAULT_TOKEN)]
    token: String,
}

pub async fn run(args: GitlabArgs) -> anyhow::Result<()> {
    let config = SimConfig {
        bind: args.serve.addr(),
        token: args.token.clone(),
        project_path: args.project.clone(),
        rate_limits: args.serve.limits(RateLimitConfig::unlimited())?,
        faults: args.serve.faults()?,
        data: args.serve.data(args.tickets, None, &[])?,
        ..SimConfig::default()
    };
    let sim = GitlabSim::start(config).await?;
    println!("base_url: {}", sim.base_url());
    println!("project: {}", sim.project_path());
    println!("project_id: {}", sim.project_id());
    println!("token: {}", sim.token());
    println!("tickets: {}", sim.issue_count());
    eprintln!(
        "GitLab simulator ready. Try:\n  curl -H 'PRIVATE-TOKEN: {}' '{}/api/v4/projects/{}/issues?order_by=updated_at&sort=asc&per_page=5'\nCtrl-C to stop.",
        sim.token(),
        sim.base_url(),
        sim.project_id()
    );
    serve(sim, |sim| Some(sim.accuracy())).await
}
