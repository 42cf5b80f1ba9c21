//! Sync figures: a 10^5-document bundle published on a hub on 127.0.0.1, fetched cold, then
//! one-document changes fetched and applied (download, verify, check, switch), each in
//! another shard: the check reads the changed shard and runs the checks across files on the
//! facts it kept of the others. The median of the changes is held to its budget.
//!
//!     cargo bench -p gongkai-hub --bench sync [-- DOCUMENTS]

use std::{fs, path::Path, time::Instant};

use chrono::Utc;
use ed25519_dalek::SigningKey;
use gongkai_core::{
    content::{build::{BuildOptions, build_bundle}, check::CheckOptions, synth::{SynthOptions, write_content}},
    signing::sign_bundle,
    sync::{SyncOutcome, SyncSettings, sync_once},
};
use gongkai_hub as hub;
use gongkai_testkit::budget;

/// One-document changes timed; the median is the figure.
const CHANGES: usize = 5;
/// The most applying a one-document change of a 10^5-document bundle may take.
const ONE_CHANGE_SECONDS: f64 = 0.5;

fn main() {
    let documents: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let key = SigningKey::from_bytes(&[3; 32]);
    let source = dir.path().join("source");
    write_content(&source, &SynthOptions { documents, seed: 1 }).expect("synthesize");
    let v1 = build_signed(&source, &dir.path().join("v1"), 1, &key);
    let data = dir.path().join("hub");
    hub::publish(&v1, &data).expect("publish v1");

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let served = hub::Hub::open(&data, hub::HubConfig::default()).expect("hub");
    runtime.spawn(hub::serve(listener, served));
    let settings = SyncSettings {
        hub_url: url,
        store: dir.path().join("store"),
        trusted_keys: vec![key.verifying_key()],
        max_file_bytes: 1 << 26,
    };
    let client = reqwest::Client::new();

    let started = Instant::now();
    let cold = runtime.block_on(sync_once(&settings, &client));
    report(&format!("cold start, {documents} documents"), &cold, started.elapsed().as_secs_f64());

    let mut times = Vec::new();
    for change in 0..CHANGES {
        // Change one document's title in one shard, then build, sign and publish the next version.
        let version = 2 + change as u64;
        let shard = source.join(format!("documents/{:05}.json", 7 + change));
        let text = fs::read_to_string(&shard).expect("shard");
        let changed = text.replacen("\"title\":\"", "\"title\":\"（修订）", 1);
        assert_ne!(text, changed);
        fs::write(&shard, changed).expect("write shard");
        let bundle = build_signed(&source, &dir.path().join(format!("v{version}")), version, &key);
        hub::publish(&bundle, &data).expect("publish");

        let started = Instant::now();
        let one_change = runtime.block_on(sync_once(&settings, &client));
        times.push(started.elapsed().as_secs_f64());
        report("one document changed", &one_change, times[change]);
    }
    times.sort_by(f64::total_cmp);
    println!("one document changed, median of {CHANGES}: {:.2} s", times[CHANGES / 2]);
    if documents == 100_000 {
        budget::at_most("one document changed, 10^5", times[CHANGES / 2], ONE_CHANGE_SECONDS, "s");
    }

    let started = Instant::now();
    let again = runtime.block_on(sync_once(&settings, &client));
    assert!(matches!(again, SyncOutcome::NotModified { .. }), "the hub answers the saved tag with 304: {again}");
    report("nothing new (ETag, 304)", &again, started.elapsed().as_secs_f64());
}

fn build_signed(source: &Path, out: &Path, version: u64, key: &SigningKey) -> std::path::PathBuf {
    let options = BuildOptions { bundle_version: Some(version), created_at: Utc::now(), check: CheckOptions::at_local_now() };
    let checked = build_bundle(source, out, &options).expect("build");
    assert!(checked.is_clean(), "{:?}", checked.problems.first());
    sign_bundle(out, key).expect("sign");
    out.to_path_buf()
}

fn report(what: &str, outcome: &SyncOutcome, seconds: f64) {
    assert!(matches!(outcome, SyncOutcome::Applied { .. } | SyncOutcome::NotModified { .. }), "{what}: {outcome}");
    println!("{what}: {seconds:.2} s — {outcome}");
}
