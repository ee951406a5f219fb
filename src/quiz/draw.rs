//! Drawing a quiz: which cards are asked, and the options of a
//! multiple-choice question. Every random choice comes from the generator
//! passed in, so a seeded one gives the same cards, in the same order, with
//! the same options in the same order.

use std::collections::HashMap;

use rand::Rng;
use rand::seq::SliceRandom;

use crate::deck::{Card, CardId, CardKind, Deck};

/// How many options a multiple-choice question shows.
pub const OPTIONS: usize = 4;

/// What two answers are compared by: their words. Answers that differ only
/// in spacing or line breaks read the same, so they count as one answer.
pub fn answer_key(back: &str) -> String {
    back.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How many different answers a deck has. Choice mode needs [`OPTIONS`].
pub fn distinct_answers(deck: &Deck) -> usize {
    let mut keys: Vec<String> = deck.cards().iter().map(|c| answer_key(&c.answer)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

/// `count` different items of `pool` in random order, or all of them
/// (shuffled) if the pool is smaller.
pub fn draw<T: Clone>(pool: &[T], count: usize, rng: &mut impl Rng) -> Vec<T> {
    let mut drawn = pool.to_vec();
    drawn.shuffle(rng);
    drawn.truncate(count);
    drawn
}

/// The options of one multiple-choice question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The answers in the order shown (labelled 1 to 4).
    pub texts: Vec<String>,
    /// The card each answer was taken from; the right one is the question's.
    pub cards: Vec<CardId>,
    /// Which of `texts` is the right answer.
    pub right: usize,
}

/// An answer of another card, offered as a wrong option.
struct Distractor<'a> {
    text: &'a str,
    card: &'a CardId,
    /// Whether some card with this answer shares a tag with the question.
    shares_tag: bool,
    /// Whether some card with this answer is of the question's kind (cloze
    /// or not).
    same_kind: bool,
}

/// The options for a question about `card` of `deck`: its own answer and
/// [`OPTIONS`]` - 1` answers of other cards of the deck, shuffled.
///
/// The options are the cards' answers alone ([`Card::answer`]): the back,
/// the front of a reversed card, the hidden text of a cloze card. Wrong
/// options come from cards of the same kind first (a cloze card's from other
/// deletions of the deck, a basic card's from other basic answers), those
/// sharing a tag with `card` before the rest, each group in random order;
/// never from `card`'s siblings, whose answers a cloze question shows. An answer is offered at most
/// once, and never one that reads like the right answer (see
/// [`answer_key`]), so the right answer cannot show twice. `None` if the
/// deck has too few different answers.
pub fn options(card: &Card, deck: &Deck, rng: &mut impl Rng) -> Option<Options> {
    let right_key = answer_key(&card.answer);
    let cloze = matches!(card.kind, CardKind::Cloze(_));
    let mut distractors: Vec<Distractor> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // In deck order, so the groups (and thus the draw) depend only on the seed.
    for other in deck.cards() {
        let key = answer_key(&other.answer);
        if other.note == card.note || key == right_key {
            continue;
        }
        let shares_tag = other.tags.iter().any(|tag| card.tags.contains(tag));
        let same_kind = matches!(other.kind, CardKind::Cloze(_)) == cloze;
        match by_key.get(&key) {
            Some(&index) => {
                let distractor = &mut distractors[index];
                distractor.shares_tag |= shares_tag;
                distractor.same_kind |= same_kind;
            }
            None => {
                by_key.insert(key, distractors.len());
                distractors.push(Distractor {
                    text: &other.answer,
                    card: &other.id,
                    shares_tag,
                    same_kind,
                });
            }
        }
    }
    if distractors.len() < OPTIONS - 1 {
        return None;
    }
    let (same, other_kind): (Vec<Distractor>, Vec<Distractor>) =
        distractors.into_iter().partition(|d| d.same_kind);
    let (mut sharing, mut others): (Vec<Distractor>, Vec<Distractor>) =
        same.into_iter().partition(|d| d.shares_tag);
    let mut other_kind = other_kind;
    sharing.shuffle(rng);
    others.shuffle(rng);
    other_kind.shuffle(rng);
    let mut chosen: Vec<(&str, &CardId)> = sharing
        .iter()
        .chain(&others)
        .chain(&other_kind)
        .take(OPTIONS - 1)
        .map(|d| (d.text, d.card))
        .collect();
    chosen.push((&card.answer, &card.id));
    chosen.shuffle(rng);
    let right = chosen
        .iter()
        .position(|(_, id)| *id == &card.id)
        .unwrap_or_else(|| unreachable!("the right answer was just added"));
    Some(Options {
        texts: chosen.iter().map(|(text, _)| (*text).to_owned()).collect(),
        cards: chosen.iter().map(|(_, id)| (*id).clone()).collect(),
        right,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_that_differ_only_in_spacing_are_the_same() {
        assert_eq!(answer_key("- a\n- b "), answer_key("- a  - b"));
        assert_ne!(answer_key("a b"), answer_key("ab"));
    }
}
