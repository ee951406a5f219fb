//! Study sessions: which cards are due, in what order (study/queue), the
//! session state machine (study/session), and custom study (study/custom).
//! Pure: the clock, the review sink and the decks are passed in.

pub mod custom;
pub mod queue;
pub mod session;
