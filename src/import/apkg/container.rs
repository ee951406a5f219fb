//! The zip container of an Anki package, read as untrusted input.
//!
//! Opening a package checks, before inflating anything, that every entry
//! name (and every media file name the media map gives) is one plain file
//! name, and that the sizes the zip declares fit the [`Limits`]. Inflating
//! then stops as soon as an entry gives more than it declared or more than
//! the limits allow, so a zip bomb or a zstd bomb is refused after at most
//! one capped file, never after filling the disk. The collection is copied
//! to a private temporary directory, where [`super::collection`] opens it.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use super::proto::{MediaEntries, PackageMetadata};
use super::{ApkgError, Printable, Size};

/// Caps on what a package may unpack to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// All entries together, decompressed.
    pub total: u64,
    /// Any one entry (the collection or a media file), decompressed.
    pub per_file: u64,
}

impl Default for Limits {
    /// 2 GiB in all, 100 MiB per file.
    fn default() -> Self {
        Limits {
            total: 2 * 1024 * 1024 * 1024,
            per_file: 100 * 1024 * 1024,
        }
    }
}

/// The package format, from its `meta` entry (or its absence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `collection.anki2` (Anki 2.0).
    Legacy1,
    /// `collection.anki21` (Anki 2.1 before 2.1.50, or "support older
    /// versions" exports).
    Legacy2,
    /// `collection.anki21b`, zstd-compressed, with zstd media.
    Latest,
}

impl Version {
    pub fn describe(self) -> &'static str {
        match self {
            Version::Legacy1 => "Anki 2.0 format",
            Version::Legacy2 => "legacy Anki 2.1 format",
            Version::Latest => "current Anki format",
        }
    }
}

/// A media file the package holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// Its name, as cards refer to it (checked: one plain file name).
    pub name: String,
    /// The zip entry that holds it.
    entry: String,
}

/// An opened package: its zip, its version, its media map, and the
/// collection unpacked into a private temporary directory.
#[derive(Debug)]
pub struct Package {
    origin: String,
    archive: ZipArchive<File>,
    pub version: Version,
    media: Vec<MediaFile>,
    limits: Limits,
    /// Bytes unpacked so far, all entries together.
    unpacked: u64,
    temp: tempfile::TempDir,
    collection: PathBuf,
}

const COLLECTIONS: [&str; 3] = [
    "collection.anki21b",
    "collection.anki21",
    "collection.anki2",
];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const ZSTD_MAGIC: &[u8] = &[0x28, 0xB5, 0x2F, 0xFD];
/// `meta` and the media map are small; this is generous.
const SMALL_ENTRY: u64 = 64 * 1024 * 1024;

/// Whether `path` is a zip holding one of Anki's collection entries.
pub(super) fn looks_like_package(path: &Path) -> bool {
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() || magic != ZIP_MAGIC {
        return false;
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    ZipArchive::new(file).is_ok_and(|archive| {
        archive
            .file_names_raw()
            .any(|name| COLLECTIONS.iter().any(|known| known.as_bytes() == name))
    })
}

/// Whether `name` is one plain file name: not empty, not `.` or `..`, and
/// without `/`, `\`, `:` (a Windows drive or stream), NUL or any other
/// control character.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name
            .chars()
            .any(|c| matches!(c, '/' | '\\' | ':') || c.is_control())
}

impl Package {
    /// Opens and checks a package, and unpacks its collection.
    pub fn open(path: &Path, limits: Limits) -> Result<Package, ApkgError> {
        let origin = path.display().to_string();
        let io = |source| ApkgError::Io {
            origin: origin.clone(),
            source,
        };
        let mut file = File::open(path).map_err(io)?;
        let mut magic = [0u8; 4];
        let read = read_up_to(&mut file, &mut magic).map_err(io)?;
        if read < 4 || (magic != ZIP_MAGIC && magic != EMPTY_ZIP_MAGIC) {
            return Err(ApkgError::NotZip { origin });
        }
        let file = File::open(path).map_err(io)?;
        let archive = ZipArchive::new(file).map_err(|error| ApkgError::BadZip {
            origin: origin.clone(),
            detail: error.to_string(),
        })?;
        let temp = tempfile::Builder::new()
            .prefix("recall-apkg-")
            .tempdir()
            .map_err(io)?;
        let collection = temp.path().join("collection.sqlite");
        let mut package = Package {
            origin,
            archive,
            version: Version::Legacy2,
            media: Vec::new(),
            limits,
            unpacked: 0,
            temp,
            collection,
        };
        package.check_entries()?;
        package.version = package.read_version()?;
        package.media = package.read_media_map()?;
        package.unpack_collection()?;
        Ok(package)
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The unpacked collection database (private to this package).
    pub fn collection_path(&self) -> &Path {
        &self.collection
    }

    /// A private temporary directory, removed with the package.
    pub fn temp_dir(&self) -> &Path {
        self.temp.path()
    }

    /// The media files the package's map lists.
    pub fn media(&self) -> &[MediaFile] {
        &self.media
    }

    pub fn has_media(&self, name: &str) -> bool {
        self.media.iter().any(|file| file.name == name)
    }

    /// Unpacks media file `name` to `to` (created or replaced), within the
    /// limits. Returns its size; `Ok(None)` if the package lists it but
    /// does not hold it.
    pub fn extract_media(&mut self, name: &str, to: &Path) -> Result<Option<u64>, ApkgError> {
        let Some(file) = self.media.iter().find(|file| file.name == name) else {
            return Ok(None);
        };
        let entry = file.entry.clone();
        if self.archive.index_for_name(&entry).is_none() {
            return Ok(None);
        }
        let mut out = File::create(to).map_err(|source| self.io(source))?;
        let size = self.unpack(&entry, name, &mut out)?;
        out.sync_all().map_err(|source| self.io(source))?;
        Ok(Some(size))
    }

    fn io(&self, source: std::io::Error) -> ApkgError {
        ApkgError::Io {
            origin: self.origin.clone(),
            source,
        }
    }

    /// Every entry name is plain, and the declared sizes fit the limits.
    fn check_entries(&mut self) -> Result<(), ApkgError> {
        let mut total: u64 = 0;
        for index in 0..self.archive.len() {
            let entry = self
                .archive
                .by_index_raw(index)
                .map_err(|error| ApkgError::BadZip {
                    origin: self.origin.clone(),
                    detail: error.to_string(),
                })?;
            let raw = entry.name_raw();
            let name = String::from_utf8_lossy(raw).into_owned();
            if std::str::from_utf8(raw).is_err() || !is_plain_name(&name) {
                return Err(ApkgError::UnsafeName {
                    origin: self.origin.clone(),
                    name: Printable::new(&name),
                });
            }
            if entry.size() > self.limits.per_file {
                return Err(ApkgError::FileTooLarge {
                    origin: self.origin.clone(),
                    name: Printable::new(&name),
                    limit: Size(self.limits.per_file),
                });
            }
            total = total.saturating_add(entry.size());
            if total > self.limits.total {
                return Err(ApkgError::TotalTooLarge {
                    origin: self.origin.clone(),
                    limit: Size(self.limits.total),
                });
            }
        }
        Ok(())
    }

    fn read_version(&mut self) -> Result<Version, ApkgError> {
        let has = |package: &Package, name: &str| package.archive.index_for_name(name).is_some();
        if has(self, "meta") {
            let bytes = self.read_small("meta")?;
            let meta =
                <PackageMetadata as prost::Message>::decode(bytes.as_slice()).map_err(|error| {
                    ApkgError::Malformed {
                        origin: self.origin.clone(),
                        what: "meta entry",
                        detail: error.to_string(),
                    }
                })?;
            return match meta.version {
                1 => Ok(Version::Legacy1),
                2 => Ok(Version::Legacy2),
                3 => Ok(Version::Latest),
                // 0 is "unknown" in Anki's enum: go by the entries.
                0 => self.version_from_entries(),
                version => Err(ApkgError::UnknownVersion {
                    origin: self.origin.clone(),
                    version,
                }),
            };
        }
        self.version_from_entries()
    }

    fn version_from_entries(&self) -> Result<Version, ApkgError> {
        let has = |name: &str| self.archive.index_for_name(name).is_some();
        if has("collection.anki21b") {
            Ok(Version::Latest)
        } else if has("collection.anki21") {
            Ok(Version::Legacy2)
        } else if has("collection.anki2") {
            Ok(Version::Legacy1)
        } else {
            Err(ApkgError::NoCollection {
                origin: self.origin.clone(),
            })
        }
    }

    /// The media map: zip entry name -> file name, every name checked.
    fn read_media_map(&mut self) -> Result<Vec<MediaFile>, ApkgError> {
        if self.archive.index_for_name("media").is_none() {
            return Ok(Vec::new());
        }
        let bytes = self.read_small("media")?;
        let malformed = |detail: String| ApkgError::Malformed {
            origin: self.origin.clone(),
            what: "media map",
            detail,
        };
        let mut files: Vec<MediaFile> = if bytes.starts_with(ZSTD_MAGIC) {
            let plain = zstd_capped(&bytes, SMALL_ENTRY).map_err(|e| malformed(e.to_string()))?;
            let Some(plain) = plain else {
                return Err(self.too_large("media"));
            };
            let entries = <MediaEntries as prost::Message>::decode(plain.as_slice())
                .map_err(|e| malformed(e.to_string()))?;
            entries
                .entries
                .into_iter()
                .enumerate()
                .map(|(index, entry)| MediaFile {
                    entry: entry
                        .legacy_zip_filename
                        .map_or_else(|| index.to_string(), |n| n.to_string()),
                    name: entry.name,
                })
                .collect()
        } else {
            let map: std::collections::BTreeMap<String, String> =
                serde_json::from_slice(&bytes).map_err(|e| malformed(e.to_string()))?;
            map.into_iter()
                .map(|(entry, name)| MediaFile { name, entry })
                .collect()
        };
        if let Some(bad) = files.iter().find(|file| !is_plain_name(&file.name)) {
            return Err(ApkgError::UnsafeName {
                origin: self.origin.clone(),
                name: Printable::new(&bad.name),
            });
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files.dedup_by(|a, b| a.name == b.name);
        Ok(files)
    }

    fn too_large(&self, name: &str) -> ApkgError {
        ApkgError::FileTooLarge {
            origin: self.origin.clone(),
            name: Printable::new(name),
            limit: Size(self.limits.per_file),
        }
    }

    fn read_small(&mut self, name: &str) -> Result<Vec<u8>, ApkgError> {
        let mut bytes = Vec::new();
        let limit = self.limits.per_file.min(SMALL_ENTRY);
        let origin = self.origin.clone();
        let entry = self.archive.by_name(name).map_err(|e| ApkgError::BadZip {
            origin,
            detail: e.to_string(),
        })?;
        let read =
            entry
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| ApkgError::BadZip {
                    origin: self.origin.clone(),
                    detail: e.to_string(),
                })?;
        if read as u64 > limit {
            return Err(self.too_large(name));
        }
        self.count(read as u64)?;
        Ok(bytes)
    }

    fn count(&mut self, bytes: u64) -> Result<(), ApkgError> {
        self.unpacked = self.unpacked.saturating_add(bytes);
        if self.unpacked > self.limits.total {
            return Err(ApkgError::TotalTooLarge {
                origin: self.origin.clone(),
                limit: Size(self.limits.total),
            });
        }
        Ok(())
    }

    fn unpack_collection(&mut self) -> Result<(), ApkgError> {
        let entry = match self.version {
            Version::Latest => "collection.anki21b",
            Version::Legacy2 => "collection.anki21",
            Version::Legacy1 => "collection.anki2",
        };
        if self.archive.index_for_name(entry).is_none() {
            return Err(ApkgError::NoCollection {
                origin: self.origin.clone(),
            });
        }
        let mut out = File::create(&self.collection).map_err(|source| self.io(source))?;
        self.unpack(entry, entry, &mut out)?;
        out.sync_all().map_err(|source| self.io(source))?;
        Ok(())
    }

    /// Copies zip entry `entry` to `out`, zstd-decompressing it if it is
    /// zstd, within the per-file limit and what is left of the total.
    fn unpack(&mut self, entry: &str, name: &str, out: &mut dyn Write) -> Result<u64, ApkgError> {
        let left = self.limits.total.saturating_sub(self.unpacked);
        let limit = self.limits.per_file.min(left);
        let origin = self.origin.clone();
        let per_file = self.limits.per_file;
        let total = self.limits.total;
        let reader = self.archive.by_name(entry).map_err(|e| ApkgError::BadZip {
            origin: origin.clone(),
            detail: e.to_string(),
        })?;
        let damaged = |error: std::io::Error| ApkgError::BadZip {
            origin: origin.clone(),
            detail: format!("{}: {error}", Printable::new(name)),
        };
        let over = || {
            if limit < per_file {
                ApkgError::TotalTooLarge {
                    origin: origin.clone(),
                    limit: Size(total),
                }
            } else {
                ApkgError::FileTooLarge {
                    origin: origin.clone(),
                    name: Printable::new(name),
                    limit: Size(per_file),
                }
            }
        };
        let mut reader = BufReader::with_capacity(64 * 1024, reader);
        let head = reader.fill_buf().map_err(damaged)?;
        let written = if head.starts_with(ZSTD_MAGIC) {
            // A frame that declares its size is refused before inflating.
            if let Ok(Some(size)) = zstd::zstd_safe::get_frame_content_size(head)
                && size > limit
            {
                return Err(over());
            }
            let decoder = zstd::stream::read::Decoder::with_buffer(reader).map_err(damaged)?;
            copy_capped(decoder, out, limit).map_err(damaged)?
        } else {
            copy_capped(reader, out, limit).map_err(damaged)?
        };
        let Some(written) = written else {
            return Err(over());
        };
        self.count(written)?;
        Ok(written)
    }
}

/// Copies at most `limit` bytes; `None` if the reader has more.
fn copy_capped(reader: impl Read, out: &mut dyn Write, limit: u64) -> std::io::Result<Option<u64>> {
    let mut capped = reader.take(limit.saturating_add(1));
    let copied = std::io::copy(&mut capped, out)?;
    Ok((copied <= limit).then_some(copied))
}

/// Decompresses a small zstd buffer; `None` if it gives more than `limit`.
fn zstd_capped(bytes: &[u8], limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let decoder = zstd::stream::read::Decoder::new(bytes)?;
    let mut out = Vec::new();
    Ok(copy_capped(decoder, &mut out, limit)?.map(|_| out))
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut read = 0;
    while read < buf.len() {
        match file.read(&mut buf[read..])? {
            0 => break,
            n => read += n,
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names() {
        for good in ["dot.png", "a b.jpg", "日本.mp3", ".hidden", "x..y"] {
            assert!(is_plain_name(good), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../x",
            "/etc/x",
            "a/b",
            "a\\b",
            "C:x",
            "a\0b",
            "a\nb",
            "\u{1b}[2J",
        ] {
            assert!(!is_plain_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn copies_are_capped() {
        let mut out = Vec::new();
        assert_eq!(copy_capped(&b"abcd"[..], &mut out, 4).unwrap(), Some(4));
        let mut out = Vec::new();
        assert_eq!(copy_capped(&b"abcde"[..], &mut out, 4).unwrap(), None);
        assert_eq!(out.len(), 5, "stops one byte past the cap");
    }
}
