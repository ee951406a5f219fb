//! Importing a generated 100,000-row Anki text file (about 13 MB): reading
//! it in memory, and the whole `recall import` command, new and re-import.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use recall::import::{Format, ReadOptions, read};

const ROWS: usize = 100_000;

/// Rows as Anki exports them: guid, note type, deck, HTML front and back,
/// tags.
fn anki_text(rows: usize) -> String {
    let mut text = String::with_capacity(rows * 140);
    text.push_str("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n");
    for i in 0..rows {
        let _ = writeln!(
            text,
            "g{i:06}\tBasic\tGenerated::Services\tWhat does <b>service {i}</b> do?\t\
             It handles requests of kind {i}<br><ul><li>see <code>api/{i}</code></li></ul>\tt{} services",
            i % 97
        );
    }
    text
}

fn read_100k_rows(c: &mut Criterion) {
    let text = anki_text(ROWS);
    let options = ReadOptions {
        format: Format::Csv,
        deck_id: None,
        name: None,
    };
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("read_100k_rows", |b| {
        b.iter(|| {
            let imported =
                read(text.as_bytes(), "generated", "generated", &options).expect("reads");
            assert_eq!(imported.decks[0].cards().len(), ROWS);
        });
    });
    group.finish();
}

fn run_import(data_dir: &Path, source: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_recall"))
        .arg("--data-dir")
        .arg(data_dir)
        .arg("import")
        .arg(source)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("runs recall");
    assert!(status.success());
}

fn command_100k_rows(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("generated.txt");
    std::fs::write(&source, anki_text(ROWS)).expect("write source");
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("command_100k_rows_new", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("data dir"),
            |data| run_import(data.path(), &source),
            criterion::BatchSize::PerIteration,
        );
    });
    let data = tempfile::tempdir().expect("data dir");
    run_import(data.path(), &source);
    group.bench_function("command_100k_rows_reimport", |b| {
        b.iter(|| run_import(data.path(), &source));
    });
    group.finish();
}

criterion_group!(benches, read_100k_rows, command_100k_rows);
criterion_main!(benches);
