//! The contract between triage and a model graph, checked once at load time so that a wrong
//! export fails with a message about the file instead of an ONNX Runtime error mid-run.

use std::path::Path;

use crate::error::{Error, Result};

const REQUIRED: [&str; 2] = ["input_ids", "attention_mask"];
const OPTIONAL: &str = "token_type_ids";
const LOGITS: &str = "logits";

/// What we learnt about a graph's interface.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphShape {
    /// Whether to feed `token_type_ids` (BERT has it, DistilBERT and RoBERTa exports do not).
    pub token_type_ids: bool,
    /// Number of logits per text when the graph declares it statically.
    pub logits_width: Option<usize>,
}

/// Checks input and output names. `logits_shape` is the declared shape of the `logits` output
/// (`-1` for dynamic dimensions), when known.
pub fn check(
    path: &Path,
    inputs: &[String],
    outputs: &[String],
    logits_shape: Option<&[i64]>,
) -> Result<GraphShape> {
    let has = |n: &str| inputs.iter().any(|i| i == n);
    let all_known = inputs
        .iter()
        .all(|i| REQUIRED.contains(&i.as_str()) || i == OPTIONAL);
    if !REQUIRED.iter().all(|r| has(r)) || !all_known {
        return Err(Error::UnexpectedInputs {
            path: path.to_path_buf(),
            found: inputs.to_vec(),
        });
    }
    if !outputs.iter().any(|o| o == LOGITS) {
        return Err(Error::MissingLogits {
            path: path.to_path_buf(),
            found: outputs.to_vec(),
        });
    }
    let logits_width = logits_shape
        .and_then(|s| s.last().copied())
        .filter(|&d| d > 0)
        .map(|d| d as usize);
    Ok(GraphShape {
        token_type_ids: has(OPTIONAL),
        logits_width,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn accepts_bert_and_distilbert_shapes() {
        let p = Path::new("m.onnx");
        let bert = check(
            p,
            &s(&["input_ids", "attention_mask", "token_type_ids"]),
            &s(&["logits"]),
            Some(&[-1, 4]),
        )
        .unwrap();
        assert!(bert.token_type_ids);
        assert_eq!(bert.logits_width, Some(4));
        let distil = check(
            p,
            &s(&["input_ids", "attention_mask"]),
            &s(&["logits"]),
            None,
        )
        .unwrap();
        assert!(!distil.token_type_ids);
        assert_eq!(distil.logits_width, None);
    }

    #[test]
    fn rejects_unknown_inputs_and_missing_logits() {
        let p = Path::new("m.onnx");
        let e = check(p, &s(&["pixel_values"]), &s(&["logits"]), None).unwrap_err();
        assert!(matches!(e, Error::UnexpectedInputs { .. }));
        assert!(e.to_string().contains("m.onnx"));
        let e = check(
            p,
            &s(&["input_ids", "attention_mask"]),
            &s(&["last_hidden_state"]),
            None,
        )
        .unwrap_err();
        assert!(matches!(e, Error::MissingLogits { .. }));
    }
}
