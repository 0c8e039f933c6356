//! Written field values and agents' corrections of them, as blocking functions.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::queries::{time_from_row, time_to_sql};
use crate::{Agreement, Correction, CorrectionQuery, FieldWrite, Outcome, TicketKey, WrittenValue};

/// Outcomes under which a decision's writes count: applied (live) and dry_run (shadow).
const COUNTED: &str = "('applied', 'dry_run')";

/// Records a decision's writes; called inside `begin`'s transaction.
pub(super) fn insert_writes(
    tx: &rusqlite::Transaction<'_>,
    decision_id: i64,
    key: &TicketKey,
    written_at: &str,
    writes: &[FieldWrite],
) -> rusqlite::Result<()> {
    if writes.is_empty() {
        return Ok(());
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO written (decision_id, field, value, pipeline, connection, ticket_id, \
         written_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (decision_id, field) DO UPDATE SET value = excluded.value",
    )?;
    for w in writes {
        insert.execute(params![
            decision_id,
            w.field,
            w.value,
            key.pipeline,
            key.connection,
            key.ticket_id,
            written_at,
        ])?;
    }
    Ok(())
}

/// The newest counted write of `field` of the ticket: (decision id, value, shadow, written_at).
fn newest_write(
    conn: &Connection,
    key: &TicketKey,
    field: &str,
) -> rusqlite::Result<Option<(i64, String, bool, String)>> {
    let sql = format!(
        "SELECT w.decision_id, w.value, d.outcome, w.written_at FROM written w \
         JOIN decisions d ON d.id = w.decision_id \
         WHERE w.pipeline = ?1 AND w.connection = ?2 AND w.ticket_id = ?3 AND w.field = ?4 \
           AND d.outcome IN {COUNTED} \
         ORDER BY w.decision_id DESC LIMIT 1"
    );
    conn.prepare_cached(&sql)?
        .query_row(
            params![key.pipeline, key.connection, key.ticket_id, field],
            |r| {
                let outcome: String = r.get(2)?;
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    outcome == Outcome::DryRun.as_str(),
                    r.get(3)?,
                ))
            },
        )
        .optional()
}

pub(super) fn written(conn: &Connection, key: &TicketKey) -> rusqlite::Result<Vec<WrittenValue>> {
    let fields: Vec<String> = conn
        .prepare_cached(
            "SELECT DISTINCT field FROM written \
             WHERE pipeline = ?1 AND connection = ?2 AND ticket_id = ?3 ORDER BY field",
        )?
        .query_map(params![key.pipeline, key.connection, key.ticket_id], |r| {
            r.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut corrected = conn.prepare_cached(
        "SELECT count(*) FROM corrections \
         WHERE pipeline = ?1 AND connection = ?2 AND ticket_id = ?3 AND field = ?4",
    )?;
    let mut values = Vec::new();
    for field in fields {
        let Some((_, value, shadow, written_at)) = newest_write(conn, key, &field)? else {
            continue;
        };
        let n: i64 = corrected.query_row(
            params![key.pipeline, key.connection, key.ticket_id, field],
            |r| r.get(0),
        )?;
        values.push(WrittenValue {
            field,
            value,
            shadow,
            written_at: parse_time(&written_at)?,
            corrected: n > 0,
        });
    }
    Ok(values)
}

/// Records the correction of the newest counted write of `field`, unless one is recorded
/// already (or nothing was written); returns it when it is new.
pub(super) fn record_correction(
    conn: &mut Connection,
    key: &TicketKey,
    field: &str,
    current: Option<&str>,
    observed_at: &chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<Option<Correction>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some((decision_id, written, shadow, written_at)) = newest_write(&tx, key, field)? else {
        return Ok(None);
    };
    let inserted = tx
        .prepare_cached(
            "INSERT INTO corrections (pipeline, connection, ticket_id, field, decision_id, \
             written, current, shadow, written_at, observed_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT (pipeline, connection, ticket_id, field) DO NOTHING",
        )?
        .execute(params![
            key.pipeline,
            key.connection,
            key.ticket_id,
            field,
            decision_id,
            written,
            current,
            shadow,
            written_at,
            time_to_sql(observed_at),
        ])?;
    tx.commit()?;
    if inserted == 0 {
        return Ok(None);
    }
    Ok(Some(Correction {
        key: key.clone(),
        field: field.to_owned(),
        written,
        current: current.map(str::to_owned),
        shadow,
        written_at: parse_time(&written_at)?,
        observed_at: *observed_at,
    }))
}

pub(super) fn corrections(
    conn: &Connection,
    query: &CorrectionQuery,
) -> rusqlite::Result<Vec<Correction>> {
    let since = query.since.as_ref().map(time_to_sql);
    let limit = query
        .limit
        .map_or(i64::MAX, |n| i64::try_from(n).unwrap_or(i64::MAX));
    conn.prepare_cached(
        "SELECT pipeline, connection, ticket_id, field, written, current, shadow, written_at, \
         observed_at FROM corrections \
         WHERE (?1 IS NULL OR pipeline = ?1) AND (?2 IS NULL OR observed_at >= ?2) \
         ORDER BY observed_at DESC, pipeline, connection, ticket_id, field LIMIT ?3",
    )?
    .query_map(params![query.pipeline, since, limit], |r| {
        Ok(Correction {
            key: TicketKey {
                pipeline: r.get(0)?,
                connection: r.get(1)?,
                ticket_id: r.get(2)?,
            },
            field: r.get(3)?,
            written: r.get(4)?,
            current: r.get(5)?,
            shadow: r.get(6)?,
            written_at: time_from_row(r, 7)?,
            observed_at: time_from_row(r, 8)?,
        })
    })?
    .collect()
}

/// Per field, value and mode: values written since `since`, and how many were corrected.
pub(super) fn agreement(
    conn: &Connection,
    pipeline: &str,
    since: &chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<Vec<Agreement>> {
    let sql = format!(
        "SELECT w.field, w.value, d.outcome = 'dry_run' AS is_shadow, count(*), \
                count(c.decision_id) \
         FROM written w JOIN decisions d ON d.id = w.decision_id \
         LEFT JOIN corrections c ON c.decision_id = w.decision_id AND c.field = w.field \
         WHERE w.pipeline = ?1 AND w.written_at >= ?2 AND d.outcome IN {COUNTED} \
         GROUP BY w.field, w.value, is_shadow ORDER BY is_shadow, w.field, w.value"
    );
    conn.prepare_cached(&sql)?
        .query_map(params![pipeline, time_to_sql(since)], |r| {
            Ok(Agreement {
                field: r.get(0)?,
                value: r.get(1)?,
                shadow: r.get(2)?,
                written: r.get::<_, i64>(3)?.max(0) as u64,
                corrected: r.get::<_, i64>(4)?.max(0) as u64,
            })
        })?
        .collect()
}

fn parse_time(text: &str) -> rusqlite::Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}
