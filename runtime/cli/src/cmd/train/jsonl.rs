//! Labelled tickets from a JSON-lines file (`--jsonl`).
//!
//! Lines: `{"id"?, "subject", "body", "html"?: true|"<html>", "queue"?, "priority"?,
//! "created_at"?}` or `{"text", …}`. Tickets are ordered by `created_at` (RFC 3339) when
//! every line has one, else by line order.

use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;
use serde_json::Value;

use super::{Field, Labelled};

#[derive(Deserialize)]
struct Line {
    text: Option<String>,
    #[serde(default)]
    subject: String,
    body: Option<String>,
    html: Option<Value>,
    queue: Option<String>,
    priority: Option<String>,
    created_at: Option<String>,
}

pub fn read(path: &Path, field: Field) -> anyhow::Result<Vec<Labelled>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    let mut all_timed = true;
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let at = || format!("{}:{}", path.display(), i + 1);
        let l: Line = serde_json::from_str(raw).with_context(at)?;
        let label = match field {
            Field::Queue => l.queue,
            Field::Priority => l.priority,
        }
        .with_context(|| format!("{}: no `{}`", at(), field.name()))?;
        let time = match l
            .created_at
            .as_deref()
            .map(chrono::DateTime::parse_from_rfc3339)
        {
            Some(Ok(t)) => t.timestamp(),
            Some(Err(e)) => bail!("{}: `created_at`: {e}", at()),
            None => {
                all_timed = false;
                i as i64
            }
        };
        let (subject, body, html) = match (l.text, l.html) {
            (Some(t), _) => (t, None, None),
            (None, Some(Value::Bool(true))) => (l.subject, None, l.body),
            (None, Some(Value::String(h))) => (l.subject, l.body, Some(h)),
            (None, _) => (l.subject, l.body, None),
        };
        out.push(Labelled {
            subject,
            body,
            html,
            label,
            time,
            weight: 1.0,
        });
    }
    if !all_timed {
        // Mixed: fall back to line order for every ticket.
        for (i, l) in out.iter_mut().enumerate() {
            l.time = i as i64;
        }
    }
    Ok(out)
}
