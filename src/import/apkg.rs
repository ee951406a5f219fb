//! Anki packages: `.apkg` (decks) and `.colpkg` (a whole collection), in
//! every format Anki writes (`docs/import-export.md`):
//!
//! - legacy: `collection.anki2` or `collection.anki21`, an SQLite database
//!   of schema 11 (note types and decks as JSON in `col`), and a JSON
//!   `media` map from zip entry names to file names;
//! - current (Anki 2.1.50+): a protobuf `meta` entry with the version,
//!   `collection.anki21b` (zstd-compressed SQLite, schema 18: tables
//!   `notetypes`, `fields`, `templates`, `decks`), zstd-compressed media
//!   files and a zstd-compressed protobuf media map. The dummy
//!   `collection.anki2` such packages also carry is ignored.
//!
//! A package is untrusted input ([`container`]): entry names must be plain
//! file names, decompressed sizes are capped ([`Limits`]) and checked before
//! anything is inflated, and the database is checked with SQLite's
//! `quick_check` before it is read ([`collection`]), from a private copy
//! opened read-only. Nothing from a package is ever executed. [`convert`]
//! turns the collection into recall decks and reviews; it is pure.
//!
//! Reading a package writes only to a temporary directory of its own.

pub mod collection;
pub mod container;
pub mod convert;
mod proto;

use std::fmt;
use std::path::{Path, PathBuf};

pub use collection::Collection;
pub use container::{Limits, Package};
pub use convert::{AnkiImport, AnkiReview, DeckReport, ReviewSkip, convert};

/// Whether a file looks like an Anki package: a zip archive holding one of
/// Anki's collection entries. Reads at most the zip's directory.
pub fn looks_like_package(path: &Path) -> bool {
    container::looks_like_package(path)
}

/// Why a package could not be read. Every message names the file and says
/// what to do; nothing has been written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum ApkgError {
    #[error("{origin}: cannot read it")]
    Io {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{origin}: is not an Anki package: it is not a zip archive\n  help: in Anki, choose File > Export and \"Anki Deck Package (*.apkg)\" or \"Anki Collection Package (*.colpkg)\""
    )]
    NotZip { origin: String },
    #[error(
        "{origin}: is a damaged or truncated zip archive ({detail})\n  help: export or download the package again"
    )]
    BadZip { origin: String, detail: String },
    #[error(
        "{origin}: holds an entry named \"{name}\", which is not a plain file name; the package is refused\n  help: Anki never writes such names; the package was made by something else, and may be malicious"
    )]
    UnsafeName { origin: String, name: Printable },
    #[error(
        "{origin}: \"{name}\" unpacks to more than {limit}; the package is refused before unpacking it\n  help: if you trust it, raise `import_max_file_mb` in the config file"
    )]
    FileTooLarge {
        origin: String,
        name: Printable,
        limit: Size,
    },
    #[error(
        "{origin}: the package unpacks to more than {limit} in all; refused before unpacking it\n  help: if you trust it, raise `import_max_total_mb` in the config file"
    )]
    TotalTooLarge { origin: String, limit: Size },
    #[error(
        "{origin}: is a zip archive without an Anki collection in it (no collection.anki21b, collection.anki21 or collection.anki2)\n  help: export the deck from Anki again, as \"Anki Deck Package (*.apkg)\""
    )]
    NoCollection { origin: String },
    #[error(
        "{origin}: is an Anki package of version {version}, newer than recall reads (1 to 3)\n  help: in Anki's export dialog, tick \"Support older Anki versions\" and export again"
    )]
    UnknownVersion { origin: String, version: i32 },
    #[error(
        "{origin}: holds an Anki collection of schema {version}, which recall does not read (it reads 11 and 15 to 18)\n  help: in Anki's export dialog, tick \"Support older Anki versions\" and export again"
    )]
    UnknownSchema { origin: String, version: i64 },
    #[error(
        "{origin}: the collection in it is a damaged SQLite database ({detail})\n  help: in Anki, run Tools > Check Database, then export again"
    )]
    Corrupt { origin: String, detail: String },
    #[error(
        "{origin}: the package's {what} cannot be read ({detail})\n  help: export the package from Anki again"
    )]
    Malformed {
        origin: String,
        what: &'static str,
        detail: String,
    },
}

/// A name from a package, safe to print: control characters (which could
/// move the cursor or change colours in a terminal) are shown as `\u{..}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printable(pub String);

impl Printable {
    pub fn new(name: &str) -> Printable {
        Printable(strip_controls(name))
    }
}

impl fmt::Display for Printable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `text` with every control character written as an escape.
pub fn strip_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A size in bytes, printed as people read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MIB: u64 = 1024 * 1024;
        if self.0 >= MIB {
            write!(f, "{} MiB", self.0 / MIB)
        } else {
            write!(f, "{} bytes", self.0)
        }
    }
}

/// Where a package's media file goes: `<media dir>/<deck id>/<name>`.
pub fn media_path(media_dir: &Path, deck: &crate::deck::DeckId, name: &str) -> PathBuf {
    media_dir.join(deck.as_str()).join(name)
}
