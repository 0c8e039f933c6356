//! `threshold: { precision: P }`: once every model directory is known, each such step's
//! per-label thresholds are read from `<model dir>/model-card.json` (written by
//! `triage train`) with `triage_train::precision`, the computation training uses for the
//! card's fixed targets. A label no threshold reaches the target for gets none, so under
//! the step's default of infinity it is never written (the fallback applies).
//!
//! The card reader is `triage_train::card::read_predictions`: configuration depends on
//! `triage-train` (no heavier than `triage-classifier`, which already brings the tokenizer)
//! rather than keeping a second copy of the card's shape.

use std::collections::BTreeMap;

use triage_train::card::{self, CardError};

use crate::model::{ModelConfig, PipelineConfig};
use crate::read::{Ctx, join};

/// Resolves every precision target of `pipelines` against the cards of `models`. A step whose
/// model is itself invalid (not in `models`) was reported already and is skipped.
pub(super) fn resolve(
    cx: &mut Ctx<'_>,
    pipelines: &mut BTreeMap<String, PipelineConfig>,
    models: &BTreeMap<String, ModelConfig>,
) {
    for (name, p) in pipelines.iter_mut() {
        for (i, step) in p.steps.iter_mut().enumerate() {
            let Some(target) = step.policy.precision else {
                continue;
            };
            let Some(model) = models.get(&step.model) else {
                continue;
            };
            let key = format!("{}.steps[{i}].threshold", join("pipelines", name));
            let cards = match card::read_predictions(&model.path) {
                Ok(c) => c,
                Err(e) => {
                    let message = match e {
                        CardError::Missing(_) => format!(
                            "a precision target needs the model's card, and model {} ({}) has no {}: only models made by `triage train` carry one (the bundled models do not); write a confidence instead (threshold: 0.7)",
                            step.model,
                            model.path.display(),
                            card::CARD_FILE
                        ),
                        other => format!(
                            "a precision target needs the model's card: {other}; or write a confidence instead (threshold: 0.7)"
                        ),
                    };
                    let at = cx.index.get(&key).copied().unwrap_or_default();
                    cx.error(at, &key, message);
                    continue;
                }
            };
            let per_label = triage_train::precision::thresholds(
                &cards.validation_predictions,
                &cards.labels,
                f64::from(target),
            );
            step.policy.label_thresholds = cards
                .labels
                .iter()
                .zip(per_label)
                // Rounding both to f32 keeps the order: what passed in f64 passes at run time.
                .filter_map(|(label, t)| Some((label.clone(), t? as f32)))
                .collect();
        }
    }
}
