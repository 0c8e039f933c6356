//! The embedded SQLite store.
//!
//! One connection behind a mutex; each call runs on tokio's blocking pool. The database
//! is opened in WAL mode with `synchronous=FULL`: every commit is fsynced to the WAL
//! before `begin`/`finish` return, so a process killed with SIGKILL right after never
//! loses a recorded decision. `busy_timeout` lets a second process (e.g. `triage
//! history` beside `triage serve`) wait for the write lock instead of failing at once.

mod corrections;
mod migrations;
mod queries;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::{
    Agreement, Correction, CorrectionQuery, DecisionRecord, FieldWrite, HistoryQuery, Outcome,
    StateError, StateStore, TicketKey, Watermark, WrittenValue,
};

/// How long a call waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The state store in one SQLite file (or in memory, for tests and dry runs).
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    /// Shown in every error so the user knows which file is at fault.
    path: Arc<str>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating it and its parent directories if needed) and migrates the database.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StateError> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StateError::CreateDir {
                path: path.to_owned(),
                source,
            })?;
        }
        let label = path.display().to_string();
        let open_err = |source| StateError::Open {
            path: label.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        // journal_mode answers with the mode it got; WAL needs shared memory, which some
        // network filesystems lack; the rollback journal is just as durable, only slower.
        let _mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(open_err)?;
        Self::setup(conn, label)
    }

    /// A private database in memory, lost when the store is dropped.
    pub fn in_memory() -> Result<Self, StateError> {
        let label = ":memory:".to_owned();
        let conn = Connection::open_in_memory().map_err(|source| StateError::Open {
            path: label.clone(),
            source,
        })?;
        Self::setup(conn, label)
    }

    /// The database's path as shown in errors (`:memory:` for an in-memory store).
    pub fn path(&self) -> &str {
        &self.path
    }

    fn setup(mut conn: Connection, label: String) -> Result<Self, StateError> {
        let pragmas = "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
        conn.execute_batch(pragmas)
            .map_err(|source| StateError::Open {
                path: label.clone(),
                source,
            })?;
        migrations::migrate(&mut conn, migrations::MIGRATIONS, &label)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path: label.into(),
        })
    }

    /// Runs `f` on the connection on the blocking pool.
    async fn call<T, F>(&self, f: F) -> Result<T, StateError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let result = tokio::task::spawn_blocking(move || {
            // A panic inside a call cannot leave a transaction open (rusqlite rolls back
            // on drop), so a poisoned lock still guards a usable connection.
            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut conn)
        })
        .await
        .map_err(|e| StateError::Task(e.to_string()))?;
        result.map_err(|source| StateError::Database {
            path: self.path.to_string(),
            source,
        })
    }
}

#[async_trait::async_trait]
impl StateStore for SqliteStore {
    async fn latest(&self, key: &TicketKey) -> Result<Option<DecisionRecord>, StateError> {
        let key = key.clone();
        self.call(move |c| queries::latest(c, &key)).await
    }

    async fn begin_writing(
        &self,
        record: &DecisionRecord,
        writes: &[FieldWrite],
    ) -> Result<(), StateError> {
        let (record, writes) = (record.clone(), writes.to_vec());
        self.call(move |c| queries::begin(c, &record, &writes))
            .await
    }

    async fn finish(
        &self,
        key: &TicketKey,
        outcome: Outcome,
        version_after: Option<String>,
        error: Option<String>,
    ) -> Result<(), StateError> {
        if outcome == Outcome::Pending {
            return Err(StateError::NotFinal { key: key.clone() });
        }
        let k = key.clone();
        let found = self
            .call(move |c| {
                queries::finish(c, &k, outcome, version_after.as_deref(), error.as_deref())
            })
            .await?;
        if found {
            Ok(())
        } else {
            Err(StateError::NotFound { key: key.clone() })
        }
    }

    async fn update_landed(
        &self,
        key: &TicketKey,
        version_after: Option<String>,
    ) -> Result<(), StateError> {
        let k = key.clone();
        let found = self
            .call(move |c| queries::finish(c, &k, Outcome::Pending, version_after.as_deref(), None))
            .await?;
        if found {
            Ok(())
        } else {
            Err(StateError::NotFound { key: key.clone() })
        }
    }

    async fn pending(&self, pipeline: &str) -> Result<Vec<DecisionRecord>, StateError> {
        let pipeline = pipeline.to_owned();
        self.call(move |c| queries::pending(c, &pipeline)).await
    }

    async fn failed(
        &self,
        pipeline: &str,
        max_attempts: u32,
    ) -> Result<Vec<TicketKey>, StateError> {
        let pipeline = pipeline.to_owned();
        self.call(move |c| queries::failed(c, &pipeline, max_attempts))
            .await
    }

    async fn watermark(&self, pipeline: &str) -> Result<Option<Watermark>, StateError> {
        let pipeline = pipeline.to_owned();
        self.call(move |c| queries::watermark(c, &pipeline)).await
    }

    async fn set_watermark(
        &self,
        pipeline: &str,
        updated_since: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let pipeline = pipeline.to_owned();
        let now = Utc::now();
        self.call(move |c| queries::set_watermark(c, &pipeline, &updated_since, &now))
            .await
    }

    async fn history(&self, query: &HistoryQuery) -> Result<Vec<DecisionRecord>, StateError> {
        let query = query.clone();
        self.call(move |c| queries::history(c, &query)).await
    }

    async fn counts(&self, pipeline: &str) -> Result<BTreeMap<String, u64>, StateError> {
        let pipeline = pipeline.to_owned();
        self.call(move |c| queries::counts(c, &pipeline)).await
    }

    async fn written(&self, key: &TicketKey) -> Result<Vec<WrittenValue>, StateError> {
        let key = key.clone();
        self.call(move |c| corrections::written(c, &key)).await
    }

    async fn record_correction(
        &self,
        key: &TicketKey,
        field: &str,
        current: Option<String>,
        observed_at: DateTime<Utc>,
    ) -> Result<Option<Correction>, StateError> {
        let (key, field) = (key.clone(), field.to_owned());
        self.call(move |c| {
            corrections::record_correction(c, &key, &field, current.as_deref(), &observed_at)
        })
        .await
    }

    async fn record_agreement(
        &self,
        key: &TicketKey,
        field: &str,
        observed_at: DateTime<Utc>,
    ) -> Result<bool, StateError> {
        let (key, field) = (key.clone(), field.to_owned());
        self.call(move |c| corrections::record_agreement(c, &key, &field, &observed_at))
            .await
    }

    async fn corrections(&self, query: &CorrectionQuery) -> Result<Vec<Correction>, StateError> {
        let query = query.clone();
        self.call(move |c| corrections::corrections(c, &query))
            .await
    }

    async fn agreement(
        &self,
        pipeline: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<Agreement>, StateError> {
        let pipeline = pipeline.to_owned();
        self.call(move |c| corrections::agreement(c, &pipeline, &since))
            .await
    }
}
