//! Replacing a file so that a crash leaves either the old or the new
//! content, never a mix: write a temp file in the same directory, sync it,
//! rename it over the target, then sync the directory so the rename lasts.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `contents` to `path` atomically, creating the parent directory if
/// needed.
///
/// - A symlink is written through: its target is replaced (in the target's
///   directory), and the link stays a link.
/// - Anything but a regular file (a device, a FIFO, a directory) is refused.
/// - A replaced file keeps its permissions; a new one gets the umask's.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let target = resolve_symlinks(path)?;
    let old_permissions = match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() => Some(meta.permissions()),
        Ok(_) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a regular file; refusing to replace it",
                    target.display()
                ),
            ));
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    let dir = parent_of(&target);
    create_dir_all_synced(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        // 0666 before the umask, as any program creates a file (tempfile's
        // default is 0600).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(contents)?;
    if let Some(permissions) = old_permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.as_file().sync_all()?;
    // On failure the temp file is removed when `error.file` drops.
    temp.persist(&target).map_err(|error| error.error)?;
    sync_dir(dir)
}

/// Temp files of [`write_atomically`] are named `.recall-*.tmp`.
pub const TEMP_PREFIX: &str = ".recall-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// Removes the temp files (`.recall-*.tmp`) that a killed recall left in
/// `dir`. Only call it holding the data-dir lock: every recall that writes
/// in the data directory holds it, so no write is under way.
///
/// Best effort: a leftover temp file harms nothing but disk space, so what
/// cannot be listed or removed is left, and never stops a session.
pub fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
            && entry.file_type().is_ok_and(|kind| kind.is_file())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The file a path finally names, following symlinks (also a dangling one,
/// whose target will be created).
fn resolve_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = parent_of(&path).join(link);
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("{}: too many levels of symbolic links", path.display()),
    ))
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `create_dir_all`, then a sync of the parent of every directory it
/// created, so the new directories survive a power cut.
pub fn create_dir_all_synced(dir: &Path) -> std::io::Result<()> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(path) = at {
        if path.as_os_str().is_empty() || path.exists() {
            break;
        }
        missing.push(path);
        at = path.parent();
    }
    if missing.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    for created in missing.iter().rev() {
        sync_dir(parent_of(created))?;
    }
    Ok(())
}

/// Makes the creation of `path` durable by syncing its directory.
pub fn sync_parent(path: &Path) -> std::io::Result<()> {
    sync_dir(parent_of(path))
}

/// Makes a rename in `dir` durable. Directories can only be synced this way
/// on Unix; elsewhere the rename is already as durable as the platform allows.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    if cfg!(unix) {
        File::open(dir)?.sync_all()?;
    }
    #[cfg(test)]
    SYNCED_DIRS.with_borrow_mut(|synced| synced.push(dir.to_path_buf()));
    Ok(())
}

#[cfg(test)]
thread_local! {
    /// Every directory this thread synced (after the sync succeeded): the
    /// tests' view of which directory entries were made durable.
    static SYNCED_DIRS: std::cell::RefCell<Vec<PathBuf>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/deck.toml");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["deck.toml"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deck.toml");
        std::fs::write(&path, b"old").unwrap();
        // A non-empty directory in the way of the rename makes it fail.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("inner")).unwrap();
        assert!(write_atomically(&blocked, b"new").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert!(blocked.join("inner").is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn defect_14_a_symlink_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(repo.join("deck.toml"), b"old").unwrap();
        let link = dir.path().join("deck.toml");
        std::os::unix::fs::symlink("repo/deck.toml", &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(repo.join("deck.toml")).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn defect_14_a_device_or_fifo_is_refused_and_left_alone() {
        // A FIFO of its own stands in for a device node: the same check
        // refuses both, and a build that breaks the check (a mutant did)
        // then replaces a file in a temp dir, not the machine's /dev/null.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.csv");
        crate::read_file::tests::mkfifo(&fifo);
        let error = write_atomically(&fifo, b"x").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{} is not a regular file; refusing to replace it",
                fifo.display()
            )
        );
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[cfg(unix)]
    #[test]
    fn defect_14_the_old_mode_is_kept_and_a_new_file_gets_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deck.toml");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"new").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o640);
        // A new file gets what `File::create` (0666 less the umask) gives.
        let fresh = dir.path().join("fresh.toml");
        write_atomically(&fresh, b"x").unwrap();
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        assert_eq!(mode(&fresh), mode(&plain));
    }

    /// The directories `f` synced, in order.
    fn synced_during(f: impl FnOnce()) -> Vec<PathBuf> {
        SYNCED_DIRS.take();
        f();
        SYNCED_DIRS.take()
    }

    /// Creating the data dir, the lock, and each log (reviews, quizzes,
    /// card events) syncs the directory that holds each new entry; opening
    /// them again creates nothing and syncs nothing.
    #[test]
    fn defect_15_creating_the_data_dir_each_log_and_the_grants_file_syncs_its_directory() {
        use crate::store::card_events::EventWriter;
        use crate::store::extra_new::ExtraNew;
        use crate::store::quiz_log::{self, QuizRecord, RecordMode, RecordScope};
        use crate::store::{DataLock, LogWriter};
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        let data = root.join("data");
        let device = data.join("log/laptop");
        let mut lock = None;
        let synced = synced_during(|| lock = Some(DataLock::acquire(&data).unwrap()));
        assert_eq!(
            synced,
            [root.to_path_buf(), data.clone()],
            "data dir, then lock"
        );
        let lock = lock.unwrap();

        let reviews = device.join("reviews.csv");
        let synced = synced_during(|| drop(LogWriter::open(&reviews, &lock).unwrap()));
        assert_eq!(synced, [data.clone(), data.join("log"), device.clone()]);
        let synced = synced_during(|| drop(LogWriter::open(&reviews, &lock).unwrap()));
        assert_eq!(synced, Vec::<PathBuf>::new(), "nothing new, nothing synced");

        let events = device.join("card_events.csv");
        let synced = synced_during(|| drop(EventWriter::open(&events, &lock).unwrap()));
        assert_eq!(synced, [device.as_path()]);

        let quizzes = device.join("quizzes.csv");
        let record = QuizRecord::new(
            chrono::Utc::now(),
            RecordScope::Pooled,
            RecordMode::Choice,
            1,
            1,
            10,
        );
        let synced = synced_during(|| quiz_log::append(&quizzes, &record).unwrap());
        assert_eq!(synced, [device.as_path()]);
        let synced = synced_during(|| quiz_log::append(&quizzes, &record).unwrap());
        assert_eq!(synced, Vec::<PathBuf>::new());

        let grants = data.join(crate::store::extra_new::FILE_NAME);
        let deck = crate::deck::DeckId::new("d").unwrap();
        let grant = || ExtraNew::grant(&grants, &lock, &deck, 5, chrono::Utc::now()).unwrap();
        assert_eq!(synced_during(grant), [data.as_path()]);
        assert_eq!(synced_during(grant), Vec::<PathBuf>::new());
    }

    #[test]
    fn a_name_the_file_system_refuses_is_an_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x".repeat(300));
        let error = write_atomically(&path, b"text").unwrap_err();
        assert_eq!(error.raw_os_error(), Some(libc::ENAMETOOLONG), "{error}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn defect_15_missing_directories_are_created() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        create_dir_all_synced(&deep).unwrap();
        assert!(deep.is_dir());
        create_dir_all_synced(&deep).unwrap();
    }
}
