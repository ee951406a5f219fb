//! Study sessions: which cards are due, in what order, and the session
//! state machine. Pure: the clock, the review sink and the decks are passed in.

pub mod queue;
pub mod session;
