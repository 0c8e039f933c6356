//! The store's operations as blocking functions on one connection.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::{DecisionRecord, FieldWrite, HistoryQuery, Outcome, TicketKey, Verdict, Watermark};

const DECISION_COLUMNS: &str = "d.id, d.pipeline, d.connection, d.ticket_id, d.fingerprint, \
     d.version_seen, d.version_after, d.action, d.outcome, d.error, d.attempts, d.decided_at";

const LATEST_JOIN: &str = "latest l JOIN decisions d ON d.id = l.decision_id";

/// Fixed-width RFC 3339 (nanoseconds, `Z`), so text order is time order.
pub(super) fn time_to_sql(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

pub(super) fn time_from_row(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

fn outcome_from_row(row: &Row<'_>, idx: usize) -> rusqlite::Result<Outcome> {
    let text: String = row.get(idx)?;
    text.parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// A decision row (columns as in `DECISION_COLUMNS`) with its id; verdicts still empty.
fn decision_from_row(row: &Row<'_>) -> rusqlite::Result<(i64, DecisionRecord)> {
    Ok((
        row.get(0)?,
        DecisionRecord {
            key: TicketKey {
                pipeline: row.get(1)?,
                connection: row.get(2)?,
                ticket_id: row.get(3)?,
            },
            fingerprint: row.get(4)?,
            version_seen: row.get(5)?,
            version_after: row.get(6)?,
            verdicts: Vec::new(),
            action: row.get(7)?,
            outcome: outcome_from_row(row, 8)?,
            error: row.get(9)?,
            attempts: row.get(10)?,
            decided_at: time_from_row(row, 11)?,
        },
    ))
}

/// Runs a decision query and fills in each record's verdicts.
fn decisions(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<Vec<DecisionRecord>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map(params, decision_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut verdicts = conn.prepare_cached(
        "SELECT field, model, model_version, label, confidence, value \
         FROM verdicts WHERE decision_id = ?1 ORDER BY position",
    )?;
    rows.into_iter()
        .map(|(id, mut record)| {
            record.verdicts = verdicts
                .query_map([id], |r| {
                    Ok(Verdict {
                        field: r.get(0)?,
                        model: r.get(1)?,
                        model_version: r.get(2)?,
                        label: r.get(3)?,
                        // Stored as REAL (f64); every f32 round-trips through it exactly.
                        confidence: r.get::<_, f64>(4)? as f32,
                        value: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(record)
        })
        .collect()
}

pub(super) fn latest(
    conn: &Connection,
    key: &TicketKey,
) -> rusqlite::Result<Option<DecisionRecord>> {
    let sql = format!(
        "SELECT {DECISION_COLUMNS} FROM {LATEST_JOIN} \
         WHERE l.pipeline = ?1 AND l.connection = ?2 AND l.ticket_id = ?3"
    );
    Ok(decisions(
        conn,
        &sql,
        params![key.pipeline, key.connection, key.ticket_id],
    )?
    .pop())
}

pub(super) fn begin(
    conn: &mut Connection,
    record: &DecisionRecord,
    writes: &[FieldWrite],
) -> rusqlite::Result<()> {
    let key = &record.key;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let previous: Option<(String, u32)> = tx
        .prepare_cached(
            "SELECT d.fingerprint, d.attempts FROM latest l JOIN decisions d ON d.id = l.decision_id \
             WHERE l.pipeline = ?1 AND l.connection = ?2 AND l.ticket_id = ?3",
        )?
        .query_row(params![key.pipeline, key.connection, key.ticket_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    // A retry of the same text counts on; a new text is a new decision.
    let attempts = match previous {
        Some((fingerprint, n)) if fingerprint == record.fingerprint => n.saturating_add(1),
        _ => 1,
    };
    tx.prepare_cached(
        "INSERT INTO decisions (pipeline, connection, ticket_id, fingerprint, version_seen, \
         version_after, action, outcome, error, attempts, decided_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        key.pipeline,
        key.connection,
        key.ticket_id,
        record.fingerprint,
        record.version_seen,
        record.version_after,
        record.action,
        record.outcome.as_str(),
        record.error,
        attempts,
        time_to_sql(&record.decided_at),
    ])?;
    let id = tx.last_insert_rowid();
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO verdicts (decision_id, position, field, model, model_version, label, \
             confidence, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (position, v) in record.verdicts.iter().enumerate() {
            insert.execute(params![
                id,
                position as i64,
                v.field,
                v.model,
                v.model_version,
                v.label,
                f64::from(v.confidence),
                v.value,
            ])?;
        }
    }
    super::corrections::insert_writes(&tx, id, key, &time_to_sql(&record.decided_at), writes)?;
    tx.prepare_cached(
        "INSERT INTO latest (pipeline, connection, ticket_id, decision_id) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (pipeline, connection, ticket_id) DO UPDATE SET decision_id = excluded.decision_id",
    )?
    .execute(params![key.pipeline, key.connection, key.ticket_id, id])?;
    tx.commit()
}

/// Returns whether the key had a decision to finish.
pub(super) fn finish(
    conn: &Connection,
    key: &TicketKey,
    outcome: Outcome,
    version_after: Option<&str>,
    error: Option<&str>,
) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE decisions SET outcome = ?4, version_after = ?5, error = ?6 \
             WHERE id = (SELECT decision_id FROM latest \
                         WHERE pipeline = ?1 AND connection = ?2 AND ticket_id = ?3)",
        )?
        .execute(params![
            key.pipeline,
            key.connection,
            key.ticket_id,
            outcome.as_str(),
            version_after,
            error,
        ])?;
    Ok(changed > 0)
}

pub(super) fn pending(conn: &Connection, pipeline: &str) -> rusqlite::Result<Vec<DecisionRecord>> {
    let sql = format!(
        "SELECT {DECISION_COLUMNS} FROM {LATEST_JOIN} \
         WHERE l.pipeline = ?1 AND d.outcome = ?2 ORDER BY d.id"
    );
    decisions(conn, &sql, params![pipeline, Outcome::Pending.as_str()])
}

pub(super) fn failed(
    conn: &Connection,
    pipeline: &str,
    max_attempts: u32,
) -> rusqlite::Result<Vec<TicketKey>> {
    conn.prepare_cached(
        "SELECT l.pipeline, l.connection, l.ticket_id FROM latest l \
         JOIN decisions d ON d.id = l.decision_id \
         WHERE l.pipeline = ?1 AND d.outcome = ?2 AND d.attempts < ?3 ORDER BY d.id",
    )?
    .query_map(
        params![pipeline, Outcome::Failed.as_str(), max_attempts],
        |r| {
            Ok(TicketKey {
                pipeline: r.get(0)?,
                connection: r.get(1)?,
                ticket_id: r.get(2)?,
            })
        },
    )?
    .collect()
}

pub(super) fn watermark(conn: &Connection, pipeline: &str) -> rusqlite::Result<Option<Watermark>> {
    conn.prepare_cached(
        "SELECT pipeline, updated_since, recorded_at FROM watermarks WHERE pipeline = ?1",
    )?
    .query_row([pipeline], |r| {
        Ok(Watermark {
            pipeline: r.get(0)?,
            updated_since: time_from_row(r, 1)?,
            recorded_at: time_from_row(r, 2)?,
        })
    })
    .optional()
}

pub(super) fn set_watermark(
    conn: &Connection,
    pipeline: &str,
    updated_since: &DateTime<Utc>,
    recorded_at: &DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO watermarks (pipeline, updated_since, recorded_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (pipeline) DO UPDATE SET updated_since = excluded.updated_since, \
         recorded_at = excluded.recorded_at",
    )?
    .execute(params![
        pipeline,
        time_to_sql(updated_since),
        time_to_sql(recorded_at)
    ])?;
    Ok(())
}

/// Newest first means most recently begun (row id), which is also what the indexes give.
pub(super) fn history(
    conn: &Connection,
    query: &HistoryQuery,
) -> rusqlite::Result<Vec<DecisionRecord>> {
    let mut clauses = Vec::new();
    let mut values: Vec<&dyn rusqlite::ToSql> = Vec::new();
    if let Some(pipeline) = &query.pipeline {
        values.push(pipeline);
        clauses.push(format!("d.pipeline = ?{}", values.len()));
    }
    if let Some(ticket_id) = &query.ticket_id {
        values.push(ticket_id);
        clauses.push(format!("d.ticket_id = ?{}", values.len()));
    }
    let outcome = query.outcome.map(Outcome::as_str);
    if let Some(outcome) = &outcome {
        values.push(outcome);
        clauses.push(format!("d.outcome = ?{}", values.len()));
    }
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    values.push(&limit);
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT {DECISION_COLUMNS} FROM decisions d {filter} ORDER BY d.id DESC LIMIT ?{}",
        values.len()
    );
    decisions(conn, &sql, values.as_slice())
}

pub(super) fn counts(conn: &Connection, pipeline: &str) -> rusqlite::Result<BTreeMap<String, u64>> {
    let mut counts: BTreeMap<String, u64> = Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_owned(), 0))
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT d.outcome, count(*) FROM latest l JOIN decisions d ON d.id = l.decision_id \
         WHERE l.pipeline = ?1 GROUP BY d.outcome",
    )?;
    let rows = stmt.query_map([pipeline], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (outcome, n) = row?;
        // Unknown names are kept too: a count is still a count.
        counts.insert(outcome, n.max(0) as u64);
    }
    Ok(counts)
}
