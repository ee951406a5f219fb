//! recall: spaced-repetition flashcards in the terminal.
//!
//! The library holds everything; `main.rs` only parses the command line and
//! dispatches. Domain modules (`deck`, `schedule`, `store`, `study`, `quiz`)
//! never touch the terminal; `ui` renders their state and `app` runs the loop.

pub mod app;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod day;
pub mod deck;
pub mod exact_vec;
pub mod format;
pub mod import;
pub mod markup;
pub mod optimize;
pub mod paths;
pub mod phases;
pub mod quiz;
pub mod read_file;
pub mod safe_text;
pub mod schedule;
pub mod search;
pub mod stats;
pub mod store;
pub mod study;
pub mod sync;
pub mod table;
pub mod ui;
