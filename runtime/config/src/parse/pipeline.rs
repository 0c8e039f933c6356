//! `pipelines.NAME`: source, schedule, steps (threshold, per-label thresholds,
//! mapping, fallback), what to write, dry run.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use triage_core::{EntityRef, StatusCategory, TicketQuery};
use triage_pipeline::decide::{Fallback, Field, NoteTemplate, StepPolicy};

use crate::model::{PipelineConfig, Since, StepConfig, TrainSource};
use crate::read::{Ctx, Val, parse_duration};

/// Default schedule.
const EVERY: Duration = Duration::from_secs(60);
/// Default tickets per model call.
const BATCH: usize = 32;
/// Default confidence needed to act.
const THRESHOLD: f32 = 0.5;
/// Default window of labelled history `triage train` reads.
const TRAIN_SINCE: Duration = Duration::from_secs(365 * 86_400);

/// The names written under `models` and `connections`.
pub(super) struct Names<'n> {
    pub models: &'n BTreeSet<String>,
    pub connections: &'n BTreeSet<String>,
}

pub(super) fn pipeline(
    cx: &mut Ctx<'_>,
    name: &str,
    v: &Val<'_>,
    names: &Names<'_>,
) -> Option<PipelineConfig> {
    let mut o = cx.obj(v)?;
    let connection = o.need(cx, "connection");
    let source = o.get(cx, "source");
    let schedule = o.get(cx, "schedule");
    let steps = o.need(cx, "steps");
    let write = o.get(cx, "write");
    let dry_run = o.get(cx, "dry_run");
    let batch = o.get(cx, "batch");
    let train = o.get(cx, "train");
    o.finish(cx);

    let connection = connection.and_then(|c| reference(cx, &c, "connection", names.connections));
    let source = source.map_or(Some((TicketQuery::default(), None)), |s| {
        self::source(cx, &s)
    });
    let every = match schedule {
        Some(s) => self::schedule(cx, &s),
        None => Some(EVERY),
    };
    let steps = steps.and_then(|s| self::steps(cx, &s, names.models));
    let write = match write {
        Some(w) => self::write(cx, &w),
        None => Some(Write::default()),
    };
    let dry_run = dry_run.map_or(Some(false), |d| cx.bool(&d));
    let batch = batch.map_or(Some(BATCH), |b| cx.number(&b, 1usize));
    let train = match train {
        Some(t) => self::train(cx, &t),
        None => Some(self::train_defaults(TicketQuery::default(), None)),
    };
    let (write, (query, since)) = (write?, source?);
    Some(PipelineConfig {
        name: name.to_owned(),
        connection: connection?,
        query,
        since,
        every: every?,
        steps: steps?,
        write_fields: write.fields,
        tag: write.tag,
        note: write.note,
        dry_run: dry_run?,
        batch: batch?,
        train: train?,
    })
}

/// `train:` has `source:`'s keys; what differs is the defaults.
fn train(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<TrainSource> {
    source(cx, v).map(|(query, since)| train_defaults(query, since))
}

/// Finished tickets (resolved, closed) of the last year unless written otherwise.
fn train_defaults(mut query: TicketQuery, since: Option<Since>) -> TrainSource {
    if query.statuses.is_empty() {
        query.statuses = vec![StatusCategory::Resolved, StatusCategory::Closed];
    }
    let since = since.unwrap_or(Since::Within(TRAIN_SINCE));
    query.updated_since = Some(since.resolve(Utc::now()));
    TrainSource { query, since }
}

/// A name that must be a key of another section.
fn reference(
    cx: &mut Ctx<'_>,
    v: &Val<'_>,
    what: &str,
    known: &BTreeSet<String>,
) -> Option<String> {
    let name = cx.name(v)?;
    if known.contains(&name) {
        return Some(name);
    }
    let list = if known.is_empty() {
        "none are defined".to_owned()
    } else {
        format!(
            "defined: {}",
            known.iter().cloned().collect::<Vec<_>>().join(", ")
        )
    };
    cx.bad(v, format!("no {what} named {name:?} ({list})"));
    None
}

fn source(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<(TicketQuery, Option<Since>)> {
    let mut o = cx.obj(v)?;
    let queues = o.get(cx, "queues");
    let statuses = o.get(cx, "statuses");
    let since = o.get(cx, "since");
    let page_size = o.get(cx, "page_size");
    let native = o.get(cx, "native");
    o.finish(cx);

    let mut query = TicketQuery::default();
    let mut ok = true;
    if let Some(q) = queues {
        match cx.list(&q) {
            Some(items) => {
                for item in items {
                    match cx.name(&item) {
                        Some(n) => query.queues.push(EntityRef::named(n)),
                        None => ok = false,
                    }
                }
            }
            None => ok = false,
        }
    }
    if let Some(s) = statuses {
        match cx.list(&s) {
            Some(items) => {
                for item in items {
                    match status(cx, &item) {
                        Some(s) => query.statuses.push(s),
                        None => ok = false,
                    }
                }
            }
            None => ok = false,
        }
    }
    let since = match since {
        Some(s) => match self::since(cx, &s) {
            Some(since) => Some(since),
            None => {
                ok = false;
                None
            }
        },
        None => None,
    };
    query.updated_since = since.map(|s| s.resolve(Utc::now()));
    if let Some(p) = page_size {
        ok &= cx.number(&p, 1u32).map(|n| query.page_size = n).is_some();
    }
    if let Some(n) = native {
        ok &= cx.text(&n).map(|n| query.native = Some(n)).is_some();
    }
    ok.then_some((query, since))
}

fn status(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<StatusCategory> {
    let text = cx.text(v)?;
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "new" => StatusCategory::New,
        "open" => StatusCategory::Open,
        "pending" => StatusCategory::Pending,
        "resolved" => StatusCategory::Resolved,
        "closed" => StatusCategory::Closed,
        "other" => StatusCategory::Other,
        _ => {
            cx.bad(
                v,
                format!("unknown status {text:?}; expected new, open, pending, resolved, closed or other"),
            );
            return None;
        }
    })
}

/// `2026-01-01T00:00:00Z`, `2026-01-01` (midnight UTC) or a window like `7d`.
fn since(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<Since> {
    let text = cx.text(v)?;
    let text = text.trim();
    if let Ok(d) = parse_duration(text) {
        return Some(Since::Within(d));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(Since::At(at.with_timezone(&Utc)));
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        return Some(Since::At(midnight.and_utc()));
    }
    cx.bad(
        v,
        format!(
            "{text:?} is neither a time (2026-01-01T00:00:00Z, 2026-01-01) nor a window back from now (7d, 12h)"
        ),
    );
    None
}

fn schedule(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<Duration> {
    let mut o = cx.obj(v)?;
    let every = o.get(cx, "every");
    o.finish(cx);
    every.map_or(Some(EVERY), |e| cx.duration(&e))
}

fn steps(cx: &mut Ctx<'_>, v: &Val<'_>, models: &BTreeSet<String>) -> Option<Vec<StepConfig>> {
    let items = cx.list(v)?;
    if items.is_empty() {
        cx.bad(v, "a pipeline needs at least one step");
        return None;
    }
    let mut ok = true;
    let mut steps: Vec<StepConfig> = Vec::new();
    for item in items {
        let Some(step) = step(cx, &item, models) else {
            ok = false;
            continue;
        };
        if steps.iter().any(|s| s.policy.field == step.policy.field) {
            let at = cx.index.get(&format!("{}.field", item.path)).copied();
            cx.error(
                at.unwrap_or(item.at),
                &format!("{}.field", item.path),
                format!(
                    "a second step for {}; one step per field",
                    step.policy.field.as_str()
                ),
            );
            ok = false;
            continue;
        }
        steps.push(step);
    }
    ok.then_some(steps)
}

fn step(cx: &mut Ctx<'_>, v: &Val<'_>, models: &BTreeSet<String>) -> Option<StepConfig> {
    let mut o = cx.obj(v)?;
    let field = o.need(cx, "field");
    let model = o.need(cx, "model");
    let threshold = o.get(cx, "threshold");
    let thresholds = o.get(cx, "thresholds");
    let mapping = o.get(cx, "mapping");
    let fallback = o.get(cx, "fallback");
    o.finish(cx);

    let field = field.and_then(|f| match cx.text(&f)?.as_str() {
        "queue" => Some(Field::Queue),
        "priority" => Some(Field::Priority),
        other => {
            cx.bad(
                &f,
                format!("unknown field {other:?}; expected queue or priority"),
            );
            None
        }
    });
    let model = model.and_then(|m| reference(cx, &m, "model", models));
    let threshold = threshold.map_or(Some((THRESHOLD, None)), |t| self::threshold(cx, &t));
    let thresholds = thresholds.map_or(Some(Vec::new()), |t| {
        let pairs: Vec<_> = cx
            .named(&t)
            .into_iter()
            .map(|(label, v)| cx.fraction(&v).map(|x| (label, x)))
            .collect();
        pairs.into_iter().collect::<Option<Vec<_>>>()
    });
    // Kept in file order: the first pattern that matches wins.
    let mapping = mapping.map_or(Some(Vec::new()), |m| {
        let pairs: Vec<_> = cx
            .named(&m)
            .into_iter()
            .map(|(label, v)| cx.name(&v).map(|native| (label, native)))
            .collect();
        pairs.into_iter().collect::<Option<Vec<_>>>()
    });
    let fallback = fallback.map_or(Some(Fallback::LeaveUnchanged), |f| self::fallback(cx, &f));
    let threshold = threshold?;
    Some(StepConfig {
        model: model?,
        policy: StepPolicy {
            field: field?,
            threshold: threshold.0,
            thresholds: thresholds?,
            // Filled from the model card once every model is known (`super::precision`).
            label_thresholds: Default::default(),
            precision: threshold.1,
            mapping: mapping?,
            fallback: fallback?,
        },
    })
}

/// A confidence, or `{ precision: P }` with P in (0, 1]: (default threshold, target). Under a
/// target the default is never reached; labels get theirs from the card.
fn threshold(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<(f32, Option<f32>)> {
    if !matches!(v.node, crate::yaml::Node::Map(_)) {
        return cx.fraction(v).map(|t| (t, None));
    }
    let mut o = cx.obj(v)?;
    let target = o.need(cx, "precision");
    o.finish(cx);
    let target = target?;
    let parsed = match target.node {
        crate::yaml::Node::Scalar { text, .. } => text.trim().parse::<f32>().ok(),
        _ => None,
    };
    match parsed {
        Some(p) if p > 0.0 && p <= 1.0 => Some((f32::INFINITY, Some(p))),
        _ => {
            cx.bad(
                &target,
                "expected a precision target above 0 and at most 1 (e.g. 0.9)",
            );
            None
        }
    }
}

/// `leave` or `{ set: VALUE }`.
fn fallback(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<Fallback> {
    if matches!(v.node, crate::yaml::Node::Map(_)) {
        let mut o = cx.obj(v)?;
        let set = o.need(cx, "set");
        o.finish(cx);
        return Some(Fallback::Set(cx.name(&set?)?));
    }
    match cx.text(v)?.as_str() {
        "leave" => Some(Fallback::LeaveUnchanged),
        other => {
            cx.bad(
                v,
                format!("unknown fallback {other:?}; expected leave or {{ set: VALUE }}"),
            );
            None
        }
    }
}

struct Write {
    fields: bool,
    tag: Option<String>,
    note: Option<NoteTemplate>,
}

impl Default for Write {
    fn default() -> Self {
        Self {
            fields: true,
            tag: None,
            note: None,
        }
    }
}

/// `write: { fields: BOOL, tag: TEXT, note: BOOL | { template: TEXT } }`.
fn write(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<Write> {
    let mut o = cx.obj(v)?;
    let fields = o.get(cx, "fields");
    let tag = o.get(cx, "tag");
    let note = o.get(cx, "note");
    o.finish(cx);
    let fields = fields.map_or(Some(true), |f| cx.bool(&f));
    let tag = tag.map_or(Some(None), |t| cx.name(&t).map(Some));
    let note = note.map_or(Some(None), |n| self::note(cx, &n));
    Some(Write {
        fields: fields?,
        tag: tag?,
        note: note?,
    })
}

fn note(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<Option<NoteTemplate>> {
    if !matches!(v.node, crate::yaml::Node::Map(_)) {
        return cx.bool(v).map(|on| on.then(NoteTemplate::default));
    }
    let mut o = cx.obj(v)?;
    let template = o.need(cx, "template");
    o.finish(cx);
    let template = template?;
    let text = cx.text(&template)?;
    match NoteTemplate::parse(&text) {
        Ok(t) => Some(Some(t)),
        Err(e) => {
            cx.bad(&template, e);
            None
        }
    }
}
