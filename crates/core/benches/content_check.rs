//! Time and peak memory of `content check` on the demo bundle and on synthetic bundles.
//!
//!     cargo bench -p gongkai-core --bench content_check [-- DOCUMENTS...]
//!
//! Each figure is the median of several runs; peak memory is the process's resident-set
//! high-water mark during the check, reset before each bundle.

use std::{fs, path::Path, time::Instant};

use chrono::Utc;
use gongkai_core::content::{
    build::{BuildOptions, write_manifest},
    check::{CheckOptions, check_bundle},
    synth::{SynthOptions, write_content},
};
use gongkai_core::process_memory::{peak_mb, reset_peak};

const RUNS: usize = 5;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() { vec![100_000] } else { sizes };

    println!("{:<28} {:>12} {:>14} {:>10}", "bundle", "check (ms)", "peak RSS (MB)", "MB on disk");
    measure("demo (assets/demo)", Path::new(gongkai_testkit::DEMO_BUNDLE));
    for documents in sizes {
        let dir = tempfile::tempdir().expect("temporary folder");
        let bundle = dir.path().join("bundle");
        let started = Instant::now();
        write_content(&bundle, &SynthOptions { documents, seed: 1 }).expect("synthesize");
        let options = BuildOptions { bundle_version: Some(1), created_at: Utc::now(), check: CheckOptions::at_local_now() };
        write_manifest(&bundle, &options).expect("manifest");
        eprintln!("synthesized {documents} documents in {:.1} s", started.elapsed().as_secs_f64());
        measure(&format!("synthetic {documents} documents"), &bundle);
    }
}

fn measure(name: &str, bundle: &Path) {
    let options = CheckOptions::at_local_now();
    let mut times = Vec::new();
    let mut peak = 0.0f64;
    for _ in 0..RUNS {
        reset_peak();
        let started = Instant::now();
        let checked = check_bundle(bundle, &options);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(checked.is_clean(), "{name}: {}", checked.problems[0]);
        drop(checked);
        peak = peak.max(peak_mb());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{name:<28} {:>12.0} {:>14.0} {:>10.1}",
        times[RUNS / 2],
        peak,
        disk_size(bundle) as f64 / 1e6
    );
}

fn disk_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => disk_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
