//! The synchronous classifier: one model directory, one ONNX Runtime session.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ndarray::Array2;
use ort::session::{Session, SessionInputValue};
use ort::value::TensorRef;

use crate::encode::{Batch, Encoder, plan_batches};
use crate::error::{Error, Result, inference};
use crate::graph::{self, GraphShape};
use crate::labels::{self, LabelMap};
use crate::predict::{Prediction, predict};
use crate::runtime;
use crate::text::TextForm;

/// Used when neither the caller, the tokenizer nor `config.json` states a length; BERT's limit.
const FALLBACK_MAX_LENGTH: usize = 512;

/// How a model is run.
#[derive(Debug, Clone)]
pub struct ClassifierOptions {
    /// ONNX Runtime intra-op threads for this model's session.
    pub intra_threads: usize,
    /// Most texts per forward pass; larger inputs are split (after sorting by length).
    pub max_batch: usize,
    /// How many labels each [`Prediction::top`] lists.
    pub top_k: usize,
    /// Overrides the truncation length (tokens, special tokens included).
    pub max_length: Option<usize>,
    /// Let idle intra-op threads busy-wait for work. Off by default: triage shares its cores
    /// with the pipeline, adapters and the other model, and spinning threads steal the very
    /// cores the work is waiting for (measured on 2 busy cores: several times slower with 2
    /// spinning threads than with 1). Turn on for latency on a dedicated machine.
    pub spin: bool,
}

impl Default for ClassifierOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            intra_threads: cores.min(4),
            max_batch: 32,
            top_k: 3,
            max_length: None,
            spin: false,
        }
    }
}

/// A loaded sequence classifier. `Sync`: share it behind an `Arc`; forward passes are
/// serialised because an ONNX Runtime session run needs exclusive access in `ort`.
pub struct Classifier {
    session: Mutex<Session>,
    encoder: Encoder,
    labels: LabelMap,
    graph: GraphShape,
    model_path: PathBuf,
    options: ClassifierOptions,
    text_form: TextForm,
    temperature: f32,
}

impl std::fmt::Debug for Classifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Classifier")
            .field("model", &self.model_path)
            .field("labels", &self.labels.labels)
            .field("graph", &self.graph)
            .finish_non_exhaustive()
    }
}

impl Classifier {
    /// Loads `model.onnx`, `tokenizer.json` and the label map from `dir`.
    ///
    /// Files are checked before ONNX Runtime is started, so a broken model directory is
    /// reported as such even on a machine without the runtime library.
    pub fn load(dir: impl AsRef<Path>, options: ClassifierOptions) -> Result<Self> {
        let dir = dir.as_ref();
        let model_path = dir.join("model.onnx");
        if !model_path.is_file() {
            return Err(Error::MissingFile { path: model_path });
        }
        let config = labels::read_config(dir)?;
        let labels = match config.labels {
            Some(l) => l,
            None => labels::read_labels_txt(dir)?.ok_or_else(|| Error::NoLabelMap {
                dir: dir.to_path_buf(),
            })?,
        };
        let fallback = config
            .max_position_embeddings
            .unwrap_or(FALLBACK_MAX_LENGTH);
        let encoder = Encoder::load(&dir.join("tokenizer.json"), options.max_length, fallback)?;

        let env = runtime::environment()?;
        let session = Session::builder(&env)
            .map_err(inference)?
            .with_intra_threads(options.intra_threads.max(1))
            .map_err(inference)?
            .with_inter_threads(1)
            .map_err(inference)?
            .with_intra_op_spinning(options.spin)
            .map_err(inference)?
            .commit_from_file(&model_path)
            .map_err(|e| Error::InvalidFile {
                path: model_path.clone(),
                reason: e.to_string(),
            })?;

        let names = |outlets: &[ort::value::Outlet]| -> Vec<String> {
            outlets.iter().map(|o| o.name().to_string()).collect()
        };
        let logits_shape = session
            .outputs()
            .iter()
            .find(|o| o.name() == "logits")
            .and_then(|o| o.dtype().tensor_shape())
            .map(|s| s.to_vec());
        let graph = graph::check(
            &model_path,
            &names(session.inputs()),
            &names(session.outputs()),
            logits_shape.as_deref(),
        )?;
        if let Some(width) = graph.logits_width {
            check_width(&labels, &model_path, width)?;
        }
        tracing::info!(model = %model_path.display(), labels = labels.labels.len(),
            max_length = encoder.max_length(), "classifier loaded");
        Ok(Self {
            session: Mutex::new(session),
            encoder,
            labels,
            graph,
            model_path,
            options,
            text_form: config.text,
            temperature: config.temperature,
        })
    }

    /// Labels in logit order.
    pub fn labels(&self) -> &[String] {
        &self.labels.labels
    }

    /// The options the model was loaded with.
    pub fn options(&self) -> &ClassifierOptions {
        &self.options
    }

    /// Which ticket text the model reads (`config.json` `"text"`); build it with
    /// [`crate::text::ticket_text`].
    pub fn text_form(&self) -> TextForm {
        self.text_form
    }

    /// The calibration temperature from `config.json` (1 when absent): logits are divided by
    /// it before the softmax, which changes confidences but never the ranking.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// Truncation length in tokens.
    pub fn max_length(&self) -> usize {
        self.encoder.max_length()
    }

    /// Classifies texts; the result has one prediction per text, in input order.
    pub fn classify_batch(&self, texts: &[&str]) -> Result<Vec<Prediction>> {
        let top_k = self.options.top_k;
        Ok(self
            .logits_batch(texts)?
            .iter()
            .map(|row| {
                let scaled: Vec<f32> = row.iter().map(|l| l / self.temperature).collect();
                predict(&scaled, &self.labels.labels, top_k)
            })
            .collect())
    }

    /// Classifies one text.
    pub fn classify(&self, text: &str) -> Result<Prediction> {
        let mut out = self.classify_batch(&[text])?;
        Ok(out.remove(0))
    }

    /// Raw logits, one row per text in input order (for comparing with other runtimes).
    pub fn logits_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let encoded = texts
            .iter()
            .map(|t| self.encoder.encode(t))
            .collect::<Result<Vec<_>>>()?;
        let lengths: Vec<usize> = encoded.iter().map(|e| e.ids.len()).collect();
        let mut rows = vec![Vec::new(); texts.len()];
        for group in plan_batches(&lengths, self.options.max_batch) {
            let members: Vec<_> = group.iter().map(|&i| &encoded[i]).collect();
            let logits = self.run(&self.encoder.pad(&members))?;
            check_width(&self.labels, &self.model_path, logits.ncols())?;
            for (row, &i) in logits.rows().into_iter().zip(&group) {
                rows[i] = row.to_vec();
            }
        }
        Ok(rows)
    }

    fn run(&self, batch: &Batch) -> Result<Array2<f32>> {
        let mut inputs: Vec<(&str, SessionInputValue<'_>)> = vec![
            (
                "input_ids",
                TensorRef::from_array_view(&batch.input_ids)
                    .map_err(inference)?
                    .into(),
            ),
            (
                "attention_mask",
                TensorRef::from_array_view(&batch.attention_mask)
                    .map_err(inference)?
                    .into(),
            ),
        ];
        if self.graph.token_type_ids {
            inputs.push((
                "token_type_ids",
                TensorRef::from_array_view(&batch.token_type_ids)
                    .map_err(inference)?
                    .into(),
            ));
        }
        // A poisoned lock only means another thread panicked mid-run; the session itself
        // holds no state between runs, so it is safe to keep using.
        let mut session = self
            .session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let outputs = session.run(inputs).map_err(inference)?;
        let logits = outputs["logits"]
            .try_extract_array::<f32>()
            .map_err(inference)?;
        logits
            .into_dimensionality::<ndarray::Ix2>()
            .map(|v| v.to_owned())
            .map_err(|e| Error::Inference(format!("logits are not [batch, labels]: {e}")))
    }
}

fn check_width(labels: &LabelMap, model_path: &Path, width: usize) -> Result<()> {
    if labels.labels.len() == width {
        Ok(())
    } else {
        Err(Error::LabelCountMismatch {
            labels_path: labels.source.clone(),
            labels: labels.labels.len(),
            model_path: model_path.to_path_buf(),
            outputs: width,
        })
    }
}
