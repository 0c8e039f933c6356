//! `triage classify` (filled in by the classifier work).

/// Arguments of `triage classify`.
#[derive(clap::Args)]
pub struct Args {}

pub async fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("not built yet")
}
