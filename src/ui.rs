//! Rendering: each screen's state drawn with ratatui, into any buffer, so
//! tests render into `TestBackend`. Nothing here reads keys or the clock.

pub mod browser;
pub mod chrome;
pub mod custom;
pub mod edit;
pub mod help;
pub mod highlight;
pub mod home;
pub mod images;
pub mod loading;
pub mod quiz;
pub mod stats;
pub mod study;
pub mod text;
pub mod theme;

pub use theme::Theme;
