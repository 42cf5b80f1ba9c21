//! What the integration tests of the workspace's crates share: the fixture bundles, the
//! fixed clock of the checker corpus, a real hub process and a plain HTTP client for it, and
//! the benchmarks' budget verdicts, a real X server to run the kiosk binary on, and real
//! handwritten strokes.

pub mod budget;
pub mod hub;
pub mod picture;
pub mod stroke_data;
pub mod x_display;

use std::{
    fs,
    path::{Path, PathBuf},
};

use chrono::{DateTime, NaiveDateTime};
use gongkai_core::{
    content::{build::BuildOptions, check::CheckOptions},
    wall::PageConfig,
};

/// The smallest valid bundle, in the workspace's `tests/fixtures`.
pub const MINIMAL_BUNDLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/minimal-bundle");
/// The built-in demo content.
pub const DEMO_BUNDLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/demo");

/// A binary of the workspace (`gongkai`, `gongkai-hub`), from the target folder that holds
/// the running test. Cargo builds a package's binaries for its own integration tests;
/// `cargo test --workspace` builds them all before any test runs.
pub fn workspace_binary(name: &str) -> PathBuf {
    let test = std::env::current_exe().expect("the test's own path");
    // target/PROFILE/deps/TEST → target/PROFILE/NAME
    let binary = test.parent().and_then(Path::parent).expect("a test inside target/PROFILE/deps").join(name);
    assert!(binary.is_file(), "{} is not built: run `cargo test --workspace` or `cargo build -p {name}`", binary.display());
    binary
}

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

/// Puts every wall page on at any hour and day, each `seconds` long, so a test or bench sees
/// the whole playlist whatever the clock says.
pub fn wall_pages_always_on(pages: &mut [PageConfig], seconds: f32) {
    for page in pages {
        page.seconds = seconds;
        page.weekdays.clear();
        page.from = None;
        page.to = None;
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

/// A copy of a shipped kiosk config (`kiosk-config/…`, from the workspace root) with its
/// bundle made absolute and `edit` applied, in a folder that lives as long as the `TempDir`.
pub fn shipped_config(shipped: &str, edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let text = fs::read_to_string(shipped)
        .unwrap_or_else(|e| panic!("{shipped}: {e}"))
        .replace("bundle = \"../assets/demo\"", &format!("bundle = {DEMO_BUNDLE:?}"));
    let path = dir.path().join("kiosk.toml");
    fs::write(&path, edit(text)).expect("the config copy");
    (dir, path)
}

/// User and system CPU time of process `pid` so far (Linux clock ticks are 1/100 s).
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at ") ".
    let fields: Vec<f64> = stat.rsplit_once(") ").map_or("", |(_, rest)| rest).split_whitespace().map(|f| f.parse().unwrap_or(0.0)).collect();
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / 100.0
}
