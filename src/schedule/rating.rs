//! The learner's answer to a card: [`Rating`].

use std::fmt;

/// How well the learner recalled a card, as graded on the study screen.
///
/// The numeric values (1..=4) are the ones FSRS, Anki and py-fsrs use, so they
/// are safe to store in a review log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rating {
    /// Forgot the card.
    Again = 1,
    /// Recalled it, with serious difficulty.
    Hard = 2,
    /// Recalled it after some hesitation.
    Good = 3,
    /// Recalled it effortlessly.
    Easy = 4,
}

impl Rating {
    /// All ratings, worst to best (the order of the grade keys).
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The rating's number: Again = 1, Hard = 2, Good = 3, Easy = 4.
    #[must_use]
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// The rating's name, as shown to the learner ("Again", "Hard", ...).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }

    /// The rating as the FSRS formulas use it (G in the papers).
    pub(crate) const fn grade(self) -> f64 {
        self as u8 as f64
    }

    /// Index into arrays ordered like [`Rating::ALL`].
    pub(crate) const fn index(self) -> usize {
        self as usize - 1
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// A number that is not a rating (ratings are 1..=4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not {0}")]
pub struct InvalidRating(pub u8);

impl TryFrom<u8> for Rating {
    type Error = InvalidRating;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        match value {
            1 => Ok(Rating::Again),
            2 => Ok(Rating::Hard),
            3 => Ok(Rating::Good),
            4 => Ok(Rating::Easy),
            other => Err(InvalidRating(other)),
        }
    }
}

impl From<Rating> for u8 {
    fn from(rating: Rating) -> u8 {
        rating.as_u8()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_others_are_rejected() {
        for rating in Rating::ALL {
            assert_eq!(Rating::try_from(rating.as_u8()), Ok(rating));
            assert_eq!(Rating::ALL[rating.index()], rating);
        }
        assert_eq!(Rating::try_from(0), Err(InvalidRating(0)));
        assert_eq!(Rating::try_from(5), Err(InvalidRating(5)));
        assert_eq!(
            InvalidRating(7).to_string(),
            "rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not 7"
        );
    }

    #[test]
    fn displays_names_in_grade_order() {
        let names: Vec<String> = Rating::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["Again", "Hard", "Good", "Easy"]);
        assert_eq!(format!("{:>6}", Rating::Good), "  Good");
    }
}
