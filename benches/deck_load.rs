//! Loading and validating a generated 100,000-card deck (about 15 MB), and
//! what `recall check` does with it (the same, plus the card text lint).

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "support/generate.rs"]
mod generate;

fn load_100k_cards(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("generated.toml");
    let text = generate::deck_toml(100_000);
    std::fs::write(&path, &text).expect("write deck");
    let mut group = c.benchmark_group("deck");
    group.sample_size(10);
    group.bench_function("load_100k_cards", |b| {
        b.iter(|| {
            let deck = recall::deck::catalog::load_file(&path).expect("valid deck");
            assert_eq!(deck.cards().len(), 100_000);
        });
    });
    group.bench_function("check_100k_cards", |b| {
        b.iter(|| {
            let (deck, _warnings) = recall::deck::catalog::check_file(&path).expect("valid deck");
            assert_eq!(deck.cards().len(), 100_000);
        });
    });
    group.finish();
}

criterion_group!(benches, load_100k_cards);
criterion_main!(benches);
