//! A committed decision survives the process dying without closing the database.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use chrono::Duration;

use super::{decide, key, record, t};
use crate::sqlite::SqliteStore;
use crate::{Outcome, StateStore};

#[tokio::test]
async fn committed_record_survives_a_connection_that_is_never_closed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let k = key("p", "1");
    let store = SqliteStore::open(&path).unwrap();
    decide(&store, &record(&k, "f", t(0)), Outcome::Applied).await;
    // Leak it: no close, no checkpoint; the record lives only in the WAL.
    std::mem::forget(store);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.latest(&k).await.unwrap().unwrap().outcome,
        Outcome::Applied
    );
}

const CHILD_DB_ENV: &str = "TRIAGE_STATE_TEST_SIGKILL_DB";
const COMMITTED: &str = "<<state-committed>>";

/// Not a test of its own: the child process of `committed_record_survives_sigkill`.
#[test]
#[ignore = "child process of committed_record_survives_sigkill"]
fn sigkill_child() {
    let Ok(path) = std::env::var(CHILD_DB_ENV) else {
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = SqliteStore::open(&path).unwrap();
        decide(&store, &record(&key("p", "1"), "f", t(0)), Outcome::Applied).await;
        store
            .begin(&record(&key("p", "2"), "f", t(1)))
            .await
            .unwrap();
    });
    println!("{COMMITTED}");
    loop {
        std::thread::park(); // until SIGKILL
    }
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn committed_record_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "sqlite::tests::durability::sigkill_child",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_DB_ENV, &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let stdout = child.0.stdout.take().unwrap();
    let committed = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains(COMMITTED));
    assert!(committed, "the child exited without committing");
    child.0.kill().unwrap(); // SIGKILL on Unix
    child.0.wait().unwrap();

    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.latest(&key("p", "1")).await.unwrap().unwrap().outcome,
        Outcome::Applied
    );
    let pending = store.pending("p").await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].key, key("p", "2"));
    assert!(pending[0].decided_at - t(1) == Duration::zero());
}
