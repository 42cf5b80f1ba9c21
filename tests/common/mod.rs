//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod fault_proxy;
pub mod rendered;
pub mod hub;
pub mod webdriver;

use std::{fs, path::Path};

use chrono::{DateTime, NaiveDateTime};
use gongkai::content::{build::BuildOptions, check::CheckOptions};

pub const MINIMAL_BUNDLE: &str = "tests/fixtures/minimal-bundle";
pub const DEMO_BUNDLE: &str = "assets/demo";

/// The fixed clock of the corpus: expected messages name dates relative to it.
pub fn fixed_options() -> CheckOptions {
    let now: NaiveDateTime = "2026-11-22T12:00:00".parse().unwrap();
    CheckOptions { now }
}

pub fn fixed_build_options() -> BuildOptions {
    BuildOptions {
        bundle_version: Some(1),
        created_at: DateTime::parse_from_rfc3339("2026-11-22T04:00:00Z").unwrap().to_utc(),
        check: fixed_options(),
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
