//! From a model's answer to what is written: pure functions, unit-tested here.

use std::collections::BTreeMap;

use triage_core::{EntityRef, Note, TagOp, TicketPatch};

/// Which ticket field a classification step sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The queue (Freshdesk group, OTOBO queue, ...).
    Queue,
    /// The priority.
    Priority,
}

impl Field {
    /// Lower-case name for notes and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queue => "queue",
            Self::Priority => "priority",
        }
    }
}

/// What to do when the model is not confident enough.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fallback {
    /// Leave the field as it is.
    LeaveUnchanged,
    /// Set this native value instead (e.g. an "Unclassified" queue).
    Set(String),
}

/// How one step turns a label into a field value.
#[derive(Debug, Clone, PartialEq)]
pub struct StepPolicy {
    /// The field set.
    pub field: Field,
    /// Minimum confidence to act on the label ([`f32::INFINITY`] for a precision target: a
    /// label without a resolved threshold is never written).
    pub threshold: f32,
    /// Per-label thresholds (label pattern, threshold); the first match wins,
    /// else `label_thresholds`, else `threshold` applies.
    pub thresholds: Vec<(String, f32)>,
    /// Thresholds of exact labels resolved from a precision target (the model card).
    pub label_thresholds: BTreeMap<String, f32>,
    /// The precision target they were resolved for (`threshold: { precision: P }`), for reports.
    pub precision: Option<f32>,
    /// Label patterns (`*` matches any run, e.g. `"Billing*"`) to native values;
    /// the first match wins; a label no pattern matches is used as it is.
    pub mapping: Vec<(String, String)>,
    /// Below the threshold.
    pub fallback: Fallback,
}

impl StepPolicy {
    /// Label used verbatim, `threshold`, leave unchanged below it.
    pub fn new(field: Field, threshold: f32) -> Self {
        Self {
            field,
            threshold,
            thresholds: Vec::new(),
            label_thresholds: BTreeMap::new(),
            precision: None,
            mapping: Vec::new(),
            fallback: Fallback::LeaveUnchanged,
        }
    }

    /// The native value for a label.
    pub fn native_value(&self, label: &str) -> String {
        self.mapping
            .iter()
            .find(|(pattern, _)| glob_match(pattern, label))
            .map_or_else(|| label.to_owned(), |(_, native)| native.clone())
    }

    /// The confidence a label needs.
    pub fn threshold_for(&self, label: &str) -> f32 {
        self.thresholds
            .iter()
            .find(|(pattern, _)| glob_match(pattern, label))
            .map(|(_, threshold)| *threshold)
            .or_else(|| self.label_thresholds.get(label).copied())
            .unwrap_or(self.threshold)
    }

    /// Decide for one prediction.
    pub fn decide(&self, label: &str, confidence: f32) -> Verdict {
        let action = if confidence >= self.threshold_for(label) {
            Action::Set(self.native_value(label))
        } else {
            match &self.fallback {
                Fallback::LeaveUnchanged => Action::Leave,
                Fallback::Set(value) => Action::Fallback(value.clone()),
            }
        };
        Verdict {
            field: self.field,
            label: label.to_owned(),
            confidence,
            action,
        }
    }
}

/// What a step decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Set the field to this native value.
    Set(String),
    /// Not confident: set the fallback value.
    Fallback(String),
    /// Not confident: leave the field.
    Leave,
}

/// One step's decision for one ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The field.
    pub field: Field,
    /// The model's label.
    pub label: String,
    /// The model's confidence.
    pub confidence: f32,
    /// What to do.
    pub action: Action,
}

impl Verdict {
    /// The native value written, if any.
    pub fn value(&self) -> Option<&str> {
        match &self.action {
            Action::Set(v) | Action::Fallback(v) => Some(v),
            Action::Leave => None,
        }
    }
}

/// The patch that carries out the verdicts; `tag` is added when anything is set.
pub fn patch_for(verdicts: &[Verdict], tag: Option<&str>) -> TicketPatch {
    let mut patch = TicketPatch::default();
    for verdict in verdicts {
        let Some(value) = verdict.value() else {
            continue;
        };
        let target = Some(EntityRef::named(value));
        match verdict.field {
            Field::Queue => patch.queue = target,
            Field::Priority => patch.priority = target,
        }
    }
    if let Some(tag) = tag
        && !patch.is_empty()
    {
        patch.tags = Some(TagOp::Add(vec![tag.to_owned()]));
    }
    patch
}

/// The default note: one line per verdict.
pub const DEFAULT_NOTE: &str = "Classified by triage.\n{summary}";

/// An internal-note template. Placeholders: `{summary}` (one line per
/// field), and per field (`queue`, `priority`): `{queue.label}`,
/// `{queue.confidence}` (a percentage), `{queue.value}` (what was written, or
/// "unchanged"). Checked when the config is read, so a typo fails `triage check`
/// rather than a note at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteTemplate(String);

impl NoteTemplate {
    /// Parse, refusing unknown placeholders and unbalanced braces.
    pub fn parse(text: &str) -> Result<Self, String> {
        for piece in placeholders(text)? {
            let known = piece == "summary"
                || piece.split_once('.').is_some_and(|(field, what)| {
                    matches!(field, "queue" | "priority")
                        && matches!(what, "label" | "confidence" | "value")
                });
            if !known {
                return Err(format!(
                    "unknown placeholder {{{piece}}}; known: {{summary}}, {{queue.label}}, \
                     {{queue.confidence}}, {{queue.value}} and the same for priority"
                ));
            }
        }
        Ok(Self(text.to_owned()))
    }

    /// The note for these verdicts.
    pub fn render(&self, verdicts: &[Verdict]) -> Note {
        let mut body = self.0.replace("{summary}", &summary(verdicts));
        for field in [Field::Queue, Field::Priority] {
            let verdict = verdicts.iter().find(|v| v.field == field);
            let name = field.as_str();
            let label = verdict.map_or("", |v| v.label.as_str());
            let confidence =
                verdict.map_or(String::new(), |v| format!("{:.0}%", v.confidence * 100.0));
            let value = verdict.and_then(Verdict::value).unwrap_or("unchanged");
            body = body
                .replace(&format!("{{{name}.label}}"), label)
                .replace(&format!("{{{name}.confidence}}"), &confidence)
                .replace(&format!("{{{name}.value}}"), value);
        }
        Note {
            subject: Some("triage".into()),
            body,
            html: false,
        }
    }
}

impl Default for NoteTemplate {
    fn default() -> Self {
        Self(DEFAULT_NOTE.to_owned())
    }
}

fn placeholders(text: &str) -> Result<Vec<&str>, String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| "a '{' is never closed".to_owned())?;
        found.push(&after[..close]);
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err("a '}' has no matching '{'".into());
    }
    Ok(found)
}

fn summary(verdicts: &[Verdict]) -> String {
    let lines: Vec<String> = verdicts
        .iter()
        .map(|v| {
            let what = match &v.action {
                Action::Set(value) => format!("set to {value}"),
                Action::Fallback(value) => format!("low confidence, set to {value}"),
                Action::Leave => "low confidence, left unchanged".to_owned(),
            };
            format!(
                "{}: {} ({:.0}% confident), {what}",
                v.field.as_str(),
                v.label,
                v.confidence * 100.0
            )
        })
        .collect();
    lines.join("\n")
}

/// The default note for these verdicts.
pub fn note_for(verdicts: &[Verdict]) -> Note {
    NoteTemplate::default().render(verdicts)
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let Some((head, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(head) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('*').collect();
    let (last, middle) = parts.split_last().expect("split yields one part at least");
    for part in middle {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("Science/*", "Science/Physics"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(!glob_match("ab*ab", "ab"));
        assert!(glob_match("IT Support", "IT Support"));
        assert!(!glob_match("IT", "IT Support"));
    }

    #[test]
    fn confident_labels_are_mapped_first_match_wins() {
        let mut p = StepPolicy::new(Field::Queue, 0.6);
        p.mapping = vec![
            ("Billing*".into(), "Finance".into()),
            ("*".into(), "Helpdesk".into()),
        ];
        assert_eq!(
            p.decide("Billing and Payments", 0.9).action,
            Action::Set("Finance".into())
        );
        assert_eq!(
            p.decide("IT Support", 0.9).action,
            Action::Set("Helpdesk".into())
        );
    }

    #[test]
    fn per_label_thresholds_override_the_default() {
        let mut p = StepPolicy::new(Field::Queue, 0.5);
        p.thresholds = vec![("Billing*".into(), 0.9)];
        assert_eq!(p.decide("Billing and Payments", 0.8).action, Action::Leave);
        assert_eq!(
            p.decide("IT Support", 0.8).action,
            Action::Set("IT Support".into())
        );
    }

    #[test]
    fn written_patterns_then_resolved_labels_then_never() {
        let mut p = StepPolicy::new(Field::Queue, f32::INFINITY);
        p.label_thresholds = [("Billing*".to_owned(), 0.7), ("IT".to_owned(), 0.4)].into();
        p.thresholds = vec![("IT*".into(), 0.95)];
        // Exact label, not a pattern: "Billing and Payments" is not "Billing*".
        assert_eq!(p.threshold_for("Billing*"), 0.7);
        assert_eq!(p.threshold_for("Billing and Payments"), f32::INFINITY);
        // A pattern written in the file wins over the resolved threshold.
        assert_eq!(p.threshold_for("IT"), 0.95);
        assert_eq!(p.decide("Sales", 1.0).action, Action::Leave);
    }

    #[test]
    fn low_confidence_goes_to_the_fallback() {
        let mut p = StepPolicy::new(Field::Queue, 0.6);
        assert_eq!(p.decide("IT Support", 0.59).action, Action::Leave);
        p.fallback = Fallback::Set("Unclassified".into());
        assert_eq!(
            p.decide("IT Support", 0.2).action,
            Action::Fallback("Unclassified".into())
        );
    }

    #[test]
    fn patch_sets_fields_and_tags_only_when_something_changes() {
        let q = StepPolicy::new(Field::Queue, 0.5).decide("IT Support", 0.8);
        let p = StepPolicy::new(Field::Priority, 0.5).decide("high", 0.1);
        let patch = patch_for(&[q.clone(), p.clone()], Some("triaged"));
        assert_eq!(patch.queue, Some(EntityRef::named("IT Support")));
        assert_eq!(patch.priority, None);
        assert_eq!(patch.tags, Some(TagOp::Add(vec!["triaged".into()])));
        assert!(patch_for(&[p], Some("triaged")).is_empty());
        assert!(note_for(&[q]).body.contains("IT Support (80% confident)"));
    }

    #[test]
    fn note_templates_fill_placeholders_and_refuse_unknown_ones() {
        let q = StepPolicy::new(Field::Queue, 0.5).decide("IT Support", 0.8);
        let t = NoteTemplate::parse(
            "Queue {queue.label} at {queue.confidence} -> {queue.value}; prio {priority.value}",
        )
        .unwrap();
        assert_eq!(
            t.render(&[q]).body,
            "Queue IT Support at 80% -> IT Support; prio unchanged"
        );
        assert!(
            NoteTemplate::parse("{queue.labl}")
                .unwrap_err()
                .contains("{queue.labl}")
        );
        assert!(NoteTemplate::parse("{summary").is_err());
    }
}
