//! `triage check`'s expectation per step: on the validation tickets kept in the model's card
//! (`model-card.json`, written by `triage train`), the share a step's thresholds would write
//! (coverage) and the share of those that are right (precision), whether the thresholds are
//! numbers or were resolved from a precision target. A model without a card gets one line
//! saying so.

use std::collections::BTreeMap;

use triage_train::card::{self, CardError};
use triage_train::precision;

use crate::model::Config;

/// One line per step of every pipeline, without the `expect:` prefix. `labels` holds each
/// loaded model's labels: a card whose labels differ is not this model's and is not used.
pub fn expectations(config: &Config, labels: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut lines = Vec::new();
    for (name, p) in &config.pipelines {
        for (i, step) in p.steps.iter().enumerate() {
            let Some(model) = config.models.get(&step.model) else {
                continue;
            };
            let policy = &step.policy;
            let head = format!(
                "pipeline {name}: steps[{i}] {} (model {})",
                policy.field.as_str(),
                step.model
            );
            let cards = match card::read_predictions(&model.path) {
                Ok(c) => c,
                Err(CardError::Missing(path)) => {
                    lines.push(format!(
                        "{head}: no expectation available (no card: {} does not exist; only models made by `triage train` carry one)",
                        path.display()
                    ));
                    continue;
                }
                Err(e) => {
                    lines.push(format!("{head}: no expectation available ({e})"));
                    continue;
                }
            };
            if let Some(found) = labels.get(&step.model)
                && *found != cards.labels
            {
                lines.push(format!(
                    "{head}: no expectation available ({} lists other labels than the model)",
                    model.path.join(card::CARD_FILE).display()
                ));
                continue;
            }
            let e = precision::expect(&cards.validation_predictions, |label, confidence| {
                // As at run time: the classifier's confidence is an f32.
                confidence as f32 >= policy.threshold_for(label)
            });
            let precision = match e.precision() {
                Some(p) => format!("precision {:.1} %", 100.0 * p),
                None => "precision — (nothing would be written)".to_owned(),
            };
            let at = match policy.precision {
                Some(target) => format!(
                    "precision target {target} ({} of {} labels have a threshold)",
                    policy.label_thresholds.len(),
                    cards.labels.len()
                ),
                None => format!("threshold {}", policy.threshold),
            };
            let written = if policy.thresholds.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} per-label threshold(s) from the file",
                    policy.thresholds.len()
                )
            };
            lines.push(format!(
                "{head}: coverage {:.1} % ({} of {} validation tickets), {precision} at {at}{written}",
                100.0 * e.coverage(),
                e.written,
                e.tickets
            ));
        }
    }
    lines
}
