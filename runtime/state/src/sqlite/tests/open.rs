//! Opening on-disk databases: directories, pragmas, errors naming the path, schema refusal.

use super::t;
use crate::sqlite::SqliteStore;
use crate::{StateError, StateStore};

#[tokio::test]
async fn open_creates_directories_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/state.db");
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.path(), path.display().to_string());
    store.set_watermark("p", t(1)).await.unwrap();
    drop(store);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.watermark("p").await.unwrap().unwrap().updated_since,
        t(1)
    );
    let mode: String = store
        .conn
        .lock()
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = store
        .conn
        .lock()
        .unwrap()
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
}

#[tokio::test]
async fn open_names_the_path_when_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let err = SqliteStore::open(blocker.join("state.db")).unwrap_err();
    assert!(
        err.to_string().contains(&blocker.display().to_string()),
        "{err}"
    );
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x42; 8192]).unwrap();
    let err = SqliteStore::open(&garbage).unwrap_err();
    assert!(err.to_string().contains("garbage.db"), "{err}");
}

#[tokio::test]
async fn open_refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    drop(SqliteStore::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 1000)
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(err, StateError::TooNew { found: 1000, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("state.db"), "{err}");
}
