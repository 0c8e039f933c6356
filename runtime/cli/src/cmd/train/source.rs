//! Where labelled tickets come from, the same for `train` and `evaluate`: a file, or a
//! pipeline's history.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::Field;

/// `--jsonl FILE --field F` or `--config F --pipeline P [--since W] [--field F]`.
#[derive(clap::Args)]
pub struct Source {
    /// Labelled tickets, one JSON object per line (needs --field).
    #[arg(long, required_unless_present = "config", conflicts_with_all = ["config", "pipeline", "since"])]
    jsonl: Option<PathBuf>,
    /// The configuration file whose pipeline's history to use (needs --pipeline).
    #[arg(long, short, requires = "pipeline")]
    config: Option<PathBuf>,
    /// The pipeline: one model per step, on its `train:` history.
    #[arg(long, short, requires = "config")]
    pipeline: Option<String>,
    /// History window back from now (e.g. 90d), instead of the pipeline's `train.since`.
    #[arg(long)]
    since: Option<String>,
    /// Which label (with --config: only this field's step).
    #[arg(long, value_enum, required_unless_present = "config")]
    field: Option<Field>,
}

/// [`Source`] once checked.
pub enum Labels<'a> {
    /// A JSON-lines file and the field its labels are for.
    File { path: &'a Path, field: Field },
    /// A pipeline's history; `field` narrows it to one step.
    Pipeline {
        config: &'a Path,
        name: &'a str,
        since: Option<&'a str>,
        field: Option<Field>,
    },
}

impl Source {
    /// Which of the two it is.
    pub fn labels(&self) -> anyhow::Result<Labels<'_>> {
        match (&self.jsonl, &self.config, &self.pipeline, self.field) {
            (Some(path), _, _, Some(field)) => Ok(Labels::File { path, field }),
            (None, Some(config), Some(name), field) => Ok(Labels::Pipeline {
                config,
                name,
                since: self.since.as_deref(),
                field,
            }),
            _ => bail!("give --jsonl FILE --field F, or --config F --pipeline P"),
        }
    }
}
