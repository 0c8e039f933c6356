//! Compiled components on disk, so a restart does not recompile.
//!
//! Keyed by the file's sha256, wasmtime's version and the engine's compatibility
//! hash: a different wasmtime or engine setting never reads an old artifact.
//!
//! An artifact is native code that wasmtime runs without re-checking, so a planted one is
//! code execution outside the sandbox. Hence:
//! - the directory must be owned by the running user and not writable by group or
//!   others (it is created 0700); otherwise the cache is not used at all and every
//!   component is compiled in memory (the reason is logged);
//! - each artifact is followed by an HMAC-SHA256 tag over its file name and its bytes,
//!   keyed by [`KEY_FILE`], 32 random bytes in the directory, created 0600 by its owner
//!   and refused if anyone else could read or write it. An artifact that is not a plain
//!   file owned by the user, is writable by group or others, or whose tag does not match
//!   (another adapter's artifact under this name, a truncated or altered file) is not
//!   loaded: the component is compiled again and the artifact overwritten, with a warning.
//!
//! Not covered: a directory above the cache that others may write (they could replace the
//! whole directory), and the running user itself (who could also replace the binary).

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use wasmtime::Engine;
use wasmtime::component::Component;

/// The key's file name in the cache directory.
pub(crate) const KEY_FILE: &str = "artifacts.key";
const KEY_LEN: usize = 32;
const TAG_LEN: usize = 32;

/// Why the cache directory or a file in it is not trusted.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CacheError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is owned by uid {owner}, not by the running user (uid {me})", path.display())]
    Owner { path: PathBuf, owner: u32, me: u32 },
    #[error("{} has mode {mode:03o}: {who} may {what} it", path.display())]
    Mode {
        path: PathBuf,
        mode: u32,
        who: &'static str,
        what: &'static str,
    },
    #[error("{} is not a {expected}", path.display())]
    Kind {
        path: PathBuf,
        expected: &'static str,
    },
    #[error("{} holds {len} bytes, not a {KEY_LEN}-byte key", path.display())]
    KeyLength { path: PathBuf, len: usize },
    #[cfg(not(unix))]
    #[error("the compile cache needs a Unix system (file owners and modes)")]
    Unsupported,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CacheError + '_ {
    move |source| CacheError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What may be done to a file by users other than its owner.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Others {
    /// Nothing may write it (directories and artifacts).
    MayRead,
    /// Nothing at all (the key).
    Nothing,
}

/// The trust rule for one file, from its owner and mode: owned by `me`, and nobody else
/// may write it (or, for `Others::Nothing`, read it either).
pub(crate) fn check_owner_and_mode(
    path: &Path,
    owner: u32,
    mode: u32,
    me: u32,
    others: Others,
) -> Result<(), CacheError> {
    if owner != me {
        return Err(CacheError::Owner {
            path: path.to_owned(),
            owner,
            me,
        });
    }
    let mode = mode & 0o7777;
    let (forbidden, what) = match others {
        Others::MayRead => (0o022, "write"),
        Others::Nothing => (0o077, "read or write"),
    };
    if mode & forbidden != 0 {
        // Name the widest audience: "other users" covers the group as well.
        let who = if mode & forbidden & 0o007 != 0 {
            "other users"
        } else {
            "its group"
        };
        return Err(CacheError::Mode {
            path: path.to_owned(),
            mode,
            who,
            what,
        });
    }
    Ok(())
}

#[cfg(unix)]
fn running_user() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Check an open file (not the path, which could be swapped after the check).
#[cfg(unix)]
fn check_file(file: &File, path: &Path, others: Others, dir: bool) -> Result<(), CacheError> {
    use std::os::unix::fs::MetadataExt;
    let meta = file.metadata().map_err(io(path))?;
    let (ok, expected) = if dir {
        (meta.is_dir(), "directory")
    } else {
        (meta.is_file(), "plain file")
    };
    if !ok {
        return Err(CacheError::Kind {
            path: path.to_owned(),
            expected,
        });
    }
    check_owner_and_mode(path, meta.uid(), meta.mode(), running_user(), others)
}

/// Open without following a link in the last component: a link planted in the directory
/// cannot point the cache at a file it would then trust.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

pub(crate) struct ComponentCache {
    dir: PathBuf,
    engine_key: String,
    key: [u8; KEY_LEN],
}

impl ComponentCache {
    /// Open (creating it 0700 if missing) the cache in `dir`, or say why it cannot be
    /// trusted.
    #[cfg(unix)]
    pub(crate) fn open(dir: PathBuf, engine: &Engine) -> Result<Self, CacheError> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(io(&dir))?;
        // The directory itself may be a link the operator made (to another disk); what it
        // leads to is what is checked.
        let handle = File::open(&dir).map_err(io(&dir))?;
        check_file(&handle, &dir, Others::MayRead, true)?;
        let key = load_or_create_key(&dir.join(KEY_FILE))?;
        let mut hasher = DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let engine_key = format!("wasmtime{}-{:016x}", wasmtime_version(), hasher.finish());
        Ok(Self {
            dir,
            engine_key,
            key,
        })
    }

    #[cfg(not(unix))]
    pub(crate) fn open(_dir: PathBuf, _engine: &Engine) -> Result<Self, CacheError> {
        Err(CacheError::Unsupported)
    }

    fn name_for(&self, sha256: &str) -> String {
        format!("{sha256}-{}.cwasm", self.engine_key)
    }

    fn tag(&self, name: &str, artifact: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key size");
        // The name binds the artifact to the component it was compiled from: a valid
        // artifact of another adapter does not verify under this one's name.
        mac.update(name.as_bytes());
        mac.update(&[0]);
        mac.update(artifact);
        mac
    }

    /// The cached compilation of the file with this digest, if any and trusted.
    pub(crate) fn get(&self, engine: &Engine, sha256: &str) -> Option<Component> {
        let name = self.name_for(sha256);
        let path = self.dir.join(&name);
        let bytes = match self.read_trusted(&path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return None,
            Err(e) => {
                tracing::warn!("not loading compiled component: {e}; compiling it again");
                return None;
            }
        };
        let Some(split) = bytes.len().checked_sub(TAG_LEN) else {
            tracing::warn!(path = %path.display(), "compiled component has no integrity tag; compiling it again");
            return None;
        };
        let (artifact, tag) = bytes.split_at(split);
        if self.tag(&name, artifact).verify_slice(tag).is_err() {
            tracing::warn!(path = %path.display(), "compiled component fails its integrity check (not written by this cache for this adapter); compiling it again");
            return None;
        }
        // SAFETY: the bytes carry a tag only this cache's owner can make, over this file
        // name (which includes the engine's compatibility hash), and were read into memory
        // before the check, so what is checked is what is loaded.
        match unsafe { Component::deserialize(engine, artifact) } {
            Ok(component) => Some(component),
            Err(e) => {
                tracing::warn!(path = %path.display(), "ignoring unusable compiled component: {e}");
                None
            }
        }
    }

    #[cfg(unix)]
    fn read_trusted(&self, path: &Path) -> Result<Option<Vec<u8>>, CacheError> {
        let mut file = match open_no_follow(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(path)(e)),
        };
        check_file(&file, path, Others::MayRead, false)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io(path))?;
        Ok(Some(bytes))
    }

    #[cfg(not(unix))]
    fn read_trusted(&self, _path: &Path) -> Result<Option<Vec<u8>>, CacheError> {
        Err(CacheError::Unsupported)
    }

    /// Store a compiled component with its tag; failures only cost a recompile next time.
    pub(crate) fn put(&self, sha256: &str, component: &Component) {
        let name = self.name_for(sha256);
        let path = self.dir.join(&name);
        let result = component
            .serialize()
            .map_err(|e| std::io::Error::other(e.to_string()))
            .and_then(|mut bytes| {
                let tag = self.tag(&name, &bytes).finalize().into_bytes();
                bytes.extend_from_slice(&tag);
                write_atomically(&path, &bytes, 0o600)
            });
        if let Err(e) = result {
            tracing::warn!(path = %path.display(), "could not cache compiled component: {e}");
        }
    }
}

/// The key in `path`, trusted only if the running user owns it and nobody else may read
/// or write it; created (32 bytes from the system's random source, 0600) if missing.
#[cfg(unix)]
fn load_or_create_key(path: &Path) -> Result<[u8; KEY_LEN], CacheError> {
    let mut file = match open_no_follow(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; KEY_LEN];
            File::open("/dev/urandom")
                .and_then(|mut r| r.read_exact(&mut key))
                .map_err(io(Path::new("/dev/urandom")))?;
            // Written aside and linked into place, so no reader sees half a key and of
            // two processes starting at once, one key wins and both use it.
            let tmp = unique_tmp(path);
            write_new(&tmp, &key, 0o600).map_err(io(&tmp))?;
            let linked = std::fs::hard_link(&tmp, path);
            let _ = std::fs::remove_file(&tmp);
            match linked {
                Ok(()) => return Ok(key),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    open_no_follow(path).map_err(io(path))?
                }
                Err(e) => return Err(io(path)(e)),
            }
        }
        Err(e) => return Err(io(path)(e)),
    };
    check_file(&file, path, Others::Nothing, false)?;
    let mut key = Vec::new();
    file.read_to_end(&mut key).map_err(io(path))?;
    key.try_into()
        .map_err(|key: Vec<u8>| CacheError::KeyLength {
            path: path.to_owned(),
            len: key.len(),
        })
}

fn unique_tmp(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    path.with_extension(format!("tmp{}-{n}", std::process::id()))
}

/// Create `path` (which must not exist) with `mode` and write `bytes`.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Write aside and rename over `path`: a reader sees the old file or the new, and a file
/// someone else put there is replaced, not written through.
fn write_atomically(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let tmp = unique_tmp(path);
    let written = write_new(&tmp, bytes, mode).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn wasmtime_version() -> &'static str {
    // The crate is pinned in the workspace; keep this in step with Cargo.toml.
    "48.0.8"
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: u32 = 1000;

    fn check(owner: u32, mode: u32, others: Others) -> Result<(), CacheError> {
        check_owner_and_mode(Path::new("/c"), owner, mode, ME, others)
    }

    #[test]
    fn a_private_directory_or_file_of_the_user_is_trusted() {
        assert!(check(ME, 0o700, Others::MayRead).is_ok());
        assert!(check(ME, 0o755, Others::MayRead).is_ok());
        assert!(check(ME, 0o644, Others::MayRead).is_ok());
        assert!(check(ME, 0o600, Others::Nothing).is_ok());
        assert!(check(ME, 0o400, Others::Nothing).is_ok());
    }

    #[test]
    fn another_owner_is_refused_naming_both_users() {
        let err = check(0, 0o700, Others::MayRead).unwrap_err();
        assert!(matches!(
            err,
            CacheError::Owner {
                owner: 0,
                me: ME,
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            "/c is owned by uid 0, not by the running user (uid 1000)"
        );
    }

    #[test]
    fn group_or_other_write_is_refused() {
        let group = check(ME, 0o770, Others::MayRead).unwrap_err();
        assert_eq!(group.to_string(), "/c has mode 770: its group may write it");
        let other = check(ME, 0o1757, Others::MayRead).unwrap_err();
        assert_eq!(
            other.to_string(),
            "/c has mode 1757: other users may write it"
        );
        assert!(check(ME, 0o666, Others::MayRead).is_err());
    }

    #[test]
    fn a_key_others_can_read_is_refused() {
        let err = check(ME, 0o604, Others::Nothing).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/c has mode 604: other users may read or write it"
        );
        assert!(check(ME, 0o640, Others::Nothing).is_err());
    }

    fn engine() -> Engine {
        Engine::default()
    }

    #[test]
    fn a_new_directory_is_private_and_gets_a_private_key() {
        use std::os::unix::fs::PermissionsExt;
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("a/b");
        let cache = ComponentCache::open(dir.clone(), &engine()).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(KEY_FILE)), 0o600);
        // Opening again reads the same key.
        let again = ComponentCache::open(dir, &engine()).unwrap();
        assert_eq!(cache.key, again.key);
    }

    #[test]
    fn a_directory_others_may_write_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let base = tempfile::tempdir().unwrap();
        std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let err = ComponentCache::open(base.path().to_owned(), &engine())
            .err()
            .expect("refused");
        assert!(matches!(err, CacheError::Mode { mode: 0o777, .. }), "{err}");
    }

    #[test]
    fn a_readable_key_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let base = tempfile::tempdir().unwrap();
        ComponentCache::open(base.path().to_owned(), &engine()).unwrap();
        let key = base.path().join(KEY_FILE);
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = ComponentCache::open(base.path().to_owned(), &engine())
            .err()
            .expect("refused");
        assert!(matches!(err, CacheError::Mode { .. }), "{err}");
    }

    #[test]
    fn a_linked_key_is_not_followed() {
        let base = tempfile::tempdir().unwrap();
        let elsewhere = base.path().join("elsewhere");
        write_new(&elsewhere, &[7; KEY_LEN], 0o600).unwrap();
        let dir = base.path().join("cache");
        std::fs::create_dir(&dir).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join(KEY_FILE)).unwrap();
        assert!(ComponentCache::open(dir, &engine()).is_err());
    }

    #[test]
    fn the_tag_binds_the_name() {
        let base = tempfile::tempdir().unwrap();
        let cache = ComponentCache::open(base.path().to_owned(), &engine()).unwrap();
        let tag = |name: &str| cache.tag(name, b"artifact").finalize().into_bytes();
        assert_eq!(tag("a"), tag("a"));
        assert_ne!(tag("a"), tag("b"));
    }
}
