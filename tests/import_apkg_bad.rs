//! Hostile and broken Anki packages, one test each: a clear message naming
//! the file, exit status 1 (never a panic), and nothing written to the data
//! directory.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;
use zip::write::SimpleFileOptions;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/apkg")
        .join(name)
}

/// Every entry of a fixture package, in order.
fn entries(name: &str) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(fixture(name)).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (
                String::from_utf8_lossy(entry.name_raw()).into_owned(),
                bytes,
            )
        })
        .collect()
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// Imports `file` into a fresh data dir (with `config` as its config file)
/// and returns the error message, checking that it failed cleanly and wrote
/// nothing.
fn refused(file: &Path, config: &str) -> String {
    let data = TempDir::new().unwrap();
    let config_path = data.path().join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    let output = Command::cargo_bin("recall")
        .unwrap()
        .env("RECALL_DATA_DIR", data.path().join("data"))
        .env("RECALL_CONFIG", &config_path)
        .arg("import")
        .arg(file)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(data.path().join("data"))
        .map(|dir| dir.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "wrote {left:?}");
    stderr
}

#[test]
fn not_a_zip() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("notes.apkg");
    std::fs::write(&file, "Front\tBack\n").unwrap();
    let error = refused(&file, "");
    assert!(
        error.contains("notes.apkg: is not an Anki package: it is not a zip archive"),
        "{error}"
    );
}

#[test]
fn truncated_zip() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("cut.apkg");
    let bytes = std::fs::read(fixture("current.apkg")).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let error = refused(&file, "");
    assert!(
        error.contains("cut.apkg: is a damaged or truncated zip archive"),
        "{error}"
    );
}

#[test]
fn zip_slip_names() {
    for evil in [
        "../evil.sh",
        "/etc/cron.d/x",
        "a/b",
        "C:x",
        "dot\u{1b}[2J.png",
    ] {
        let dir = TempDir::new().unwrap();
        let file = dir.path().join("slip.apkg");
        let mut all = entries("legacy.apkg");
        all.push((evil.to_owned(), b"#!/bin/sh\n".to_vec()));
        write_zip(&file, &all);
        let error = refused(&file, "");
        assert!(
            error.contains("which is not a plain file name; the package is refused"),
            "{evil}: {error}"
        );
        assert!(
            !error.contains('\u{1b}'),
            "control characters are not printed"
        );
    }
    // A media map that names a file outside the media directory.
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("slip.apkg");
    let all: Vec<(String, Vec<u8>)> = entries("legacy.apkg")
        .into_iter()
        .map(|(name, bytes)| match name.as_str() {
            "media" => (name, br#"{"0": "../../.bashrc"}"#.to_vec()),
            _ => (name, bytes),
        })
        .collect();
    write_zip(&file, &all);
    let error = refused(&file, "");
    assert!(
        error.contains("\"../../.bashrc\", which is not a plain file name"),
        "{error}"
    );
}

#[test]
fn zip_bomb() {
    // 64 MiB of zeros deflate to a few dozen KiB; the cap is 8 MiB. The
    // sizes the zip declares are refused before anything is inflated.
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("bomb.apkg");
    let mut all = entries("legacy.apkg");
    all.push(("2".to_owned(), vec![0u8; 64 * 1024 * 1024]));
    write_zip(&file, &all);
    assert!(std::fs::metadata(&file).unwrap().len() < 1024 * 1024);
    let error = refused(&file, "import_max_file_mb = 8\n");
    assert!(
        error.contains("bomb.apkg: \"2\" unpacks to more than 8 MiB; the package is refused before unpacking it"),
        "{error}"
    );
    // With a large enough per-file cap, the total cap refuses it.
    let error = refused(
        &file,
        "import_max_file_mb = 100\nimport_max_total_mb = 16\n",
    );
    assert!(
        error.contains("the package unpacks to more than 16 MiB in all"),
        "{error}"
    );
}

#[test]
fn zstd_bomb() {
    // A current package whose zstd collection inflates to 64 MiB, both with
    // its size in the frame header and streamed without it.
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let declared = zstd::bulk::compress(&zeros, 3).unwrap();
    let mut streamed = Vec::new();
    {
        let mut encoder = zstd::stream::write::Encoder::new(&mut streamed, 3).unwrap();
        encoder.include_contentsize(false).unwrap();
        encoder.write_all(&zeros).unwrap();
        encoder.finish().unwrap();
    }
    for bomb in [declared, streamed] {
        assert!(bomb.len() < 1024 * 1024);
        let dir = TempDir::new().unwrap();
        let file = dir.path().join("zbomb.apkg");
        let all: Vec<(String, Vec<u8>)> = entries("current.apkg")
            .into_iter()
            .map(|(name, bytes)| match name.as_str() {
                "collection.anki21b" => (name, bomb.clone()),
                _ => (name, bytes),
            })
            .collect();
        write_zip(&file, &all);
        let error = refused(&file, "import_max_file_mb = 8\n");
        assert!(
            error.contains("\"collection.anki21b\" unpacks to more than 8 MiB"),
            "{error}"
        );
    }
}

#[test]
fn corrupt_sqlite() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("corrupt.apkg");
    let all: Vec<(String, Vec<u8>)> = entries("legacy.apkg")
        .into_iter()
        .map(|(name, mut bytes)| {
            if name == "collection.anki21" {
                // Keep the header page; scribble over every page after it.
                for (i, byte) in bytes.iter_mut().enumerate().skip(4096) {
                    *byte = (i % 251) as u8;
                }
            }
            (name, bytes)
        })
        .collect();
    write_zip(&file, &all);
    let error = refused(&file, "");
    assert!(
        error.contains("corrupt.apkg: the collection in it is a damaged SQLite database"),
        "{error}"
    );
    assert!(error.contains("Check Database"), "{error}");
}

#[test]
fn no_collection() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("empty.apkg");
    write_zip(&file, &[("media".to_owned(), b"{}".to_vec())]);
    let error = refused(&file, "");
    assert!(
        error.contains("empty.apkg: is a zip archive without an Anki collection in it"),
        "{error}"
    );
}

#[test]
fn unknown_future_schema() {
    // The collection says schema 99.
    let dir = TempDir::new().unwrap();
    let db_path = dir.path().join("c.anki21");
    let original = entries("legacy.apkg");
    let collection = &original
        .iter()
        .find(|(name, _)| name == "collection.anki21")
        .unwrap()
        .1;
    std::fs::write(&db_path, collection).unwrap();
    let db = rusqlite::Connection::open(&db_path).unwrap();
    db.execute("UPDATE col SET ver = 99", []).unwrap();
    drop(db);
    let patched = std::fs::read(&db_path).unwrap();
    let file = dir.path().join("future.apkg");
    let all: Vec<(String, Vec<u8>)> = original
        .iter()
        .map(|(name, bytes)| match name.as_str() {
            "collection.anki21" => (name.clone(), patched.clone()),
            _ => (name.clone(), bytes.clone()),
        })
        .collect();
    write_zip(&file, &all);
    let error = refused(&file, "");
    assert!(
        error.contains(
            "future.apkg: holds an Anki collection of schema 99, which recall does not read"
        ),
        "{error}"
    );

    // The package's meta says version 7.
    let file = dir.path().join("future-meta.apkg");
    let all: Vec<(String, Vec<u8>)> = original
        .into_iter()
        .map(|(name, bytes)| match name.as_str() {
            // Field 1 (varint) = 7.
            "meta" => (name, vec![0x08, 0x07]),
            _ => (name, bytes),
        })
        .collect();
    write_zip(&file, &all);
    let error = refused(&file, "");
    assert!(
        error
            .contains("future-meta.apkg: is an Anki package of version 7, newer than recall reads"),
        "{error}"
    );
}
