//! `triage-classifier`: a model directory in, labels with confidences out.
//!
//! A model directory holds `model.onnx` (inputs `input_ids`, `attention_mask` and optionally
//! `token_type_ids`; output `logits`), `tokenizer.json` and a label map (`config.json`
//! `id2label`, or `labels.txt`). That is what HuggingFace's ONNX export of a
//! sequence-classification model produces, so a team's own models run unchanged, and it is
//! also what `models/train` produces for the default models.
//!
//! The crate knows nothing about tickets: callers decide which text to classify.
//!
//! ONNX Runtime is loaded at run time from a shared library; see [`locate_onnxruntime`] for
//! where it is looked for and `scripts/setup-onnxruntime.sh` for how to install it.

mod classifier;
mod encode;
mod error;
mod graph;
mod labels;
mod predict;
mod runtime;
pub mod text;
mod worker;

pub use classifier::{Classifier, ClassifierOptions};
pub use error::{Error, Result};
pub use predict::{LabelScore, Prediction, softmax};
pub use runtime::{locate_onnxruntime, search_dirs};
pub use worker::AsyncClassifier;
