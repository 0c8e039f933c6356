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
         written_at, before, before_known) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1) \
         ON CONFLICT (decision_id, field) DO UPDATE SET value = excluded.value, \
         before = excluded.before, before_known = 1",
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
            w.before,
        ])?;
    }
    Ok(())
}

/// The newest counted write of one field of a ticket, as stored.
struct Newest {
    decision_id: i64,
    value: String,
    shadow: bool,
    written_at: String,
    before: Option<Option<String>>,
}

/// The newest counted write of `field` of the ticket.
fn newest_write(
    conn: &Connection,
    key: &TicketKey,
    field: &str,
) -> rusqlite::Result<Option<Newest>> {
    let sql = format!(
        "SELECT w.decision_id, w.value, d.outcome, w.written_at, w.before, w.before_known \
         FROM written w \
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
                let known: bool = r.get(5)?;
                Ok(Newest {
                    decision_id: r.get(0)?,
                    value: r.get(1)?,
                    shadow: outcome == Outcome::DryRun.as_str(),
                    written_at: r.get(3)?,
                    before: if known { Some(r.get(4)?) } else { None },
                })
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
    let mut values = Vec::new();
    for field in fields {
        let Some(w) = newest_write(conn, key, &field)? else {
            continue;
        };
        let corrected = recorded(conn, "corrections", key, &field)?;
        let agreed = recorded(conn, "agreements", key, &field)?;
        values.push(WrittenValue {
            field,
            value: w.value,
            shadow: w.shadow,
            written_at: parse_time(&w.written_at)?,
            corrected,
            agreed,
            before: w.before,
        });
    }
    Ok(values)
}

/// A row of `table` (corrections, agreements) exists for the ticket's field.
fn recorded(
    conn: &Connection,
    table: &str,
    key: &TicketKey,
    field: &str,
) -> rusqlite::Result<bool> {
    let sql = format!(
        "SELECT count(*) FROM {table} \
         WHERE pipeline = ?1 AND connection = ?2 AND ticket_id = ?3 AND field = ?4"
    );
    let n: i64 = conn.prepare_cached(&sql)?.query_row(
        params![key.pipeline, key.connection, key.ticket_id, field],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Records an agent's agreement with the newest write of `field` when it is a shadow
/// one, unless one is recorded already; returns whether it is new.
pub(super) fn record_agreement(
    conn: &mut Connection,
    key: &TicketKey,
    field: &str,
    observed_at: &chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(w) = newest_write(&tx, key, field)?.filter(|w| w.shadow) else {
        return Ok(false);
    };
    let inserted = tx
        .prepare_cached(
            "INSERT INTO agreements (pipeline, connection, ticket_id, field, decision_id, \
             observed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (pipeline, connection, ticket_id, field) DO NOTHING",
        )?
        .execute(params![
            key.pipeline,
            key.connection,
            key.ticket_id,
            field,
            w.decision_id,
            time_to_sql(observed_at),
        ])?;
    tx.commit()?;
    Ok(inserted > 0)
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
    let Some(Newest {
        decision_id,
        value: written,
        shadow,
        written_at,
        ..
    }) = newest_write(&tx, key, field)?
    else {
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
                count(c.decision_id), count(a.decision_id) \
         FROM written w JOIN decisions d ON d.id = w.decision_id \
         LEFT JOIN corrections c ON c.decision_id = w.decision_id AND c.field = w.field \
         LEFT JOIN agreements a ON a.decision_id = w.decision_id AND a.field = w.field \
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
                agreed: r.get::<_, i64>(5)?.max(0) as u64,
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
