//! What the in-process app tests share: a fixed clock and the paths of a
//! temporary data dir.

#![allow(dead_code)] // each test file uses part of this

use chrono::{DateTime, TimeDelta, Utc};
use recall::paths::Paths;
use tempfile::TempDir;

/// `seconds` after 2026-11-25 09:30 UTC, the tests' "now".
pub fn at(seconds: i64) -> DateTime<Utc> {
    "2026-11-25T09:30:00Z"
        .parse::<DateTime<Utc>>()
        .expect("a valid time")
        + TimeDelta::seconds(seconds)
}

/// The data dir `data`, its config file, and the device `test`.
pub fn paths(data: &TempDir) -> Paths {
    Paths {
        data_dir: data.path().to_path_buf(),
        config_file: data.path().join("config.toml"),
        device: Some("test".to_owned()),
    }
}
