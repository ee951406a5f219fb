//! The review log in memory, for session and quiz tests; can be told to
//! fail, as a full disk would.

use recall::store::Review;
use recall::store::log::LogError;
use recall::study::session::ReviewSink;

#[derive(Default)]
pub struct MemoryLog {
    pub reviews: Vec<Review>,
    pub fail: bool,
}

impl ReviewSink for MemoryLog {
    fn record(&mut self, review: &Review) -> Result<(), LogError> {
        if self.fail {
            return Err(LogError::Io {
                path: "reviews.csv".into(),
                source: std::io::Error::other("disk full"),
            });
        }
        self.reviews.push(review.clone());
        Ok(())
    }

    fn undo_last(&mut self) -> Result<bool, LogError> {
        Ok(self.reviews.pop().is_some())
    }
}
