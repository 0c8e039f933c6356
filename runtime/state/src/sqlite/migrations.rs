//! Schema migrations, tracked in `PRAGMA user_version`.
//!
//! `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`. Each runs in its own
//! transaction together with the version bump, so a failed migration leaves the
//! database at the previous version. Append new migrations; never edit shipped ones.

use rusqlite::{Connection, TransactionBehavior};

use crate::StateError;

/// The schema, in order. Version 1: the audit trail, its verdicts, the latest decision
/// per ticket, and the watermarks. Version 2: the field values decisions wrote, and
/// agents' corrections of them. Timestamps are RFC 3339 UTC text with nanoseconds.
pub(crate) const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline      TEXT    NOT NULL,
    connection    TEXT    NOT NULL,
    ticket_id     TEXT    NOT NULL,
    fingerprint   TEXT    NOT NULL,
    version_seen  TEXT,
    version_after TEXT,
    action        TEXT    NOT NULL,
    outcome       TEXT    NOT NULL,
    error         TEXT,
    attempts      INTEGER NOT NULL,
    decided_at    TEXT    NOT NULL
);
CREATE INDEX decisions_by_pipeline ON decisions (pipeline, id);
CREATE INDEX decisions_by_ticket   ON decisions (ticket_id, id);

CREATE TABLE verdicts (
    decision_id   INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    field         TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    model_version TEXT    NOT NULL,
    label         TEXT    NOT NULL,
    confidence    REAL    NOT NULL,
    value         TEXT,
    PRIMARY KEY (decision_id, position)
) WITHOUT ROWID;

-- The newest decision per ticket: what latest/pending/failed/counts read.
CREATE TABLE latest (
    pipeline    TEXT    NOT NULL,
    connection  TEXT    NOT NULL,
    ticket_id   TEXT    NOT NULL,
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    PRIMARY KEY (pipeline, connection, ticket_id)
) WITHOUT ROWID;

CREATE TABLE watermarks (
    pipeline      TEXT NOT NULL PRIMARY KEY,
    updated_since TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
) WITHOUT ROWID;
"#,
    r#"
-- Field values a decision writes (dry run: would write); they count once the decision
-- is finished applied or dry_run.
CREATE TABLE written (
    decision_id INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    field       TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    pipeline    TEXT    NOT NULL,
    connection  TEXT    NOT NULL,
    ticket_id   TEXT    NOT NULL,
    written_at  TEXT    NOT NULL,
    PRIMARY KEY (decision_id, field)
) WITHOUT ROWID;
CREATE INDEX written_by_ticket ON written (pipeline, connection, ticket_id, field);
CREATE INDEX written_by_time   ON written (pipeline, written_at);

-- At most one correction per ticket and field: a corrected ticket is the agent's.
CREATE TABLE corrections (
    pipeline    TEXT    NOT NULL,
    connection  TEXT    NOT NULL,
    ticket_id   TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    written     TEXT    NOT NULL,
    current     TEXT,
    shadow      INTEGER NOT NULL,
    written_at  TEXT    NOT NULL,
    observed_at TEXT    NOT NULL,
    PRIMARY KEY (pipeline, connection, ticket_id, field)
) WITHOUT ROWID;
CREATE INDEX corrections_by_time ON corrections (pipeline, observed_at);
"#,
    r#"
-- What the field showed when triage decided (before_known = 0: not recorded, rows of v2),
-- so that a dry run's value can be compared once an agent changes the field.
ALTER TABLE written ADD COLUMN before TEXT;
ALTER TABLE written ADD COLUMN before_known INTEGER NOT NULL DEFAULT 0;

-- An agent set a field to exactly what a dry run would have written; one per ticket and
-- field, like corrections.
CREATE TABLE agreements (
    pipeline    TEXT    NOT NULL,
    connection  TEXT    NOT NULL,
    ticket_id   TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    observed_at TEXT    NOT NULL,
    PRIMARY KEY (pipeline, connection, ticket_id, field)
) WITHOUT ROWID;
"#,
];

/// Brings the database up to `migrations.len()`; returns the resulting version.
pub(crate) fn migrate(
    conn: &mut Connection,
    migrations: &[&str],
    path: &str,
) -> Result<u32, StateError> {
    let known = u32::try_from(migrations.len()).expect("fewer than 2^32 migrations");
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|source| StateError::Open {
            path: path.to_owned(),
            source,
        })?;
    if found > i64::from(known) {
        return Err(StateError::TooNew {
            path: path.to_owned(),
            found,
            known,
        });
    }
    // user_version is never negative unless someone set it so by hand; start over then.
    let from = u32::try_from(found).unwrap_or(0);
    for (version, sql) in (from + 1..=known).zip(&migrations[from as usize..]) {
        let mut step = || -> rusqlite::Result<()> {
            // Immediate: take the write lock up front so two processes opening the same new
            // file do not both try to migrate it.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if current < version {
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", version)?;
            }
            tx.commit()
        };
        step().map_err(|source| StateError::Migration {
            path: path.to_owned(),
            version,
            source,
        })?;
    }
    Ok(known)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(conn: &Connection) -> i64 {
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn fresh_database_gets_every_migration() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(
            migrate(&mut conn, MIGRATIONS, "mem").unwrap() as usize,
            MIGRATIONS.len()
        );
        assert_eq!(version(&conn), MIGRATIONS.len() as i64);
        // Idempotent: a second open changes nothing.
        migrate(&mut conn, MIGRATIONS, "mem").unwrap();
        assert_eq!(version(&conn), MIGRATIONS.len() as i64);
    }

    #[test]
    fn upgrades_a_v1_database_keeping_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state.db");
        {
            let mut conn = Connection::open(&file).unwrap();
            migrate(&mut conn, &MIGRATIONS[..1], "f").unwrap();
            conn.execute(
                "INSERT INTO watermarks VALUES ('p', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')",
                [],
            )
            .unwrap();
        }
        let v2 = "ALTER TABLE watermarks ADD COLUMN note TEXT NOT NULL DEFAULT 'none';";
        let mut with_v2 = MIGRATIONS[..1].to_vec();
        with_v2.push(v2);
        let mut conn = Connection::open(&file).unwrap();
        assert_eq!(migrate(&mut conn, &with_v2, "f").unwrap(), 2);
        assert_eq!(version(&conn), 2);
        let (pipeline, note): (String, String) = conn
            .query_row("SELECT pipeline, note FROM watermarks", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((pipeline.as_str(), note.as_str()), ("p", "none"));
    }

    #[test]
    fn failed_migration_rolls_back_to_the_previous_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        let broken = [
            "CREATE TABLE a (x);",
            "CREATE TABLE b (y); SELECT * FROM missing;",
        ];
        let err = migrate(&mut conn, &broken, "db.sqlite").unwrap_err();
        assert!(
            matches!(err, StateError::Migration { version: 2, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("db.sqlite"), "{err}");
        assert_eq!(version(&conn), 1);
        let b_exists: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'b'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(b_exists, 0, "the failed step's table must be rolled back");
    }

    #[test]
    fn refuses_a_newer_schema_and_says_so() {
        let mut conn = Connection::open_in_memory().unwrap();
        let newer = MIGRATIONS.len() as i64 + 1;
        conn.pragma_update(None, "user_version", newer).unwrap();
        let err = migrate(&mut conn, MIGRATIONS, "/var/lib/triage/state.db").unwrap_err();
        assert!(
            matches!(err, StateError::TooNew { found, .. } if found == newer),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains("/var/lib/triage/state.db") && msg.contains("newer"),
            "{msg}"
        );
        assert_eq!(version(&conn), newer, "left untouched");
    }
}
