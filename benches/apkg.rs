//! Importing a generated Anki package of 50,000 notes (50,000 cards in 50
//! nested decks) and 500,000 revlog entries: reading and converting it in
//! the library, and the whole `recall import` command into an empty data
//! directory (which writes the decks and appends 500,000 review lines).
//!
//! With `RECALL_BENCH_APKG=PATH` the package is also left at PATH, to
//! measure peak memory by hand (docs/PERFORMANCE.md has the command).

use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use recall::import::apkg::{Limits, Package, collection, convert};

const NOTES: i64 = 50_000;
const REVIEWS_PER_CARD: i64 = 10;
const DECKS: i64 = 50;

/// A schema-11 collection (as "Support older Anki versions" exports it),
/// with the tables and columns recall reads.
fn generate_collection(path: &Path) {
    let db = rusqlite::Connection::open(path).expect("create collection");
    db.execute_batch(
        "CREATE TABLE col (id integer primary key, ver integer not null, models text not null, decks text not null);
         CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, tags text not null, flds text not null);
         CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, odid integer not null, ord integer not null, queue integer not null, mod integer not null);
         CREATE TABLE revlog (id integer primary key, cid integer not null, ease integer not null, factor integer not null, time integer not null, type integer not null);",
    )
    .expect("schema");
    let models = r#"{"1": {"id": 1, "name": "Basic", "type": 0, "originalStockKind": 1,
        "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
        "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}}", "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"}]}}"#;
    let decks: Vec<String> = (1..=DECKS)
        .map(|d| {
            format!(
                r#""{d}": {{"id": {d}, "name": "Generated::Part {:02}::Deck {d}"}}"#,
                d % 5
            )
        })
        .collect();
    db.execute(
        "INSERT INTO col VALUES (1, 11, ?1, ?2)",
        (models, format!("{{{}}}", decks.join(","))),
    )
    .expect("col");
    let tx = db.unchecked_transaction().expect("transaction");
    {
        let mut note = tx
            .prepare("INSERT INTO notes VALUES (?1, ?2, 1, ?3, ?4)")
            .expect("notes");
        let mut card = tx
            .prepare("INSERT INTO cards VALUES (?1, ?2, ?3, 0, 0, 0, 1700000000)")
            .expect("cards");
        let mut revlog = tx
            .prepare("INSERT INTO revlog VALUES (?1, ?2, ?3, 2500, 6000, ?4)")
            .expect("revlog");
        let start: i64 = 1_700_000_000_000;
        for n in 0..NOTES {
            let fields = format!(
                "What does <b>service {n}</b> do?\u{1f}It handles requests of kind {n}<br><ul><li>see <code>api/{n}</code></li></ul>"
            );
            note.execute((
                n + 1,
                format!("g{n:06}"),
                format!(" t{} bulk ", n % 97),
                fields,
            ))
            .expect("note");
            card.execute((n + 1, n + 1, n % DECKS + 1)).expect("card");
            for r in 0..REVIEWS_PER_CARD {
                let at = start + (r * 86_400_000 * 3) + n * 10;
                let ease = if r % 7 == 3 { 1 } else { 3 };
                let kind = if r < 2 { 0 } else { 1 };
                revlog.execute((at, n + 1, ease, kind)).expect("revlog");
            }
        }
    }
    tx.commit().expect("commit");
}

/// The package: `meta` (version 2), `collection.anki21`, an empty media map.
fn generate_package(path: &Path) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("collection.anki21");
    generate_collection(&db);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("package"));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("meta", options).expect("meta");
    zip.write_all(&[0x08, 0x02]).expect("meta");
    zip.start_file("collection.anki21", options)
        .expect("collection");
    zip.write_all(&std::fs::read(&db).expect("read collection"))
        .expect("collection");
    zip.start_file("media", options).expect("media");
    zip.write_all(b"{}").expect("media");
    zip.finish().expect("zip");
}

fn library(c: &mut Criterion, package: &Path) {
    let mut group = c.benchmark_group("apkg");
    group.sample_size(10);
    group.bench_function("read_and_convert_50k_notes_500k_revlog", |b| {
        b.iter(|| {
            let package = Package::open(package, Limits::default()).expect("opens");
            let collection =
                collection::read(package.collection_path(), "generated").expect("reads");
            let imported = convert(&collection, &|_| false, &mut |_, _| {}).expect("converts");
            assert_eq!(imported.reviews.len() as i64, NOTES * REVIEWS_PER_CARD);
        });
    });
    group.finish();
}

fn run_import(data_dir: &Path, source: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_recall"))
        .arg("--data-dir")
        .arg(data_dir)
        .env("RECALL_CONFIG", data_dir.join("config.toml"))
        .arg("import")
        .arg(source)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("runs recall");
    assert!(status.success());
}

fn command(c: &mut Criterion, package: &Path) {
    let mut group = c.benchmark_group("apkg");
    group.sample_size(10);
    group.bench_function("command_50k_notes_500k_revlog_new", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("data dir"),
            |data| run_import(data.path(), package),
            criterion::BatchSize::PerIteration,
        );
    });
    let data = tempfile::tempdir().expect("data dir");
    run_import(data.path(), package);
    group.bench_function("command_50k_notes_500k_revlog_reimport", |b| {
        b.iter(|| run_import(data.path(), package));
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let package = match std::env::var_os("RECALL_BENCH_APKG") {
        Some(path) => std::path::PathBuf::from(path),
        None => dir.path().join("generated.apkg"),
    };
    generate_package(&package);
    library(c, &package);
    command(c, &package);
}

criterion_group!(apkg_benches, benches);
criterion_main!(apkg_benches);
