//! Labelled history through a pipeline's own connection: `triage train --config F
//! --pipeline P` and `triage evaluate --config F --pipeline P`.
//!
//! The pipeline's `train:` query (finished tickets of the last year unless written
//! otherwise) is paged like any pass, through the adapter's read-only door: reading
//! history can never write. Labels are the system's own values (queue and priority
//! names), so a model trained on them needs no `mapping`.
//!
//! What the state store knows decides each ticket's part, per field:
//! - triage wrote the current value (live) and no agent changed it: **left out** — the
//!   model would learn its own guesses;
//! - triage wrote a value and the ticket now shows another (a correction, recorded or
//!   not yet noticed by a pass): **included with [`CORRECTION_WEIGHT`]**;
//! - anything else (never written, or only a dry run's value): included, weight 1.
//!
//! A ticket whose status is not among the asked ones is skipped, so an adapter that
//! cannot filter by status does not feed open, unrouted tickets into training.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use triage_config::{Config, PipelineConfig};
use triage_core::{Ticket, TicketAdapter, TicketQuery};
use triage_host::{Sandbox, SandboxConfig};
use triage_state::{SqliteStore, StateStore, TicketKey, WrittenValue};

use super::{Field, Labelled};

/// How much more a ticket an agent corrected counts than an ordinary one: it is
/// exactly where the model went wrong, and a human said what is right.
pub const CORRECTION_WEIGHT: f32 = 3.0;

/// What reading the history found, before labels are taken from it.
pub struct History {
    /// Tickets in the asked statuses, oldest first where times are known.
    pub tickets: Vec<Ticket>,
    /// Written values per ticket (same order), empty where triage never wrote.
    pub written: Vec<Vec<WrittenValue>>,
    /// Tickets the adapter returned in other statuses (skipped).
    pub other_status: usize,
    /// The system's queue names now (`list-queues`).
    pub queues: Vec<String>,
    /// The system's priority names now (`list-priorities`).
    pub priorities: Vec<String>,
}

/// Reads `pipeline`'s labelled history; `since` (a CLI `--since`) overrides `train.since`.
pub async fn read(config: &Config, pipeline: &str, since: Option<&str>) -> anyhow::Result<History> {
    let p = pipeline_config(config, pipeline)?;
    let mut query = p.train.query.clone();
    if let Some(since) = since {
        let window =
            triage_config::parse_duration(since).map_err(|e| anyhow::anyhow!("--since: {e}"))?;
        query.updated_since = Some(chrono::Utc::now() - chrono::Duration::from_std(window)?);
    }
    let sandbox = Sandbox::new(SandboxConfig::from_env())?;
    let adapter = triage_config::connect(config, &p.connection, &sandbox).await?;
    let adapter: Arc<dyn TicketAdapter> = match adapter.read_only() {
        Some(read_only) => read_only,
        None => bail!(
            "connection {:?}: its adapter has no read-only mode",
            p.connection
        ),
    };
    let names = |refs: Vec<triage_core::EntityRef>| -> Vec<String> {
        refs.into_iter().filter_map(|r| r.name).collect()
    };
    let listing = |what: &str| format!("connection {:?}: listing {what}", p.connection);
    let queues = names(
        adapter
            .list_queues()
            .await
            .with_context(|| listing("queues"))?,
    );
    let priorities = names(
        adapter
            .list_priorities()
            .await
            .with_context(|| listing("priorities"))?,
    );
    let found = page_through(adapter.as_ref(), &query, &p.connection).await?;
    let total = found.len();
    let mut tickets: Vec<Ticket> = found
        .into_iter()
        .filter(|t| {
            query.statuses.is_empty()
                || t.status_category
                    .is_some_and(|s| query.statuses.contains(&s))
        })
        .collect();
    let other_status = total - tickets.len();
    if tickets.is_empty() {
        let statuses: Vec<String> = query
            .statuses
            .iter()
            .map(|s| format!("{s:?}").to_lowercase())
            .collect();
        let statuses = statuses.join(" or ");
        let window = query.updated_since.map_or("any time".into(), |t| {
            format!("since {}", t.format("%Y-%m-%d"))
        });
        if total > 0 {
            bail!(
                "pipeline {pipeline:?}: connection {:?} returned {total} tickets updated {window}, none of them {statuses}: its adapter may not be able to list finished tickets; nothing written",
                p.connection,
            );
        }
        bail!(
            "pipeline {pipeline:?}: connection {:?} has no tickets that are {statuses} and were updated {window} (pipelines.{pipeline}.train); nothing to learn from, nothing written",
            p.connection,
        );
    }
    tickets.sort_by_key(|t| time_of(t).unwrap_or(i64::MAX));
    let written = written_values(&config.state.path, pipeline, &p.connection, &tickets).await?;
    Ok(History {
        tickets,
        written,
        other_status,
        queues,
        priorities,
    })
}

/// The pipeline, or an error listing the defined ones.
pub fn pipeline_config<'c>(config: &'c Config, name: &str) -> anyhow::Result<&'c PipelineConfig> {
    config.pipelines.get(name).with_context(|| {
        let names: Vec<&str> = config.pipelines.keys().map(String::as_str).collect();
        format!(
            "{}: no pipeline named {name:?} (defined: {})",
            config.path.display(),
            names.join(", ")
        )
    })
}

async fn page_through(
    adapter: &dyn TicketAdapter,
    query: &TicketQuery,
    connection: &str,
) -> anyhow::Result<Vec<Ticket>> {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(ProgressStyle::with_template(
        "{spinner} reading history: {pos} tickets {msg}",
    )?);
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = adapter
            .find_tickets(query, cursor)
            .await
            .with_context(|| format!("connection {connection:?}: listing history"))?;
        out.extend(page.tickets);
        bar.set_position(out.len() as u64);
        if let Some(total) = page.total {
            bar.set_message(format!("of {total}"));
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    bar.finish_and_clear();
    Ok(out)
}

/// What triage wrote into each ticket; nothing when there is no state file yet.
async fn written_values(
    state: &Path,
    pipeline: &str,
    connection: &str,
    tickets: &[Ticket],
) -> anyhow::Result<Vec<Vec<WrittenValue>>> {
    if !state.exists() {
        return Ok(vec![Vec::new(); tickets.len()]);
    }
    let store = SqliteStore::open(state)?;
    let mut out = Vec::with_capacity(tickets.len());
    for t in tickets {
        let key = TicketKey {
            pipeline: pipeline.to_owned(),
            connection: connection.to_owned(),
            ticket_id: t.id.clone(),
        };
        out.push(store.written(&key).await?);
    }
    Ok(out)
}

fn time_of(t: &Ticket) -> Option<i64> {
    t.created_at.or(t.updated_at).map(|at| at.timestamp())
}

/// How many tickets of a field were left out or up-weighted because of what triage wrote.
#[derive(Debug, Default)]
pub struct Provenance {
    /// Current value written by triage, never changed by an agent.
    pub own_writes: usize,
    /// Values an agent set over triage's.
    pub corrected: usize,
    /// No value in this field.
    pub unlabelled: usize,
}

impl History {
    /// Labelled examples of `field`, weighted as the module docs say.
    pub fn labelled(&self, field: Field) -> (Vec<Labelled>, Provenance) {
        let mut prov = Provenance::default();
        let mut out = Vec::new();
        // Validation takes the newest; without a time on every ticket, list order decides.
        let all_timed = self.tickets.iter().all(|t| time_of(t).is_some());
        for (i, (t, written)) in self.tickets.iter().zip(&self.written).enumerate() {
            // The same reading of a ticket's field as the pass's corrections use.
            let current = triage_pipeline::corrections::current_value(t, field.name()).flatten();
            let Some(label) = current else {
                prov.unlabelled += 1;
                continue;
            };
            let live = written
                .iter()
                .find(|w| w.field == field.name() && !w.shadow);
            let weight = match live {
                Some(w) if w.value.eq_ignore_ascii_case(&label) && !w.corrected => {
                    prov.own_writes += 1;
                    continue;
                }
                Some(_) => {
                    prov.corrected += 1;
                    CORRECTION_WEIGHT
                }
                None => 1.0,
            };
            out.push(Labelled {
                subject: t.subject.clone(),
                body: t.body_text.clone(),
                html: t.body_html.clone(),
                label,
                time: if all_timed {
                    time_of(t).unwrap_or_default()
                } else {
                    i as i64
                },
                weight,
            });
        }
        (out, prov)
    }
}

impl History {
    /// [`History::labelled`], reported, without labels the system no longer has (a
    /// deleted or renamed queue cannot be written). Errors when none of the labels is one
    /// of the system's values: the history and the system do not match.
    pub fn labelled_for_training(&self, field: Field) -> anyhow::Result<Vec<Labelled>> {
        let (rows, prov) = self.labelled(field);
        let known = match field {
            Field::Queue => &self.queues,
            Field::Priority => &self.priorities,
        };
        let (kept, unknown): (Vec<Labelled>, Vec<Labelled>) = rows
            .into_iter()
            .partition(|r| known.iter().any(|k| k.eq_ignore_ascii_case(&r.label)));
        eprintln!(
            "{}: {} labelled tickets; left out: {} whose value triage wrote and no agent changed, {} without a value; {} corrected by agents count {CORRECTION_WEIGHT}×",
            field.name(),
            kept.len() + unknown.len(),
            prov.own_writes,
            prov.unlabelled,
            prov.corrected,
        );
        if !unknown.is_empty() {
            let mut labels: Vec<&str> = unknown.iter().map(|r| r.label.as_str()).collect();
            labels.sort_unstable();
            labels.dedup();
            eprintln!(
                "{}: left out {} tickets with values the system no longer lists: {}",
                field.name(),
                unknown.len(),
                labels.join(", ")
            );
            if kept.is_empty() {
                bail!(
                    "none of the history's {} values ({}) is one of the system's ({}); nothing written",
                    field.name(),
                    labels.join(", "),
                    known.join(", ")
                );
            }
        }
        Ok(kept)
    }
}
