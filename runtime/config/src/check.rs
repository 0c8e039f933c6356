//! What `triage check` verifies beyond [`crate::load`]: each model loads, each
//! adapter loads (pin, contract) and connects with its credential, and every value
//! a pipeline could write — mapping targets, fallbacks, model labels used as they
//! are, source queues — names a real queue or priority of its system.
//!
//! Names match the way adapters resolve them: the id, the exact name, or the name
//! ignoring ASCII case (Freshdesk's `Low` for a model's `low`).
//!
//! Per step it also states what the thresholds are expected to do on the model's validation
//! tickets, where the model has a card ([`expect`]).

mod expect;

pub use expect::expectations;

use std::collections::BTreeMap;

use triage_core::{EntityRef, TicketAdapter};
use triage_host::Sandbox;
use triage_pipeline::decide::{Fallback, Field};

use crate::error::Diagnostic;
use crate::model::{Config, PipelineConfig, SecretRef};
use crate::read::join;
use crate::{connect, load_model};

/// What was checked and what is wrong, as lines for a person.
#[derive(Debug, Default)]
pub struct Report {
    /// One line per part that passed.
    pub passed: Vec<String>,
    /// One line per problem, starting with `FILE:LINE:COL: key:` where there is a key.
    pub problems: Vec<String>,
    /// One line per pipeline step: expected coverage and precision, or why there is none.
    pub expectations: Vec<String>,
}

/// The native values of one connection, where the adapter could list them.
#[derive(Debug, Default)]
pub struct NativeValues {
    /// `list-queues`, or why it failed.
    pub queues: Option<Vec<EntityRef>>,
    /// `list-priorities`, or why it failed.
    pub priorities: Option<Vec<EntityRef>>,
}

impl NativeValues {
    fn of(&self, field: Field) -> Option<&[EntityRef]> {
        match field {
            Field::Queue => self.queues.as_deref(),
            Field::Priority => self.priorities.as_deref(),
        }
    }
}

/// Load every model and connect every connection of a loaded configuration, then
/// check each pipeline's values against its system.
pub async fn check(config: &Config, sandbox: &Sandbox) -> Report {
    let mut report = Report::default();
    report.passed.push(format!(
        "{}: {} connection(s), {} model(s), {} pipeline(s); keys, values and references are valid",
        config.path.display(),
        config.connections.len(),
        config.models.len(),
        config.pipelines.len()
    ));

    let mut labels = BTreeMap::new();
    for (name, m) in &config.models {
        match load_model(config, name).await {
            Ok(model) => {
                let found = model.classifier().labels().to_vec();
                report.passed.push(format!(
                    "model {name}: {} loads ({} labels)",
                    m.path.display(),
                    found.len()
                ));
                labels.insert(name.clone(), found);
            }
            Err(e) => report.problems.push(e.to_string()),
        }
    }
    report.expectations = expect::expectations(config, &labels);

    let mut systems = BTreeMap::new();
    for (name, c) in &config.connections {
        // Every call of a check is read-only, enforced by the sandbox.
        let adapter = match connect(config, name, sandbox).await {
            Ok(a) => a.read_only_view(),
            Err(e) => {
                report.problems.push(e.to_string());
                continue;
            }
        };
        let info = adapter.info();
        let auth = match &c.auth {
            Some(a) => {
                let from: Vec<String> = a
                    .parts()
                    .iter()
                    .map(|(key, r)| format!("{key} from {r}"))
                    .collect();
                format!("credential {}", from.join(", "))
            }
            None => "no credential".to_owned(),
        };
        report.passed.push(format!(
            "connection {name}: {} {} for {} loads (triage:adapter@{}, sha256 {}{}); {auth}",
            info.name,
            info.version,
            info.system,
            adapter.loaded().contract(),
            adapter.loaded().sha256(),
            if c.sha256.is_some() { ", pinned" } else { "" },
        ));
        let mut values = NativeValues::default();
        let at = config.locate(&format!("connections.{name}.base_url"));
        for field in [Field::Queue, Field::Priority] {
            let listed = match field {
                Field::Queue => adapter.list_queues().await,
                Field::Priority => adapter.list_priorities().await,
            };
            match listed {
                Ok(list) => {
                    report.passed.push(format!(
                        "connection {name}: {} answers list-{}: {}",
                        c.base_url,
                        plural(field),
                        names(&list)
                    ));
                    match field {
                        Field::Queue => values.queues = Some(list),
                        Field::Priority => values.priorities = Some(list),
                    }
                }
                Err(e) => report.problems.push(format!(
                    "{at}: connections.{name}: list-{} at {} failed: {e}",
                    plural(field),
                    c.base_url
                )),
            }
        }
        systems.insert(name.clone(), values);
    }

    for (name, p) in &config.pipelines {
        let Some(values) = systems.get(&p.connection) else {
            continue;
        };
        let found = check_pipeline(config, p, values, &labels);
        let (checked, unchecked): (Vec<Field>, Vec<Field>) = p
            .steps
            .iter()
            .map(|s| s.policy.field)
            .partition(|f| values.of(*f).is_some());
        if found.is_empty() && !checked.is_empty() {
            let fields: Vec<&str> = checked.iter().map(|f| f.as_str()).collect();
            let skipped: Vec<&str> = unchecked.iter().map(|f| f.as_str()).collect();
            report.passed.push(format!(
                "pipeline {name}: every {} it can write exists in {}{}",
                fields.join(" and "),
                p.connection,
                if skipped.is_empty() {
                    String::new()
                } else {
                    format!(" ({} not checked: listing failed)", skipped.join(", "))
                }
            ));
        }
        report
            .problems
            .extend(found.iter().map(ToString::to_string));
    }
    for line in report
        .passed
        .iter_mut()
        .chain(report.problems.iter_mut())
        .chain(report.expectations.iter_mut())
    {
        *line = config.redact(line);
    }
    report
}

/// Every value `p` could write that its system does not know, at the key that
/// produces it. `labels` holds each loaded model's labels (a label no mapping
/// matches is written as it is).
pub fn check_pipeline(
    config: &Config,
    p: &PipelineConfig,
    values: &NativeValues,
    labels: &BTreeMap<String, Vec<String>>,
) -> Vec<Diagnostic> {
    let base = format!("pipelines.{}", join("", &p.name));
    let mut found = Vec::new();
    let mut problem = |key: String, message: String| {
        found.push(Diagnostic {
            location: config.locate(&key),
            key,
            message,
        });
    };
    if let Some(queues) = &values.queues {
        for (i, q) in p.query.queues.iter().enumerate() {
            let name = q.name.as_deref().unwrap_or_default();
            if !known(queues, name) {
                problem(
                    format!("{base}.source.queues[{i}]"),
                    not_a(name, Field::Queue, &p.connection, queues),
                );
            }
        }
    }
    for (i, step) in p.steps.iter().enumerate() {
        let field = step.policy.field;
        let Some(list) = values.of(field) else {
            continue;
        };
        let step_key = format!("{base}.steps[{i}]");
        for (pattern, native) in &step.policy.mapping {
            if !known(list, native) {
                problem(
                    join(&format!("{step_key}.mapping"), pattern),
                    not_a(native, field, &p.connection, list),
                );
            }
        }
        if let Fallback::Set(native) = &step.policy.fallback
            && !known(list, native)
        {
            problem(
                format!("{step_key}.fallback.set"),
                not_a(native, field, &p.connection, list),
            );
        }
        let unmapped = labels.get(&step.model).into_iter().flatten().filter(|l| {
            !step
                .policy
                .mapping
                .iter()
                .any(|(pattern, _)| triage_pipeline::decide::glob_match(pattern, l))
        });
        for label in unmapped {
            if !known(list, label) {
                problem(
                    format!("{step_key}.mapping"),
                    format!(
                        "model {} can answer {label:?}, which no mapping pattern matches, and {}",
                        step.model,
                        not_a(label, field, &p.connection, list)
                    ),
                );
            }
        }
    }
    found
}

fn plural(field: Field) -> &'static str {
    match field {
        Field::Queue => "queues",
        Field::Priority => "priorities",
    }
}

fn known(list: &[EntityRef], value: &str) -> bool {
    list.iter().any(|e| {
        e.id.as_deref() == Some(value)
            || e.name
                .as_deref()
                .is_some_and(|n| n == value || n.eq_ignore_ascii_case(value))
    })
}

fn not_a(value: &str, field: Field, connection: &str, list: &[EntityRef]) -> String {
    format!(
        "{value:?} is not a {} of connection {connection} (it has: {})",
        field.as_str(),
        names(list)
    )
}

fn names(list: &[EntityRef]) -> String {
    const SHOWN: usize = 12;
    let mut shown: Vec<String> = list
        .iter()
        .take(SHOWN)
        .map(|e| match (&e.name, &e.id) {
            (Some(n), _) => n.clone(),
            (None, Some(id)) => format!("#{id}"),
            (None, None) => "?".into(),
        })
        .collect();
    if list.len() > SHOWN {
        shown.push(format!("and {} more", list.len() - SHOWN));
    }
    if shown.is_empty() {
        "none".into()
    } else {
        shown.join(", ")
    }
}

impl Config {
    /// Every secret value read for this configuration (not literals written in it).
    pub fn secret_values(&self) -> Vec<String> {
        let mut secrets = Vec::new();
        for c in self.connections.values() {
            let Some(credential) = &c.credential else {
                continue;
            };
            let literals: Vec<&str> = c
                .auth
                .iter()
                .flat_map(|a| a.parts())
                .filter_map(|(_, r)| match r {
                    SecretRef::Literal(text) => Some(text.as_str()),
                    SecretRef::Source(_) => None,
                })
                .collect();
            secrets.extend(
                credential
                    .secret_values()
                    .into_iter()
                    .filter(|s| !literals.contains(&s.as_str())),
            );
        }
        if let Some(token) = &self.service.token
            && let Ok(secret) = token.read()
        {
            secrets.push(secret.expose().to_owned());
        }
        secrets.retain(|s| !s.is_empty());
        // Longest first, so a secret inside another is not half-replaced.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets
    }

    /// `text` with every secret value replaced by `***`: a last guard for output
    /// that quotes what a system or adapter said.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in self.secret_values() {
            out = out.replace(&secret, "***");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Dir, GOOD, load};

    fn queues(names: &[&str]) -> Vec<EntityRef> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| EntityRef {
                id: Some((i + 1).to_string()),
                name: Some((*n).to_owned()),
            })
            .collect()
    }

    fn problems(text: &str, values: &NativeValues, labels: &[(&str, &[&str])]) -> Vec<String> {
        let dir = Dir::new();
        let config = load(&dir.file(text)).unwrap();
        let labels = labels
            .iter()
            .map(|(m, l)| (m.to_string(), l.iter().map(|s| s.to_string()).collect()))
            .collect();
        check_pipeline(&config, &config.pipelines["inbox"], values, &labels)
            .iter()
            .map(|d| {
                format!(
                    "{}:{}: {}: {}",
                    d.location.line, d.location.column, d.key, d.message
                )
            })
            .collect()
    }

    #[test]
    fn unknown_mapping_targets_and_fallbacks_are_named_at_their_keys() {
        let values = NativeValues {
            queues: Some(queues(&["Finance", "Helpdesk"])),
            priorities: Some(queues(&["Low", "High"])),
        };
        let found = problems(GOOD, &values, &[]);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("26:11: pipelines.inbox.steps[0].mapping.Billing and Payments: \"Never\" is not a queue of connection helpdesk (it has: Finance, Helpdesk)"), "{}", found[0]);
        assert!(
            found[1].starts_with("28:21: pipelines.inbox.steps[0].fallback.set: \"Unclassified\""),
            "{}",
            found[1]
        );
    }

    #[test]
    fn labels_no_pattern_matches_must_be_real_values_ignoring_case() {
        let values = NativeValues {
            queues: Some(queues(&["Finance", "Helpdesk", "Never", "Unclassified"])),
            priorities: Some(queues(&["Low", "High"])),
        };
        // Queue labels all match "*"; priority labels are used as they are.
        let found = problems(
            GOOD,
            &values,
            &[
                ("queue", &["Billing", "Other"]),
                ("priority", &["low", "high", "urgent"]),
            ],
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].contains("steps[1].mapping: model priority can answer \"urgent\", which no mapping pattern matches"),
            "{}",
            found[0]
        );
        assert!(found[0].starts_with("29:9:"), "{}", found[0]);
    }

    #[test]
    fn source_queues_must_exist_and_unlisted_fields_are_skipped() {
        let text = GOOD.replace(
            "source: { statuses",
            "source: { queues: [Finance, Sales], statuses",
        );
        let values = NativeValues {
            queues: Some(queues(&["Finance", "Helpdesk", "Never", "Unclassified"])),
            priorities: None,
        };
        let found = problems(&text, &values, &[("priority", &["nonsense"])]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].contains("source.queues[1]: \"Sales\" is not a queue"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn redaction_covers_read_secrets_not_literals() {
        let dir = Dir::new();
        let config = load(&dir.file(GOOD)).unwrap();
        assert_eq!(
            config.redact("key fd-secret-value, password X"),
            "key ***, password X"
        );
    }
}
