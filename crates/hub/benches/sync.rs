//! Sync figures: a 10^5-document bundle published on a hub on 127.0.0.1, fetched cold, then a
//! one-document change fetched and applied (download, verify, full check, switch).
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

    // Change one document's title in one shard, then build, sign and publish version 2.
    let shard = source.join("documents/00007.json");
    let text = fs::read_to_string(&shard).expect("shard");
    let changed = text.replacen("\"title\":\"", "\"title\":\"（修订）", 1);
    assert_ne!(text, changed);
    fs::write(&shard, changed).expect("write shard");
    let v2 = build_signed(&source, &dir.path().join("v2"), 2, &key);
    hub::publish(&v2, &data).expect("publish v2");

    let started = Instant::now();
    let one_change = runtime.block_on(sync_once(&settings, &client));
    report("one document changed", &one_change, started.elapsed().as_secs_f64());

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
