//! Time and peak memory of checking the demo bundle and synthetic bundles, two ways:
//! - `content check` verifies, holding one document shard at a time (`verify_bundle`);
//! - a screen checks and loads the whole content (`check_bundle`).
//!
//!     cargo bench -p gongkai-core --bench content_check [-- DOCUMENTS...]
//!
//! Each run is a fresh process (this program again), so that one run's memory, kept by the
//! allocator, does not count in the next; a figure is the median time and the highest peak
//! of the runs. Peak memory is the process's resident-set high-water mark.

use std::{
    env, fs,
    path::Path,
    process::Command,
    time::Instant,
};

use chrono::Utc;
use gongkai_core::content::{
    build::{BuildOptions, write_manifest},
    check::{CheckOptions, check_bundle, verify_bundle},
    synth::{SynthOptions, write_content},
};
use gongkai_core::process_memory::peak_mb;
use gongkai_testkit::budget;

const RUNS: usize = 5;
/// The most `content check` may hold at 10^6 documents.
const VERIFY_PEAK_MB: f64 = 400.0;
const MEASURE: &str = "--measure-one";

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    if let [flag, way, bundle] = &args[..]
        && flag == MEASURE
    {
        return measure_here(way, Path::new(bundle));
    }
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![100_000] } else { sizes };

    println!(
        "{:<28} {:>14} {:>10} {:>14} {:>10} {:>11}",
        "bundle", "verify (ms)", "peak (MB)", "load (ms)", "peak (MB)", "MB on disk"
    );
    measure("demo (assets/demo)", Path::new(gongkai_testkit::DEMO_BUNDLE));
    for documents in sizes {
        let dir = tempfile::tempdir().expect("temporary folder");
        let bundle = dir.path().join("bundle");
        let started = Instant::now();
        write_content(&bundle, &SynthOptions { documents, seed: 1 }).expect("synthesize");
        let options = BuildOptions { bundle_version: Some(1), created_at: Utc::now(), check: CheckOptions::at_local_now() };
        write_manifest(&bundle, &options).expect("manifest");
        eprintln!("synthesized {documents} documents in {:.1} s", started.elapsed().as_secs_f64());
        let (_, verify_peak) = measure(&format!("synthetic {documents} documents"), &bundle);
        if documents == 1_000_000 {
            budget::at_most("content check peak, 10^6", verify_peak, VERIFY_PEAK_MB, "MB");
        }
    }
}

/// Prints one row; returns the median time (ms) and peak (MB) of `content check`.
fn measure(name: &str, bundle: &Path) -> (f64, f64) {
    let verify = runs("verify", bundle);
    let load = runs("load", bundle);
    println!(
        "{name:<28} {:>14.0} {:>10.0} {:>14.0} {:>10.0} {:>11.1}",
        verify.0,
        verify.1,
        load.0,
        load.1,
        disk_size(bundle) as f64 / 1e6
    );
    verify
}

/// The median time and highest peak of `RUNS` fresh processes checking `bundle` one `way`.
fn runs(way: &str, bundle: &Path) -> (f64, f64) {
    let exe = env::current_exe().expect("this benchmark's path");
    let mut times = Vec::new();
    let mut peak = 0.0f64;
    for _ in 0..RUNS {
        let output = Command::new(&exe).args([MEASURE, way]).arg(bundle).output().expect("run a measurement");
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{way} {}: {said}{}", bundle.display(), String::from_utf8_lossy(&output.stderr));
        let figures: Vec<f64> = said.split_whitespace().filter_map(|f| f.parse().ok()).collect();
        let [ms, mb] = figures[..] else { panic!("{way}: unexpected output {said:?}") };
        times.push(ms);
        peak = peak.max(mb);
    }
    times.sort_by(f64::total_cmp);
    (times[RUNS / 2], peak)
}

/// One check in this process: prints its time in ms and the process's peak memory in MB.
fn measure_here(way: &str, bundle: &Path) {
    let options = CheckOptions::at_local_now();
    let started = Instant::now();
    let problems = match way {
        "verify" => verify_bundle(bundle, &options, None).problems,
        "load" => check_bundle(bundle, &options).problems,
        other => panic!("unknown way {other}"),
    };
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    assert!(problems.is_empty(), "{}: {}", bundle.display(), problems[0]);
    println!("{ms:.1} {:.1}", peak_mb());
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
