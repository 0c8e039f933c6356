//! Text → padded integer tensors.
//!
//! Tokenization and padding are kept here, apart from ONNX, because they are where the time
//! goes for small models: the graph of an embedding-bag model runs in microseconds, the
//! tokenizer in milliseconds.

use std::path::Path;

use ndarray::Array2;
use tokenizers::{Tokenizer, TruncationParams};

use crate::error::{Error, Result};

/// One text after tokenization, before padding.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub ids: Vec<i64>,
    pub type_ids: Vec<i64>,
}

/// Tensors for one forward pass; all have shape `[batch, longest]`.
#[derive(Debug)]
pub struct Batch {
    pub input_ids: Array2<i64>,
    pub attention_mask: Array2<i64>,
    pub token_type_ids: Array2<i64>,
}

/// A tokenizer configured for per-batch padding and a fixed truncation length.
pub struct Encoder {
    tokenizer: Tokenizer,
    pad_id: i64,
    max_length: usize,
}

impl Encoder {
    /// Loads `tokenizer.json`. The truncation length is `max_length` when given, else the
    /// tokenizer's own, else `fallback`; it is applied by the tokenizer so that special tokens
    /// such as `[SEP]` survive the cut. Padding is switched off because [`Encoder::pad`] pads
    /// each batch only to its own longest text.
    pub fn load(path: &Path, max_length: Option<usize>, fallback: usize) -> Result<Self> {
        if !path.is_file() {
            return Err(Error::MissingFile {
                path: path.to_path_buf(),
            });
        }
        let mut tokenizer = Tokenizer::from_file(path).map_err(|e| Error::InvalidFile {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let pad_id = tokenizer
            .get_padding()
            .map(|p| p.pad_id)
            .or_else(|| {
                ["[PAD]", "<pad>"]
                    .iter()
                    .find_map(|t| tokenizer.token_to_id(t))
            })
            .unwrap_or(0) as i64;
        tokenizer.with_padding(None);
        let max_length = max_length
            .or_else(|| tokenizer.get_truncation().map(|t| t.max_length))
            .unwrap_or(fallback);
        let params = TruncationParams {
            max_length,
            ..tokenizer.get_truncation().cloned().unwrap_or_default()
        };
        tokenizer
            .with_truncation(Some(params))
            .map_err(|e| Error::InvalidFile {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            tokenizer,
            pad_id,
            max_length,
        })
    }

    /// The longest sequence (special tokens included) fed to the model.
    pub fn max_length(&self) -> usize {
        self.max_length
    }

    /// Tokenizes one text with the tokenizer's own special tokens.
    pub fn encode(&self, text: &str) -> Result<Encoded> {
        // `encode_fast` skips character offsets, which we never use.
        let enc = self
            .tokenizer
            .encode_fast(text, true)
            .map_err(|e| Error::Tokenizer(e.to_string()))?;
        Ok(Encoded {
            ids: enc.get_ids().iter().map(|&i| i as i64).collect(),
            type_ids: enc.get_type_ids().iter().map(|&i| i as i64).collect(),
        })
    }

    /// Pads a group of encoded texts to the longest among them.
    pub fn pad(&self, group: &[&Encoded]) -> Batch {
        // An empty text still needs one position: a zero-width tensor is rejected by some graphs.
        let width = group.iter().map(|e| e.ids.len()).max().unwrap_or(0).max(1);
        let mut input_ids = Array2::from_elem((group.len(), width), self.pad_id);
        let mut attention_mask = Array2::zeros((group.len(), width));
        let mut token_type_ids = Array2::zeros((group.len(), width));
        for (row, e) in group.iter().enumerate() {
            for (col, (&id, &ty)) in e.ids.iter().zip(&e.type_ids).enumerate() {
                input_ids[[row, col]] = id;
                attention_mask[[row, col]] = 1;
                token_type_ids[[row, col]] = ty;
            }
        }
        Batch {
            input_ids,
            attention_mask,
            token_type_ids,
        }
    }
}

/// Padding a pass may add, as a share of its real tokens, before a new pass is started.
const MAX_PADDING: f64 = 0.25;

/// Splits `lengths.len()` texts into forward passes of at most `max_batch`, grouping texts of
/// similar length. With one long text among short ones, naive batching pads every row to the
/// long one; for attention models (cost grows with the padded length, quadratically in
/// attention) that made batch 32 slower than batch 1. Texts are sorted by length and a pass
/// closes when adding the next text would make padding exceed [`MAX_PADDING`] of its tokens.
pub fn plan_batches(lengths: &[usize], max_batch: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| lengths[i]);
    let mut plan: Vec<Vec<usize>> = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    let mut tokens = 0usize;
    for i in order {
        let len = lengths[i].max(1);
        // Sorted ascending, so `len` is the width the group would be padded to.
        let padded = (group.len() + 1) * len;
        let too_wasteful = padded as f64 > (1.0 + MAX_PADDING) * (tokens + len) as f64;
        if !group.is_empty() && (group.len() >= max_batch.max(1) || too_wasteful) {
            plan.push(std::mem::take(&mut group));
            tokens = 0;
        }
        group.push(i);
        tokens += len;
    }
    if !group.is_empty() {
        plan.push(group);
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_groups_similar_lengths_and_covers_all() {
        let lengths = [50, 3, 49, 4, 100, 2, 51, 52];
        let plan = plan_batches(&lengths, 3);
        // 2, 3, 4 would pad 3 × 4 = 12 cells for 9 tokens: too much; 49..52 fit; 100 alone.
        assert_eq!(
            plan,
            vec![vec![5, 1], vec![3], vec![2, 0, 6], vec![7], vec![4]]
        );
        let mut all: Vec<usize> = plan.concat();
        all.sort();
        assert_eq!(all, (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn plan_fills_batches_of_equal_lengths() {
        let plan = plan_batches(&[10; 70], 32);
        assert_eq!(plan.iter().map(Vec::len).collect::<Vec<_>>(), [32, 32, 6]);
    }

    #[test]
    fn plan_of_nothing_is_empty() {
        assert!(plan_batches(&[], 32).is_empty());
    }
}
