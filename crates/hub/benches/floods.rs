//! What the hub's memory and a normal visitor see while one address floods it, as the outside
//! review did: 192 wrong log-ins 64 at a time; 6,000 forms each with a different 60 KB `via`;
//! 300 forms without a cookie as fast as they are answered. The hub runs as its own process.
//!
//!     cargo bench -p gongkai-hub --bench floods [-- --hub PATH] [-- --forms N]
//!
//! `--hub` runs another build of `gongkai-hub` (an older one, to compare) under the same load.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{Arc, atomic::{AtomicBool, Ordering}},
    thread,
    time::{Duration, Instant},
};

use gongkai_core::process_memory::{peak_mb_of, rss_mb_of};
use gongkai_testkit::hub::{HubProcess, Response, form_body, http, try_sign_in};

const PASSWORD: &str = "bench password 2025";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let binary = value("--hub").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_gongkai-hub")), PathBuf::from);
    let forms: usize = value("--forms").and_then(|n| n.parse().ok()).unwrap_or(6000);
    println!("hub: {}", binary.display());

    let hub = start(&binary);
    flood(&hub, "192 wrong log-ins, 64 at a time", |url| {
        waves(192, 64, url, |url, n| try_sign_in(url, "clerk", &format!("wrong {n}"), &[]).status)
    });
    let hub = start(&binary);
    flood(&hub, &format!("{forms} forms, each with a different 60 KB via, 8 at a time"), |url| {
        waves(forms, 8, url, |url, n| {
            let via = format!("{n:08}{}", "V".repeat(60 * 1024));
            post(url, &form_body(&[("category", "其他"), ("content", "flood"), ("via", &via)])).status
        })
    });
    let hub = start(&binary);
    flood(&hub, "300 forms without a cookie, 8 at a time", |url| {
        waves(300, 8, url, |url, n| post(url, &form_body(&[("category", "其他"), ("content", &format!("flood {n}"))])).status)
    });
}

/// Runs `load` against a fresh hub while a visitor opens the 意见建议 form every 100 ms; prints
/// the hub's memory, the answers the load got, and the visitor's answer times.
fn flood((_data, hub): &(tempfile::TempDir, HubProcess), what: &str, load: impl FnOnce(&str) -> Vec<u16>) {
    let pid = hub.process.id();
    let before = rss_mb_of(pid);
    let stop = Arc::new(AtomicBool::new(false));
    let visitor = {
        let (url, stop) = (hub.url.clone(), Arc::clone(&stop));
        thread::spawn(move || {
            let mut times = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let answer = http(&url, "GET", "/f/opinion", &[], b"");
                assert_eq!(answer.status, 200, "the visitor's form");
                times.push(started.elapsed());
                thread::sleep(Duration::from_millis(100));
            }
            times
        })
    };
    let started = Instant::now();
    let statuses = load(&hub.url);
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let mut times = visitor.join().expect("visitor");
    times.sort();
    let mut answers = std::collections::BTreeMap::<u16, usize>::new();
    statuses.iter().for_each(|s| *answers.entry(*s).or_default() += 1);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{what}: {:.1} s; answers {answers:?}", took.as_secs_f64());
    println!(
        "  hub memory {before:.0} MB before, peak {:.0} MB, {:.0} MB after; visitor's form p50 {:.1} ms, max {:.1} ms ({} views)",
        peak_mb_of(pid),
        rss_mb_of(pid),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

/// A hub over a fresh data folder with one staff account; both go when dropped.
fn start(binary: &Path) -> (tempfile::TempDir, HubProcess) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let data = folder.path().to_path_buf();
    let mut add = Command::new(binary)
        .args(["--data", data.to_str().expect("path"), "staff", "add", "clerk", "--name", "王科员"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("staff add");
    add.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("password");
    assert!(add.wait().expect("staff add").success());
    let mut process = Command::new(binary)
        .args(["--data", data.to_str().expect("path"), "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(process.stdout.take().expect("stdout")), &mut line).expect("listening");
    let url = line.trim().trim_start_matches("listening on ").to_string();
    (folder, HubProcess { process, url, data })
}

fn waves(attempts: usize, at_once: usize, url: &str, work: fn(&str, usize) -> u16) -> Vec<u16> {
    let mut statuses = Vec::new();
    for wave in 0..attempts.div_ceil(at_once) {
        let threads: Vec<_> = (wave * at_once..((wave + 1) * at_once).min(attempts))
            .map(|n| {
                let url = url.to_string();
                thread::spawn(move || work(&url, n))
            })
            .collect();
        statuses.extend(threads.into_iter().map(|t| t.join().expect("request")));
    }
    statuses
}

fn post(url: &str, body: &[u8]) -> Response {
    http(url, "POST", "/f/opinion", &[("Content-Type", "application/x-www-form-urlencoded".to_string())], body)
}
