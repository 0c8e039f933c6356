//! Precision targets: per label, the lowest confidence whose validation precision reaches a
//! target, and what a set of thresholds is expected to do (coverage, precision). The one
//! place this is computed: training uses it for the card's fixed targets, configuration
//! loading for `threshold: { precision: P }`, `triage check` for its expectation line.
//!
//! Definition, for label L and threshold t: among validation tickets predicted as L with
//! calibrated confidence ≥ t, the share that truly are L. The threshold for target P is the
//! lowest observed confidence t at which that share is ≥ P and at least [`MIN_SUPPORT`]
//! tickets are admitted; none when no t qualifies (the label is then never written). Equal
//! confidences are admitted together: a threshold cannot split them.

/// Fewest validation tickets that must support a threshold: below this a precision is one
/// or two lucky tickets, not a measurement.
pub const MIN_SUPPORT: usize = 5;

/// One validation ticket as the card keeps it: predicted label, calibrated confidence,
/// whether the prediction was right.
pub type Prediction = (String, f64, bool);

/// The lowest confidence among `mine` (confidence, right) — the predictions of one label —
/// whose precision reaches `target` with at least [`MIN_SUPPORT`] tickets admitted.
pub fn threshold(mine: &[(f64, bool)], target: f64) -> Option<f64> {
    let mut mine = mine.to_vec();
    mine.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut hits, mut best) = (0usize, None);
    let mut i = 0;
    while i < mine.len() {
        let mut j = i;
        while j < mine.len() && mine[j].0 == mine[i].0 {
            hits += usize::from(mine[j].1);
            j += 1;
        }
        if j >= MIN_SUPPORT && hits as f64 / j as f64 >= target {
            best = Some(mine[i].0);
        }
        i = j;
    }
    best
}

/// Per label of `labels`, in that order, [`threshold`] over the predictions of that label.
pub fn thresholds(predictions: &[Prediction], labels: &[String], target: f64) -> Vec<Option<f64>> {
    labels
        .iter()
        .map(|l| {
            let mine: Vec<(f64, bool)> = predictions
                .iter()
                .filter(|(p, _, _)| p == l)
                .map(|(_, c, r)| (*c, *r))
                .collect();
            threshold(&mine, target)
        })
        .collect()
}

/// What thresholds are expected to do, measured on validation predictions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expectation {
    /// Validation tickets.
    pub tickets: usize,
    /// Those at or above their predicted label's threshold (would be written).
    pub written: usize,
    /// Those written and right.
    pub right: usize,
}

impl Expectation {
    /// Share of tickets written.
    pub fn coverage(&self) -> f64 {
        self.written as f64 / self.tickets.max(1) as f64
    }

    /// Share of written tickets that are right; `None` when nothing is written.
    pub fn precision(&self) -> Option<f64> {
        (self.written > 0).then(|| self.right as f64 / self.written as f64)
    }
}

/// Coverage and precision of `predictions` when a ticket predicted as `label` is written
/// iff `written(label, confidence)`.
pub fn expect(predictions: &[Prediction], written: impl Fn(&str, f64) -> bool) -> Expectation {
    let mut e = Expectation {
        tickets: predictions.len(),
        written: 0,
        right: 0,
    };
    for (label, confidence, right) in predictions {
        if written(label, *confidence) {
            e.written += 1;
            e.right += usize::from(*right);
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(label: &str, confidence: f64, right: bool) -> Prediction {
        (label.to_owned(), confidence, right)
    }

    #[test]
    fn lowest_confidence_reaching_the_target_with_enough_support() {
        // Sorted high to low: 5 right, then a wrong one at 0.6, then 4 right.
        let mine: Vec<(f64, bool)> = [0.99, 0.95, 0.9, 0.85, 0.8]
            .iter()
            .map(|&c| (c, true))
            .chain([(0.6, false)])
            .chain([0.55, 0.5, 0.45, 0.4].iter().map(|&c| (c, true)))
            .collect();
        // 1.0 holds down to 0.8 (5 tickets), not past the wrong one.
        assert_eq!(threshold(&mine, 1.0), Some(0.8));
        // 0.85: not at 0.6 (5 of 6), again from 0.55 (6 of 7); the lowest t wins: 9 of 10.
        assert_eq!(threshold(&mine, 0.85), Some(0.4));
        // 0.95: only the top five.
        assert_eq!(threshold(&mine, 0.95), Some(0.8));
    }

    #[test]
    fn too_few_tickets_give_no_threshold() {
        let four: Vec<(f64, bool)> = [0.9, 0.8, 0.7, 0.6].iter().map(|&c| (c, true)).collect();
        assert_eq!(threshold(&four, 0.5), None);
        assert_eq!(threshold(&[], 0.5), None);
    }

    #[test]
    fn equal_confidences_are_admitted_together() {
        // Five at 0.7, two of them wrong: 3/5 = 0.6 — a threshold cannot keep only the right ones.
        let tied = [
            (0.7, true),
            (0.7, false),
            (0.7, true),
            (0.7, false),
            (0.7, true),
        ];
        assert_eq!(threshold(&tied, 0.6), Some(0.7));
        assert_eq!(threshold(&tied, 0.61), None);
    }

    #[test]
    fn thresholds_are_per_label_and_expectation_counts_written_and_right() {
        let mut preds = Vec::new();
        for c in [0.95, 0.94, 0.93, 0.92, 0.91, 0.9] {
            preds.push(p("A", c, true));
        }
        preds.push(p("A", 0.5, false));
        preds.push(p("B", 0.99, false));
        let labels = vec!["A".to_owned(), "B".to_owned()];
        let th = thresholds(&preds, &labels, 0.9);
        assert_eq!(th, vec![Some(0.9), None]);
        let e = expect(&preds, |l, c| l == "A" && c >= 0.9);
        assert_eq!((e.tickets, e.written, e.right), (8, 6, 6));
        assert_eq!(e.coverage(), 0.75);
        assert_eq!(e.precision(), Some(1.0));
        assert_eq!(expect(&preds, |_, _| false).precision(), None);
    }
}
