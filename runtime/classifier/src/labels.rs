//! The label map: which name belongs to which logit.
//!
//! HuggingFace exports carry it as `id2label` in `config.json`; a model built without
//! transformers may instead ship `labels.txt`, one label per line in output order. `config.json`
//! wins when both exist so that an exported HF directory behaves exactly as in Python.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::text::TextForm;

/// Labels in logit order, and the file they came from (for error messages).
#[derive(Debug, Clone)]
pub struct LabelMap {
    pub labels: Vec<String>,
    pub source: PathBuf,
}

/// What `config.json` may tell us besides labels.
#[derive(Debug, Default, Clone)]
pub struct ModelConfig {
    pub labels: Option<LabelMap>,
    pub max_position_embeddings: Option<usize>,
    /// `"text"`: which ticket text the model reads.
    pub text: TextForm,
    /// `"temperature"`: logits are divided by it before the softmax (calibration); 1 when absent.
    pub temperature: f32,
}

/// Reads `config.json` when present; its absence is not an error.
pub fn read_config(dir: &Path) -> Result<ModelConfig> {
    let path = dir.join("config.json");
    if !path.is_file() {
        return Ok(ModelConfig::default());
    }
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::InvalidFile {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let max_position_embeddings = json
        .get("max_position_embeddings")
        .and_then(|v| v.as_u64())
        .map(|v| v as usize);
    let labels = match json.get("id2label") {
        None | Some(serde_json::Value::Null) => None,
        Some(map) => Some(LabelMap {
            labels: id2label(map).map_err(|reason| Error::InvalidFile {
                path: path.clone(),
                reason,
            })?,
            source: path.clone(),
        }),
    };
    let text = match json.get("text") {
        None | Some(serde_json::Value::Null) => TextForm::default(),
        Some(v) => v
            .as_str()
            .and_then(TextForm::parse)
            .ok_or_else(|| Error::InvalidFile {
                path: path.clone(),
                reason: format!("`text` must be \"clean\" or \"raw\", not {v}"),
            })?,
    };
    let temperature = match json.get("temperature") {
        None | Some(serde_json::Value::Null) => 1.0,
        Some(v) => match v.as_f64() {
            Some(t) if t > 0.0 && t.is_finite() => t as f32,
            _ => {
                return Err(Error::InvalidFile {
                    path: path.clone(),
                    reason: format!("`temperature` must be a positive number, not {v}"),
                });
            }
        },
    };
    Ok(ModelConfig {
        labels,
        max_position_embeddings,
        text,
        temperature,
    })
}

/// HF writes `id2label` as an object with string keys ("0", "1", …); the ids must be exactly
/// 0..n, otherwise some logit would have no name.
fn id2label(map: &serde_json::Value) -> std::result::Result<Vec<String>, String> {
    let obj = map
        .as_object()
        .ok_or_else(|| "`id2label` must be an object".to_string())?;
    let mut by_id = BTreeMap::new();
    for (k, v) in obj {
        let id: usize = k
            .parse()
            .map_err(|_| format!("`id2label` key {k:?} is not a number"))?;
        let label = v
            .as_str()
            .ok_or_else(|| format!("`id2label[{k}]` is not a string"))?;
        by_id.insert(id, label.to_string());
    }
    if by_id.keys().copied().ne(0..by_id.len()) {
        return Err("`id2label` ids must be 0, 1, …, n-1 without gaps".into());
    }
    if by_id.is_empty() {
        return Err("`id2label` is empty".into());
    }
    Ok(by_id.into_values().collect())
}

/// Reads `labels.txt`: one label per line, blank lines ignored.
pub fn read_labels_txt(dir: &Path) -> Result<Option<LabelMap>> {
    let path = dir.join("labels.txt");
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let labels: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if labels.is_empty() {
        return Err(Error::InvalidFile {
            path,
            reason: "no labels".into(),
        });
    }
    Ok(Some(LabelMap {
        labels,
        source: path,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id2label_orders_by_numeric_id() {
        let v = serde_json::json!({"10": "k", "2": "c", "0": "a", "1": "b", "3": "d", "4": "e",
            "5": "f", "6": "g", "7": "h", "8": "i", "9": "j"});
        let labels = id2label(&v).unwrap();
        assert_eq!(labels[2], "c");
        assert_eq!(labels[10], "k");
    }

    #[test]
    fn id2label_rejects_gaps() {
        let v = serde_json::json!({"0": "a", "2": "c"});
        assert!(id2label(&v).unwrap_err().contains("without gaps"));
    }
}
