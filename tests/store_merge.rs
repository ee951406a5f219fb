//! Several devices' review logs merge into one history: the same set of
//! logs gives the same card states whatever the file order and however the
//! reviews were spread over the files; a line copied twice counts once; a
//! device's log changes only the cards it reviewed.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use recall::day::StudyDay;
use recall::deck::{CardId, CardKey, DeckId};
use recall::schedule::{Rating, Settings};
use recall::store::log::HEADER;
use recall::store::{Progress, Review, ReviewLog};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()
}

fn key(card: usize) -> CardKey {
    CardKey::new(
        DeckId::new("geo").unwrap(),
        CardId::new(format!("c{card}")).unwrap(),
    )
}

/// A review of card `card` at `minutes` after the start.
fn review(card: usize, minutes: i64, rating: u8) -> Review {
    Review::new(
        start() + Duration::minutes(minutes),
        key(card),
        Rating::try_from(rating).unwrap(),
        1_000,
    )
}

/// A log file's bytes holding `reviews` in the given order.
fn file(reviews: &[&Review]) -> Vec<u8> {
    let mut text = format!("{HEADER}\n");
    for review in reviews {
        text.push_str(&review.to_line());
    }
    text.into_bytes()
}

fn merge(files: &[Vec<u8>]) -> ReviewLog {
    ReviewLog::merge(files.iter().map(|f| ReviewLog::parse(f)).collect())
}

/// Every card's state after replaying `log`, as text (states compare exactly).
fn states(log: &ReviewLog, cards: usize) -> Vec<String> {
    let now = start() + Duration::days(400);
    let day = StudyDay::containing(now, 4, &Utc);
    let progress = Progress::replay(log, &Settings::default(), &day);
    (0..cards)
        .map(|card| format!("{:?}", progress.card(&key(card))))
        .collect()
}

/// Reviews as (card, minutes, rating); minutes may repeat (ties in time).
fn reviews_strategy() -> impl Strategy<Value = Vec<(usize, i64, u8)>> {
    prop::collection::vec((0usize..6, 0i64..20_000, 1u8..=4), 1..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// However the reviews are dealt to up to four devices, in any order of
    /// files and of lines within them, the merge is the same.
    #[test]
    fn any_split_and_order_of_device_logs_gives_the_same_states(
        reviews in reviews_strategy(),
        devices in prop::collection::vec(0usize..4, 40),
        order in Just(()).prop_perturb(|_, mut rng| {
            let mut files: Vec<usize> = (0..4).collect();
            for i in (1..files.len()).rev() {
                files.swap(i, rng.random_range(0..=i));
            }
            files
        }),
    ) {
        let reviews: Vec<Review> = reviews
            .iter()
            .map(|&(card, minutes, rating)| review(card, minutes, rating))
            .collect();
        let all: Vec<&Review> = reviews.iter().collect();
        let single = merge(&[file(&all)]);

        let mut split: Vec<Vec<&Review>> = vec![Vec::new(); 4];
        for (i, review) in reviews.iter().enumerate() {
            split[devices[i]].push(review);
        }
        // Each device's file in time order, as a device writes it; then the
        // files in a random order.
        for lines in &mut split {
            lines.sort_by_key(|r| r.reviewed_at);
        }
        let files: Vec<Vec<u8>> = order.iter().map(|&d| file(&split[d])).collect();
        let merged = merge(&files);

        prop_assert_eq!(merged.entries().len(), single.entries().len());
        prop_assert_eq!(states(&merged, 6), states(&single, 6));
        let reversed: Vec<Vec<u8>> = files.iter().rev().cloned().collect();
        prop_assert_eq!(states(&merge(&reversed), 6), states(&merged, 6));
    }

    /// A line present in two files (copied by hand, or both halves of a
    /// sync conflict kept) counts once.
    #[test]
    fn a_duplicated_line_counts_once(
        reviews in reviews_strategy(),
        copied in prop::collection::vec(any::<bool>(), 40),
    ) {
        let reviews: Vec<Review> = reviews
            .iter()
            .map(|&(card, minutes, rating)| review(card, minutes, rating))
            .collect();
        let mut all: Vec<&Review> = reviews.iter().collect();
        all.sort_by_key(|r| r.reviewed_at);
        all.dedup_by(|a, b| a == b);
        let copies: Vec<&Review> = all
            .iter()
            .zip(&copied)
            .filter(|(_, copy)| **copy)
            .map(|(r, _)| *r)
            .collect();
        let once = merge(&[file(&all)]);
        let twice = merge(&[file(&all), file(&copies)]);
        prop_assert_eq!(twice.entries().len(), all.len());
        prop_assert_eq!(states(&twice, 6), states(&once, 6));
    }

    /// Adding a device's log never changes a card that log does not review.
    #[test]
    fn another_device_changes_only_the_cards_it_reviewed(
        mine in reviews_strategy(),
        theirs in prop::collection::vec((3usize..6, 0i64..20_000, 1u8..=4), 1..20),
    ) {
        // Their device reviews only cards 3 to 5.
        let mine: Vec<Review> = mine
            .iter()
            .map(|&(card, minutes, rating)| review(card, minutes, rating))
            .collect();
        let theirs: Vec<Review> = theirs
            .iter()
            .map(|&(card, minutes, rating)| review(card, minutes, rating))
            .collect();
        let mut mine_sorted: Vec<&Review> = mine.iter().collect();
        mine_sorted.sort_by_key(|r| r.reviewed_at);
        let mut theirs_sorted: Vec<&Review> = theirs.iter().collect();
        theirs_sorted.sort_by_key(|r| r.reviewed_at);
        let alone = states(&merge(&[file(&mine_sorted)]), 6);
        let together = states(&merge(&[file(&mine_sorted), file(&theirs_sorted)]), 6);
        prop_assert_eq!(&alone[..3], &together[..3]);
    }
}

#[test]
fn ties_in_time_are_broken_by_the_review_not_the_file() {
    // Two devices graded the same card in the same millisecond.
    let again = review(0, 5, 1);
    let easy = review(0, 5, 4);
    let a = merge(&[file(&[&again]), file(&[&easy])]);
    let b = merge(&[file(&[&easy]), file(&[&again])]);
    let order =
        |log: &ReviewLog| -> Vec<u8> { log.entries().iter().map(|e| e.rating.as_u8()).collect() };
    assert_eq!(order(&a), [1, 4], "rating breaks the tie, lowest first");
    assert_eq!(order(&a), order(&b));
    assert_eq!(states(&a, 1), states(&b, 1));
}

#[test]
fn merging_keeps_reviews_of_cards_in_no_deck() {
    // Orphans (a deck deleted on another machine) are kept, as in one log.
    let orphan = Review::new(
        start(),
        CardKey::new(DeckId::new("gone").unwrap(), CardId::new("x").unwrap()),
        Rating::Good,
        5,
    );
    let merged = merge(&[file(&[&review(0, 1, 3)]), file(&[&orphan])]);
    assert_eq!(merged.entries().len(), 2);
    assert_eq!(merged.reviews_of(&orphan.key), [orphan]);
}

/// Ids chosen to trip a text search: substrings of each other, and a card
/// id that looks like a rating.
const TRICKY_DECKS: [&str; 4] = ["a", "aa", "3", "a.b"];
const TRICKY_CARDS: [&str; 4] = ["3", "c", "a", "cc"];

fn tricky_key(deck: usize, card: usize) -> CardKey {
    CardKey::new(
        DeckId::new(TRICKY_DECKS[deck]).unwrap(),
        CardId::new(TRICKY_CARDS[card]).unwrap(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// `recall card` reads only the lines naming its card; it must find
    /// exactly the reviews a full read finds, in the same order, whatever
    /// the ids, the devices and the junk lines between.
    #[test]
    fn one_cards_reviews_read_alone_equal_those_of_the_whole_log(
        lines in prop::collection::vec(
            (0usize..4, 0usize..4, 0i64..5_000, 1u8..=4, 0usize..3, 0u8..8),
            1..60,
        ),
    ) {
        let data = tempfile::TempDir::new().unwrap();
        let mut files = vec![format!("{HEADER}\n"); 3];
        for (deck, card, minutes, rating, device, junk) in &lines {
            let review = Review::new(
                start() + Duration::minutes(*minutes),
                tricky_key(*deck, *card),
                Rating::try_from(*rating).unwrap(),
                1_000,
            );
            files[*device].push_str(&review.to_line());
            if *junk == 0 {
                // A torn or foreign line that names a card too.
                files[*device].push_str(&format!(",{},{},9\n", TRICKY_DECKS[*deck], TRICKY_CARDS[*card]));
            }
        }
        for (device, text) in files.iter().enumerate() {
            let dir = data.path().join(format!("log/dev{device}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("reviews.csv"), text).unwrap();
        }
        let whole = recall::store::load_reviews(data.path(), &mut |_, _| {}).unwrap();
        for deck in 0..4 {
            for card in 0..4 {
                let key = tricky_key(deck, card);
                let alone = recall::store::load_reviews_of(data.path(), &key).unwrap();
                prop_assert_eq!(&alone, &whole.reviews_of(&key), "{:?}", key);
            }
        }
    }
}
