//! Transfer for small histories (`--transfer auto`, the default): below [`AUTO_BELOW`]
//! tickets, generated tickets — the simulator generator's, whose queue and priority names are
//! the bundled models' labels — join the fit as prior examples, their labels turned into
//! written values through the step's `mapping` and matched to the history's labels ignoring
//! case (those that match none are left out). The model is trained with and without them and
//! the one with the higher validation macro-F1 on the team's own newest tickets is kept, so
//! a team whose labels mean something else than the generator's loses nothing.
//! Figures: docs/training.md, *Transfer*.

use std::collections::BTreeMap;

use triage_classifier::text::{TextForm, ticket_text};
use triage_pipeline::decide::StepPolicy;
use triage_train::{Example, Options, Trained};

use super::Field;

/// Histories with fewer tickets get the prior (it helped up to 1,000 tickets, not at 3,000).
pub const AUTO_BELOW: usize = 2000;
/// Generated prior tickets.
pub const PRIOR_TICKETS: usize = 3000;
/// Weight of a prior ticket (chosen on held-out generator tickets among 0.1, 0.3, 1).
pub const PRIOR_WEIGHT: f32 = 1.0;
/// Generator seed of the prior: fixed, so the same history trains the same model.
pub const PRIOR_SEED: u64 = 5150;

/// `--transfer`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Transfer {
    /// Prior generated tickets for histories below the documented size, kept if they help.
    Auto,
    /// Train on the history alone.
    Off,
}

/// Trains on `examples`, with the prior where `mode` and the history's size call for it and
/// it validates at least as well; returns the model kept and the line that says so.
pub fn fit(
    examples: Vec<Example>,
    opts: Options,
    mode: Transfer,
    field: Field,
    policy: Option<&StepPolicy>,
) -> triage_train::Result<(Trained, String)> {
    let tickets = examples.len();
    if mode == Transfer::Off {
        return Ok((
            triage_train::train(examples, &opts)?,
            "transfer: off".into(),
        ));
    }
    if tickets >= AUTO_BELOW {
        let line = format!(
            "transfer: none (history of {tickets} tickets; generated tickets join below {AUTO_BELOW})"
        );
        return Ok((triage_train::train(examples, &opts)?, line));
    }
    let prior = prior(field, policy, &examples);
    if prior.is_empty() {
        let line = "transfer: none (no generated ticket has one of this history's labels)";
        return Ok((triage_train::train(examples, &opts)?, line.into()));
    }
    let count = prior.len();
    let alone = triage_train::train(examples.clone(), &opts)?;
    let with = triage_train::train(examples, &Options { prior, ..opts })?;
    let (a, w) = (
        alone.report.validation.macro_f1,
        with.report.validation.macro_f1,
    );
    if w >= a {
        let line = format!(
            "transfer: {} of {count} generated tickets with this history's labels joined the fit (weight {PRIOR_WEIGHT}): validation macro-F1 {w:.3} vs {a:.3} alone; kept",
            with.report.prior_tickets
        );
        Ok((with, line))
    } else {
        let line = format!(
            "transfer: none ({count} generated tickets with this history's labels validated worse: macro-F1 {w:.3} vs {a:.3} alone)"
        );
        Ok((alone, line))
    }
}

/// Generated tickets labelled for `field` as this team writes labels (the step's mapping,
/// then the history's spelling of the same name); only those whose label the history has.
pub fn prior(field: Field, policy: Option<&StepPolicy>, history: &[Example]) -> Vec<Example> {
    let spelling: BTreeMap<String, &str> = history
        .iter()
        .map(|e| (e.label.to_lowercase(), e.label.as_str()))
        .collect();
    let data = triage_sim::generate::generate(&triage_sim::generate::GenerateOptions::new(
        PRIOR_TICKETS,
        PRIOR_SEED,
    ));
    data.tickets
        .iter()
        .filter_map(|t| {
            let truth = &data.truth[&t.id];
            let label = match field {
                Field::Queue => truth.queue.clone(),
                Field::Priority => truth.priority.name().to_owned(),
            };
            let native = policy.map_or(label.clone(), |p| p.native_value(&label));
            let label = spelling.get(&native.to_lowercase())?;
            Some(Example {
                text: ticket_text(
                    &t.subject,
                    Some(&t.description_text),
                    Some(&t.description),
                    TextForm::Clean,
                ),
                label: (*label).to_owned(),
                time: t.created_at.timestamp(),
                weight: PRIOR_WEIGHT,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use triage_pipeline::decide::Field as StepField;

    fn history(labels: &[&str]) -> Vec<Example> {
        labels
            .iter()
            .map(|l| Example {
                text: format!("ticket for {l}"),
                label: (*l).into(),
                time: 0,
                weight: 1.0,
            })
            .collect()
    }

    #[test]
    fn prior_labels_follow_the_mapping_and_the_historys_spelling() {
        let mut policy = StepPolicy::new(StepField::Queue, 0.5);
        policy.mapping = vec![
            ("Billing*".into(), "Accounts".into()),
            ("IT Support".into(), "Helpdesk".into()),
        ];
        let got = prior(
            Field::Queue,
            Some(&policy),
            &history(&["accounts", "Helpdesk"]),
        );
        assert!(!got.is_empty());
        assert!(got.iter().any(|e| e.label == "accounts"));
        assert!(got.iter().any(|e| e.label == "Helpdesk"));
        assert!(
            got.iter()
                .all(|e| ["accounts", "Helpdesk"].contains(&e.label.as_str()))
        );
        assert!(got.iter().all(|e| e.weight == PRIOR_WEIGHT));

        let got = prior(Field::Priority, None, &history(&["Low", "Urgent"]));
        assert!(got.iter().any(|e| e.label == "Urgent"));
        assert!(
            got.iter()
                .all(|e| ["Low", "Urgent"].contains(&e.label.as_str()))
        );
        assert!(prior(Field::Queue, None, &history(&["Sales EMEA"])).is_empty());
    }
}
