//! Training items from hand-built histories, one rule at a time: the last
//! learning run starts the history, same-day reviews are history but never
//! targets, and days turn at `day_starts_at`.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::FixedOffset;
use fsrs::{FSRSItem, FSRSReview};
use recall::optimize::{CardReview, card_items, training_set};
use recall::schedule::{Rating, Settings};
use recall::store::config::DeckSettings;
use recall::store::{CardEvent, EventLog, ReviewLog};

fn review(day: i64, rating: u8, learning: bool) -> CardReview {
    CardReview {
        day,
        rating: Rating::try_from(rating).unwrap(),
        learning,
    }
}

fn item(reviews: &[(u32, u32)]) -> FSRSItem {
    FSRSItem {
        reviews: reviews
            .iter()
            .map(|&(rating, delta_t)| FSRSReview { rating, delta_t })
            .collect(),
    }
}

#[test]
fn each_review_a_day_or_more_after_the_last_is_one_item_with_all_before_it() {
    let reviews = [
        review(0, 3, true),
        review(0, 3, true),
        review(2, 3, false),
        review(7, 1, false),
        review(8, 3, false),
    ];
    let found = card_items(&reviews).unwrap();
    assert_eq!(found.first, 0);
    assert_eq!(
        found.items,
        [
            (2, item(&[(3, 0), (3, 0), (3, 2)])),
            (3, item(&[(3, 0), (3, 0), (3, 2), (1, 5)])),
            (4, item(&[(3, 0), (3, 0), (3, 2), (1, 5), (3, 1)])),
        ]
    );
}

#[test]
fn same_day_reviews_stay_in_the_history_but_are_never_targets() {
    let reviews = [
        review(0, 3, true),
        review(1, 1, false),
        // Relearning steps on the day of the lapse: history only.
        review(1, 1, false),
        review(1, 3, false),
        review(4, 3, false),
    ];
    let found = card_items(&reviews).unwrap();
    assert_eq!(
        found.items,
        [
            (1, item(&[(3, 0), (1, 1)])),
            (4, item(&[(3, 0), (1, 1), (1, 0), (3, 0), (3, 3)])),
        ]
    );
}

#[test]
fn the_history_starts_at_the_last_run_of_learning_reviews() {
    // A first life, then the card is forgotten and learnt again: only the
    // second life trains.
    let reviews = [
        review(0, 3, true),
        review(3, 3, false),
        review(10, 3, false),
        review(20, 2, true),
        review(20, 3, true),
        review(22, 3, false),
        review(30, 4, false),
    ];
    let found = card_items(&reviews).unwrap();
    assert_eq!(found.first, 3);
    assert_eq!(
        found.items,
        [
            (5, item(&[(2, 0), (3, 0), (3, 2)])),
            (6, item(&[(2, 0), (3, 0), (3, 2), (4, 8)])),
        ]
    );
}

#[test]
fn cards_without_learning_reviews_or_targets_give_nothing() {
    assert_eq!(card_items(&[]), None);
    assert_eq!(
        card_items(&[review(0, 3, false), review(5, 3, false)]),
        None
    );
    // Learnt today only: no review a day later yet.
    assert_eq!(card_items(&[review(0, 3, true), review(0, 3, true)]), None);
}

const LOG_HEADER: &str = "reviewed_at,deck,card,rating,duration_ms\n";

#[test]
fn days_turn_at_day_starts_at_in_the_users_zone() {
    // UTC+2, days start at 04:00 local (02:00 UTC).
    let zone = FixedOffset::east_opt(2 * 3600).unwrap();
    let log = ReviewLog::parse(
        format!(
            "{LOG_HEADER}\
             2026-03-01T08:00:00.000Z,d,a,3,1000\n\
             2026-03-01T08:10:00.000Z,d,a,3,1000\n\
             2026-03-02T01:30:00.000Z,d,a,3,1000\n\
             2026-03-02T02:30:00.000Z,d,a,3,1000\n\
             2026-03-04T21:59:00.000Z,d,a,3,1000\n\
             2026-03-05T01:59:00.000Z,d,a,3,1000\n"
        )
        .as_bytes(),
    );
    let set = training_set(
        &log,
        &[],
        &DeckSettings::uniform(Settings::default()),
        &|_| true,
        4,
        &zone,
    );
    // 01:30 UTC on the 2nd is 03:30 local: still the study day of the 1st
    // (history, delta 0). 02:30 UTC is 04:30 local: the next day. 21:59 UTC
    // on the 4th is 23:59 local, and 01:59 UTC on the 5th is 03:59 local,
    // both the study day of the 4th.
    assert_eq!(
        set.items,
        [
            item(&[(3, 0), (3, 0), (3, 0), (3, 1)]),
            item(&[(3, 0), (3, 0), (3, 0), (3, 1), (3, 2)]),
        ]
    );
    assert_eq!((set.reviews, set.cards, set.log_reviews), (6, 1, 6));
}

#[test]
fn a_forget_restarts_the_history_and_items_come_in_time_order() {
    let log = ReviewLog::parse(
        format!(
            "{LOG_HEADER}\
             2026-03-01T10:00:00.000Z,d,a,3,1000\n\
             2026-03-01T10:00:00.000Z,d,b,4,1000\n\
             2026-03-03T10:00:00.000Z,d,a,3,1000\n\
             2026-03-05T10:00:00.000Z,d,b,3,1000\n\
             2026-03-10T10:00:00.000Z,d,a,3,1000\n\
             2026-03-11T10:00:00.000Z,d,a,1,1000\n\
             2026-03-13T10:00:00.000Z,d,a,3,1000\n\
             2026-03-20T10:00:00.000Z,e,x,3,1000\n\
             2026-03-25T10:00:00.000Z,e,x,3,1000\n"
        )
        .as_bytes(),
    );
    let events = EventLog::parse(b"at,deck,card,event\n2026-03-10T12:00:00.000Z,d,a,forget\n");
    let events: Vec<CardEvent> = events.events;
    let set = training_set(
        &log,
        &events,
        &DeckSettings::uniform(Settings::default()),
        &|key| key.deck.as_str() == "d",
        4,
        &chrono::Utc,
    );
    assert_eq!(
        set.items,
        [
            // b (Easy graduates it at once)
            item(&[(4, 0), (3, 4)]),
            // a: its first life (learnt on the 1st and 3rd, reviewed on the
            // 10th) ended with the forget; learnt again on the 11th.
            item(&[(1, 0), (3, 2)]),
        ]
    );
    assert_ne!(set.card_ids[0], set.card_ids[1]);
    // a's reviews from its second life, and b's; e/x is left out.
    assert_eq!((set.reviews, set.cards, set.log_reviews), (4, 2, 7));
}
