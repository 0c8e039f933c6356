//! `triage sim` (filled in by the simulator work).

#[derive(clap::Subcommand)]
pub enum Command {}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {}
}
