//! Logits → labels with confidences.

use serde::{Deserialize, Serialize};

/// A label with the model's confidence in it (a softmax probability, 0..=1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelScore {
    pub label: String,
    pub confidence: f32,
}

/// The outcome for one text: the best label and the `top_k` best, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub label: String,
    pub confidence: f32,
    pub top: Vec<LabelScore>,
}

/// Numerically stable softmax (shifted by the maximum so `exp` cannot overflow).
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|&l| (l - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// Builds a prediction from one row of logits. Ties keep the lower label index first so that
/// results are deterministic.
pub fn predict(logits: &[f32], labels: &[String], top_k: usize) -> Prediction {
    let probs = softmax(logits);
    let mut order: Vec<usize> = (0..probs.len()).collect();
    order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]).then(a.cmp(&b)));
    let top: Vec<LabelScore> = order
        .iter()
        .take(top_k.max(1))
        .map(|&i| LabelScore {
            label: labels[i].clone(),
            confidence: probs[i],
        })
        .collect();
    Prediction {
        label: top[0].label.clone(),
        confidence: top[0].confidence,
        top,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_sums_to_one_and_survives_large_logits() {
        let p = softmax(&[1000.0, 1000.0, -1000.0]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((p[0] - 0.5).abs() < 1e-6);
    }

    #[test]
    fn predict_orders_best_first_and_limits_k() {
        let labels: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let p = predict(&[0.1, 2.0, 1.0], &labels, 2);
        assert_eq!(p.label, "b");
        assert_eq!(p.top.len(), 2);
        assert_eq!(p.top[1].label, "c");
        assert!(p.top[0].confidence > p.top[1].confidence);
    }
}
