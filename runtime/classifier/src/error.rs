//! One error type for the crate. Every variant that concerns a file names it, because the
//! person reading the message is usually fixing a model directory by hand.

use std::path::PathBuf;

/// What can go wrong while loading a model or classifying text.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file the model directory must contain is absent.
    #[error("model file {path} is missing")]
    MissingFile { path: PathBuf },

    /// A file exists but could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A file was read but its content is not what a model directory needs.
    #[error("{path} is not usable: {reason}")]
    InvalidFile { path: PathBuf, reason: String },

    /// The directory has neither `config.json` with `id2label` nor `labels.txt`.
    #[error(
        "no label map in {dir}: expected `config.json` with `id2label`, or `labels.txt` (one label per line, in output order)"
    )]
    NoLabelMap { dir: PathBuf },

    /// The graph's inputs are not the ones a sequence classifier takes.
    #[error(
        "{path}: unexpected graph inputs {found:?}; expected `input_ids`, `attention_mask` and optionally `token_type_ids` (int64)"
    )]
    UnexpectedInputs { path: PathBuf, found: Vec<String> },

    /// The graph has no `logits` output.
    #[error("{path}: the graph has no output named `logits` (outputs: {found:?})")]
    MissingLogits { path: PathBuf, found: Vec<String> },

    /// The label map does not have one entry per logit.
    #[error(
        "label map {labels_path} has {labels} labels but {model_path} outputs {outputs} logits"
    )]
    LabelCountMismatch {
        labels_path: PathBuf,
        labels: usize,
        model_path: PathBuf,
        outputs: usize,
    },

    /// No ONNX Runtime shared library was found in any of the searched places.
    #[error(
        "ONNX Runtime library not found (searched: {}). Install it with `scripts/setup-onnxruntime.sh` \
         (from the repository root), or set ORT_DYLIB_PATH to a libonnxruntime shared library",
        display_paths(searched)
    )]
    RuntimeMissing { searched: Vec<PathBuf> },

    /// `ORT_DYLIB_PATH` names a file that does not exist.
    #[error(
        "ORT_DYLIB_PATH is set to {path}, which does not exist; fix the variable or unset it and run `scripts/setup-onnxruntime.sh`"
    )]
    RuntimeEnvMissing { path: PathBuf },

    /// The library exists but ONNX Runtime refused to start from it.
    #[error("cannot start ONNX Runtime from {path}: {reason}")]
    RuntimeLoad { path: PathBuf, reason: String },

    /// The tokenizer failed on a text.
    #[error("tokenizer: {0}")]
    Tokenizer(String),

    /// ONNX Runtime failed while building a session or running the graph.
    #[error("onnx runtime: {0}")]
    Inference(String),

    /// The background worker of an [`crate::AsyncClassifier`] has stopped.
    #[error("the classifier worker has stopped")]
    WorkerStopped,
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `ort`'s errors carry builder state that is neither `Send` nor `Sync`; keeping only the
/// message lets our error cross the async boundary.
pub(crate) fn inference<E: std::fmt::Display>(e: E) -> Error {
    Error::Inference(e.to_string())
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
