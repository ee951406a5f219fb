//! This installation's device id: the name of the only log folder it writes
//! (`<data dir>/log/<device>/`), so that several machines sharing one data
//! dir (through git or a folder-sync tool) never write the same file.
//!
//! The id is generated once and kept outside the data dir (beside the config
//! file), because the data dir is what gets copied between machines: a
//! device file inside it would travel too and two machines would share a
//! name. `RECALL_DEVICE` overrides it.

use std::fmt;
use std::path::{Path, PathBuf};

use rand::RngExt;

/// The environment variable that names the device, overriding the file.
pub const ENV_VAR: &str = "RECALL_DEVICE";
/// The file beside `config.toml` that holds the generated id.
pub const FILE_NAME: &str = "device";
const MAX_LEN: usize = 40;

/// A device id: 1 to 40 of `a-z`, `0-9`, `-` and `_`, so it is a safe
/// folder name on every platform and sorts the same everywhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(String);

/// Why a device id was refused, or could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("the device id `{0}` is not valid: use 1 to {MAX_LEN} characters of a-z, 0-9, - and _")]
    Invalid(String),
    #[error("cannot read the device id from {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot store the new device id in {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} does not hold a valid device id (found `{found}`); delete it to get a new one, or set {ENV_VAR}",
        path.display()
    )]
    BadFile { path: PathBuf, found: String },
}

impl DeviceId {
    pub fn new(id: &str) -> Result<DeviceId, DeviceError> {
        let valid = !id.is_empty()
            && id.len() <= MAX_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if valid {
            Ok(DeviceId(id.to_owned()))
        } else {
            Err(DeviceError::Invalid(id.escape_debug().to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A fresh id: the host's name made safe (if it has one), then six
    /// random hex digits, e.g. `laptop-3fa09c`. The name is for people
    /// reading the folder; the digits keep two hosts named alike apart.
    pub fn generate(host: Option<&str>) -> DeviceId {
        let slug = crate::deck::slug(host.unwrap_or_default(), 24);
        let digits: u32 = rand::rng().random_range(0..0x100_0000);
        let id = if slug.is_empty() {
            format!("device-{digits:06x}")
        } else {
            format!("{slug}-{digits:06x}")
        };
        DeviceId(id)
    }

    /// The device id in effect: `env` (the value of [`ENV_VAR`]) if set,
    /// else the one stored in `file`, else a new one, stored there for the
    /// next run (created once; an existing file is never rewritten).
    pub fn resolve(env: Option<&str>, file: &Path) -> Result<DeviceId, DeviceError> {
        if let Some(id) = env.filter(|id| !id.is_empty()) {
            return DeviceId::new(id);
        }
        // A regular file of a few bytes: a FIFO must not hang the start.
        match crate::read_file::read_regular(file, MAX_FILE_BYTES) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let found = text.trim();
                DeviceId::new(found).map_err(|_| DeviceError::BadFile {
                    path: file.to_path_buf(),
                    found: found.escape_debug().to_string(),
                })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let id = DeviceId::generate(host_name().as_deref());
                let write = |source| DeviceError::Write {
                    path: file.to_path_buf(),
                    source,
                };
                super::write_atomically(file, format!("{id}\n").as_bytes()).map_err(write)?;
                Ok(id)
            }
            Err(source) => Err(DeviceError::Read {
                path: file.to_path_buf(),
                source,
            }),
        }
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The device file holds one id ([`MAX_LEN`] bytes and a newline); the
/// cap only stops a huge file being read whole (its error says "1 MB").
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The machine's name, where the platform says it without a crate.
fn host_name() -> Option<String> {
    name_from(std::env::var("HOSTNAME").ok(), || {
        std::fs::read_to_string("/etc/hostname").ok()
    })
}

/// `$HOSTNAME`, else what `/etc/hostname` says, trimmed; none if empty.
fn name_from(env: Option<String>, file: impl FnOnce() -> Option<String>) -> Option<String> {
    env.or_else(file)
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ids() {
        assert!(DeviceId::new("laptop-3fa09c").is_ok());
        assert!(DeviceId::new("a_b").is_ok());
        for bad in ["", "Laptop", "a/b", "..", "a b", &"x".repeat(41), "é"] {
            assert!(DeviceId::new(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn the_host_name_is_the_environment_s_else_the_file_s_trimmed() {
        let file = || Some("box-from-file\n".to_owned());
        assert_eq!(
            name_from(Some("env-box".into()), file).as_deref(),
            Some("env-box")
        );
        assert_eq!(name_from(None, file).as_deref(), Some("box-from-file"));
        assert_eq!(name_from(None, || Some("  \n".into())), None);
        assert_eq!(name_from(None, || None), None);
    }

    #[test]
    fn a_device_file_that_cannot_be_read_is_an_error_not_a_new_device() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be: a read error, and nothing
        // is written in its place.
        let error = DeviceId::resolve(None, dir.path()).unwrap_err();
        assert!(matches!(error, DeviceError::Read { .. }), "{error:?}");
    }

    #[cfg(unix)]
    #[test]
    fn defect_10_a_fifo_as_the_device_file_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device");
        crate::read_file::tests::mkfifo(&path);
        let error = DeviceId::resolve(None, &path).unwrap_err();
        let DeviceError::Read { source, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(source.to_string(), "is not a regular file (a FIFO)");
        assert!(path.exists(), "left in place");
    }

    #[test]
    fn generated_ids_are_valid_and_named_after_the_host() {
        let id = DeviceId::generate(Some("My Laptop.local"));
        assert!(id.as_str().starts_with("my-laptop-local-"), "{id}");
        assert!(DeviceId::new(id.as_str()).is_ok());
        let id = DeviceId::generate(None);
        assert!(id.as_str().starts_with("device-"));
        assert!(DeviceId::new(id.as_str()).is_ok());
    }

    #[test]
    fn resolve_generates_once_then_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("device");
        let first = DeviceId::resolve(None, &file).unwrap();
        let second = DeviceId::resolve(None, &file).unwrap();
        assert_eq!(first, second);
        assert_eq!(
            DeviceId::resolve(Some("desk"), &file).unwrap().as_str(),
            "desk"
        );
        assert!(DeviceId::resolve(Some("Bad Id"), &file).is_err());
        std::fs::write(&file, "NOT VALID").unwrap();
        let error = DeviceId::resolve(None, &file).unwrap_err().to_string();
        assert!(error.contains("does not hold a valid device id"), "{error}");
    }
}
