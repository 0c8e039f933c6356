//! What can go wrong while training.

use std::path::PathBuf;

/// A training failure; nothing has been written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No labelled tickets at all.
    #[error("no labelled tickets to train on")]
    NoHistory,
    /// Fewer than two labels with enough examples.
    #[error(
        "only {labels} label(s) with at least {min} examples ({found}); a classifier needs two or more"
    )]
    TooFewLabels {
        /// Labels left.
        labels: usize,
        /// The minimum per label.
        min: usize,
        /// Which labels were found, with counts.
        found: String,
    },
    /// An example's weight is not a finite positive number.
    #[error(
        "example {index} (time {time}): weight {weight} is not a finite positive number (1.0 is normal)"
    )]
    Weight {
        /// Position in the examples given.
        index: usize,
        /// Its time.
        time: i64,
        /// The weight.
        weight: f32,
    },
    /// A prior example's weight is zero, negative or not finite.
    #[error("prior example {index} (time {time}): weight {weight} is not a finite positive number")]
    PriorWeight {
        /// Position in `Options::prior`.
        index: usize,
        /// Its time.
        time: i64,
        /// The weight.
        weight: f32,
    },
    /// The tokenizer could not be trained or saved.
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    /// Writing the model directory failed.
    #[error("{path}: {source}")]
    Io {
        /// The file at fault.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}
