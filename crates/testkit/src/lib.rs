//! What the integration tests of the workspace's crates share: the fixture bundles, the
//! fixed clock of the checker corpus, a real hub process and a plain HTTP client for it, and
//! the benchmarks' budget verdicts, a real X server to run the kiosk binary on, and real
//! handwritten strokes.

pub mod budget;
pub mod hub;
pub mod pdf;
pub mod picture;
pub mod stroke_data;
pub mod webdriver;
pub mod x_display;

use std::{
    fs,
    path::{Path, PathBuf},
};

use chrono::{DateTime, NaiveDateTime};
use ed25519_dalek::SigningKey;
use gongkai_core::{
    content::{build::{BuildOptions, build_bundle}, check::CheckOptions, synth::{SynthOptions, write_content}},
    signing::sign_bundle,
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

/// Bundle `version` of the minimal content, its source changed by `edit` first, built into
/// `work/bundle-VERSION` and signed with `key`.
pub fn signed_minimal_bundle(work: &Path, version: u64, key: &SigningKey, edit: impl FnOnce(&Path)) -> PathBuf {
    signed_minimal_bundle_with(work, &BuildOptions { bundle_version: Some(version), ..fixed_build_options() }, key, edit)
}

/// `signed_minimal_bundle` built with `options` (its version and its checker's clock).
pub fn signed_minimal_bundle_with(work: &Path, options: &BuildOptions, key: &SigningKey, edit: impl FnOnce(&Path)) -> PathBuf {
    let version = options.bundle_version.expect("a version");
    let source = work.join(format!("source-{version}"));
    copy_dir(Path::new(MINIMAL_BUNDLE), &source);
    edit(&source);
    let out = work.join(format!("bundle-{version}"));
    let built = build_bundle(&source, &out, options).unwrap();
    assert!(built.is_clean(), "{:?}", built.problems);
    sign_bundle(&out, key).unwrap();
    out
}

/// The minimal bundle `version`, built on today's clock, with an urgent notice current from
/// an hour ago for a day if `urgent`.
pub fn signed_bundle_on_today(work: &Path, version: u64, key: &SigningKey, urgent: bool) -> PathBuf {
    let now = chrono::Local::now().naive_local();
    let options = BuildOptions { bundle_version: Some(version), created_at: chrono::Utc::now(), check: CheckOptions::at_local_now() };
    signed_minimal_bundle_with(work, &options, key, |source| {
        if !urgent {
            return;
        }
        let at = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
        let notice = serde_json::json!({
            "id": "tz-urgent",
            "title": "暴雨红色预警：今日下午暂停户外办事",
            "body": "请市民减少外出，线上办理不受影响。",
            "issuer": "样例区政务服务中心",
            "level": "紧急",
            "published_at": at(now - chrono::Duration::hours(1)),
            "expires_at": at(now + chrono::Duration::days(1)),
        });
        let path = source.join("notices.json");
        let mut notices: Vec<serde_json::Value> = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        notices.push(notice);
        fs::write(&path, serde_json::to_string_pretty(&notices).unwrap()).unwrap();
    })
}

/// A checked bundle of `documents` synthetic documents (seed 1) built in `work/bundle`, as
/// version 1 of today, unsigned.
pub fn synthetic_bundle(work: &Path, documents: usize) -> PathBuf {
    let source = work.join("source");
    write_content(&source, &SynthOptions { documents, seed: 1 }).expect("synthesize");
    let bundle = work.join("bundle");
    let options = BuildOptions { bundle_version: Some(1), created_at: chrono::Utc::now(), check: CheckOptions::at_local_now() };
    assert!(build_bundle(&source, &bundle, &options).expect("build").is_clean());
    bundle
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

/// `shipped_config` showing the bundle in the folder `bundle`.
pub fn shipped_config_showing(shipped: &str, bundle: &Path) -> (tempfile::TempDir, PathBuf) {
    shipped_config(shipped, |text| {
        let lines: Vec<String> =
            text.lines().map(|line| if line.starts_with("bundle = ") { format!("bundle = {bundle:?}") } else { line.to_string() }).collect();
        lines.join("\n")
    })
}

/// User and system CPU time of process `pid` so far (Linux clock ticks are 1/100 s).
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at ") ".
    let fields: Vec<f64> = stat.rsplit_once(") ").map_or("", |(_, rest)| rest).split_whitespace().map(|f| f.parse().unwrap_or(0.0)).collect();
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / 100.0
}
