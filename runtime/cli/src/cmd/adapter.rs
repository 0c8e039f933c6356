//! `triage adapter inspect|check`.

#[derive(clap::Subcommand)]
pub enum Command {}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {}
}
