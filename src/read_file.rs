//! Reading a file a user hands in, safely: only a regular file is read (a
//! FIFO, a device or `/dev/zero` would hang recall or fill its memory), it
//! is opened without blocking, and it is read only up to a size cap (but
//! recall's own logs, which have none).

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// Decks and imported files: far above any real deck (the biggest Anki
/// decks export to a few MB of text), low enough to fail fast.
pub const MAX_DECK_BYTES: u64 = 256 * 1024 * 1024;
/// `config.toml`: a few hundred bytes in practice.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads the whole of `path` if it is a regular file of at most `max`
/// bytes. Errors say which: `InvalidInput` "is not a regular file (a FIFO)",
/// `FileTooLarge` "is larger than N MB"; others are the OS's.
pub fn read_regular(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let mut file = open_regular(path)?;
    let size = file.metadata()?.len();
    if size > max {
        return Err(too_large(max));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // The file may grow while it is read: the cap holds all the same.
    file.by_ref().take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large(max));
    }
    Ok(bytes)
}

/// Reads the whole of `path` if it is a regular file, however big: recall's
/// own logs, which grow without a cap. Errors as [`read_regular`]'s.
pub fn read_regular_all(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut file = open_regular(path)?;
    let size = file.metadata()?.len();
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens `path` for reading if it is a regular file, without blocking on a
/// FIFO or a device on the way.
pub fn open_regular(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("is not a regular file ({})", describe(kind)),
        ));
    }
    Ok(file)
}

fn too_large(max: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!("is larger than {} MB, recall's limit", max / (1024 * 1024)),
    )
}

fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Makes a FIFO at `path`: what a reader must refuse without waiting on.
    #[cfg(unix)]
    pub(crate) fn mkfifo(path: &Path) {
        let made = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo {}", path.display());
    }

    #[test]
    fn a_regular_file_is_read_and_a_big_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_regular(&path, 5).unwrap(), b"12345");
        let error = read_regular(&path, 4).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::FileTooLarge);
    }

    #[cfg(unix)]
    #[test]
    fn defect_10_dev_zero_and_a_directory_are_refused_at_once() {
        let error = read_regular(Path::new("/dev/zero"), MAX_CONFIG_BYTES).unwrap_err();
        assert_eq!(error.to_string(), "is not a regular file (a device)");
        let dir = tempfile::tempdir().unwrap();
        assert!(read_regular(dir.path(), 10).is_err());
    }
}
