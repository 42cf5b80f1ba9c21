//! Search speed and memory on a synthetic bundle, keystroke by keystroke, beside the peers an
//! engineer would pick instead (SQLite FTS5, tantivy).
//!
//!     cargo bench -p gongkai-core --bench search [-- DOCUMENTS [--index-only | --no-naive]]   (default 1000000)
//!
//! The records are the documents and their attachments. Builds the index, saves it, opens it
//! again (the kiosk's start), then types each of 200 mixed queries one keystroke at a time and
//! times every answer (top 20 with the total). 48 of the same keystrokes, evenly spread, also
//! go through the naive record-by-record scan, and the ratio of the two is printed, so the
//! figure holds on a noisy machine. Each peer is then built from the same records, opened in a
//! fresh process and given the same keystrokes; the recall of every engine on the relevance
//! set is measured over the demo content. Keystrokes are answered on one core; the indexes are
//! built on every core. Each budget of the README's table is printed with PASS or FAIL.
//! `--index-only` skips the naive scan and the peers (minutes at 10^6), for quick runs while
//! tuning the index; `--no-naive` skips the naive scan only; `--peer fts5` or `--peer tantivy`
//! measures that peer only.

mod peers;
mod recall;
mod typing;

use std::{fs, path::Path, time::Instant};

use gongkai_core::{
    content::synth::{SynthOptions, write_content},
    search::{SearchIndex, SearchQuery, SearchRecord, naive_search, sort_in_rank_order},
};
use gongkai_core::process_memory::{peak_mb, reset_peak, rss_mb};
use gongkai_testkit::budget;
use peers::{Peer, fts5::Fts5, tantivy_engine::Tantivy};
use recall::{FIRST_PAGE, key};
use typing::{keystrokes, load_records, pct, queries};

/// Keystrokes, evenly spread, that also go through the naive scan (it takes seconds each).
const NAIVE_SAMPLES: usize = 48;
/// How much faster than the best peer our p99 per keystroke is to be.
const PEER_RATIO: f64 = 10.0;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--serve") {
        let documents = args[at + 3].parse().expect("document count");
        return serve(Path::new(&args[at + 1]), Path::new(&args[at + 2]), documents);
    }
    if let Some(at) = args.iter().position(|a| a == "--serve-peer") {
        let (dir, latencies) = (Path::new(&args[at + 2]), Path::new(&args[at + 3]));
        return match args[at + 1].as_str() {
            "fts5" => serve_peer::<Fts5>(dir, latencies),
            "tantivy" => serve_peer::<Tantivy>(dir, latencies),
            other => panic!("no peer {other}"),
        };
    }
    let documents: usize = args.iter().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let index_only = args.iter().any(|a| a == "--index-only");
    let no_naive = index_only || args.iter().any(|a| a == "--no-naive");
    // `--peer NAME` measures that peer only (`fts5` or `tantivy`).
    let only = args.iter().position(|a| a == "--peer").map(|at| args[at + 1].clone());
    let wanted = |slug: &str| only.as_deref().is_none_or(|only| only == slug);
    let dir = tempfile::tempdir().expect("temporary folder");
    let bundle = dir.path().join("bundle");
    write_content(&bundle, &SynthOptions { documents, seed: 1 }).expect("synthesize");

    reset_peak();
    let started = Instant::now();
    let index = SearchIndex::build(load_records(&bundle));
    let build_s = started.elapsed().as_secs_f64();
    let build_peak = peak_mb();
    let index_file = dir.path().join("search.idx");
    index.save(&index_file).expect("save index");
    drop(index);

    // Opening and serving run in a fresh process, so its memory is the index's alone.
    let latencies_file = dir.path().join("latencies");
    let own = std::env::current_exe().expect("own path");
    let status = std::process::Command::new(&own)
        .args(["--serve".as_ref(), index_file.as_os_str(), latencies_file.as_os_str(), documents.to_string().as_ref()])
        .status()
        .expect("run the serving process");
    assert!(status.success());
    let ours = Served::read(&latencies_file);
    let indexed = &ours.latencies;

    let keystrokes = keystrokes(&queries());
    let mut records = if index_only { Vec::new() } else { load_records(&bundle) };
    sort_in_rank_order(&mut records);
    let mut naive = Vec::new();
    let mut indexed_same = Vec::new();
    let samples = if no_naive { 0 } else { NAIVE_SAMPLES };
    for (i, text) in keystrokes.iter().enumerate().step_by(keystrokes.len().div_ceil(NAIVE_SAMPLES)).take(samples) {
        let query = SearchQuery { text, limit: 20, ..SearchQuery::default() };
        let started = Instant::now();
        let _ = naive_search(&records, &query);
        naive.push(started.elapsed().as_secs_f64() * 1000.0);
        indexed_same.push(indexed[i]);
    }

    println!("documents               {documents}");
    println!("index build             {build_s:.1} s (peak {build_peak:.0} MB while building)");
    println!("index file              {:.0} MB", fs::metadata(&index_file).map_or(0, |m| m.len()) as f64 / 1e6);
    println!("per keystroke, index    p50 {:.3} ms  p90 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
        pct(indexed, 50.0), pct(indexed, 90.0), pct(indexed, 99.0), pct(indexed, 100.0));
    if !naive.is_empty() {
        println!("naive scan ({} keys)    p50 {:.1} ms  p99 {:.1} ms", naive.len(), pct(&naive, 50.0), pct(&naive, 99.0));
        println!("index on the same keys  p50 {:.3} ms  p99 {:.3} ms", pct(&indexed_same, 50.0), pct(&indexed_same, 99.0));
        println!("naive / index           p50 {:.0}x  p99 {:.0}x",
            pct(&naive, 50.0) / pct(&indexed_same, 50.0), pct(&naive, 99.0) / pct(&indexed_same, 99.0));
    }
    budget::at_most("index build", build_s, 60.0, "s");
    budget::at_most("per keystroke p99", pct(indexed, 99.0), 5.0, "ms");
    if index_only {
        return;
    }

    let demo = recall::demo_records();
    let ours_small = SearchIndex::build(demo.clone());
    let our_recall = recall::recall(|text| {
        let results = ours_small.search(&SearchQuery { text, limit: FIRST_PAGE, ..SearchQuery::default() });
        results.hits.iter().map(|hit| {
            let record = ours_small.record(hit.record);
            format!("{}:{}", record.kind.name(), record.id)
        }).collect()
    });
    let index_mb = fs::metadata(&index_file).map_or(0, |m| m.len()) as f64 / 1e6;
    let ours = Figures { name: "ours", build_s, index_mb, served: ours, recall: our_recall };
    let mut peers = Vec::new();
    if wanted("fts5") {
        peers.push(compare::<Fts5>("fts5", &records, &demo, dir.path(), &own));
    }
    if wanted("tantivy") {
        peers.push(compare::<Tantivy>("tantivy", &records, &demo, dir.path(), &own));
    }
    println!();
    println!("{:<22}{:>9}{:>10}{:>11}{:>10}{:>10}{:>10}{:>10}  recall", "engine", "build s", "index MB", "open MB", "peak MB", "p50 ms", "p99 ms", "max ms");
    for engine in std::iter::once(&ours).chain(&peers) {
        let (l, s) = (&engine.served.latencies, &engine.served);
        println!("{:<22}{:>9.1}{:>10.0}{:>11.0}{:>10.0}{:>10.3}{:>10.3}{:>10.3}  {}",
            engine.name, engine.build_s, engine.index_mb, s.memory_mb, s.peak_mb, pct(l, 50.0), pct(l, 99.0), pct(l, 100.0), engine.recall.describe());
    }
    for peer in &peers {
        let (o, p) = (&ours.served.latencies, &peer.served.latencies);
        println!("ours / {:<15} build {:.2}  index {:.2}  memory {:.2}  p50 {:.3}  p99 {:.3}  recall {:.3} / {:.3}",
            peer.name, ours.build_s / peer.build_s, ours.index_mb / peer.index_mb, ours.served.memory_mb / peer.served.memory_mb,
            pct(o, 50.0) / pct(p, 50.0), pct(o, 99.0) / pct(p, 99.0), ours.recall.share(), peer.recall.share());
    }
    let best_p99 = peers.iter().map(|peer| pct(&peer.served.latencies, 99.0)).fold(f64::INFINITY, f64::min);
    let best_recall = peers.iter().map(|peer| peer.recall.share()).fold(0.0, f64::max);
    budget::at_least("best peer's p99 / ours", best_p99 / pct(&ours.served.latencies, 99.0), PEER_RATIO, "x");
    budget::at_least("recall, ours - best peer's", ours.recall.share() - best_recall, 0.0, "");
}

/// One engine's figures.
struct Figures {
    name: &'static str,
    build_s: f64,
    index_mb: f64,
    served: Served,
    recall: recall::Recall,
}

/// What a serving process measured: its memory once the index is open, its peak once every
/// keystroke is answered, and every keystroke's time.
struct Served {
    memory_mb: f64,
    peak_mb: f64,
    latencies: Vec<f64>,
}

impl Served {
    /// The memory and the peak on the first two lines, then one latency (ms) a line.
    fn write(&self, file: &Path) {
        let lines: Vec<String> = [self.memory_mb, self.peak_mb].into_iter().chain(self.latencies.iter().copied()).map(|v| v.to_string()).collect();
        fs::write(file, lines.join("\n")).expect("write the serving figures");
    }

    fn read(file: &Path) -> Served {
        let values: Vec<f64> = fs::read_to_string(file).expect("serving figures").lines().filter_map(|l| l.parse().ok()).collect();
        Served { memory_mb: values[0], peak_mb: values[1], latencies: values[2..].to_vec() }
    }
}

/// Builds peer `P` from `records` and from the demo content and serves it in a fresh process.
fn compare<P: Peer>(slug: &str, records: &[SearchRecord], demo: &[SearchRecord], work: &Path, own: &Path) -> Figures {
    let dir = work.join(slug);
    fs::create_dir_all(&dir).expect("peer folder");
    reset_peak();
    let started = Instant::now();
    drop(P::build(records, &dir));
    let build_s = started.elapsed().as_secs_f64();
    println!("{:<24}build {build_s:.1} s (peak {:.0} MB while building), index {:.0} MB", P::NAME, peak_mb(), folder_mb(&dir));
    let served_file = work.join(format!("served-{slug}"));
    let status = std::process::Command::new(own)
        .args(["--serve-peer".as_ref(), slug.as_ref(), dir.as_os_str(), served_file.as_os_str()])
        .status()
        .expect("run the peer's serving process");
    assert!(status.success());

    let demo_dir = work.join(format!("{slug}-demo"));
    fs::create_dir_all(&demo_dir).expect("peer folder");
    let small = P::build(demo, &demo_dir);
    let recall = recall::recall(|text| small.search(text, FIRST_PAGE).0.into_iter().map(|h| key(&demo[h as usize])).collect());
    let served = Served::read(&served_file);
    let l = &served.latencies;
    println!("{:<24}p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms; recall {}", P::NAME, pct(l, 50.0), pct(l, 99.0), pct(l, 100.0), recall.describe());
    Figures { name: P::NAME, build_s, index_mb: folder_mb(&dir), served, recall }
}

/// The peer's side: open it, ask one query untimed (as ours warms up), then answer every
/// keystroke.
fn serve_peer<P: Peer>(dir: &Path, served_file: &Path) {
    let before = rss_mb();
    let started = Instant::now();
    let peer = P::open(dir);
    peer.search("政府信息公开", 20);
    let open_s = started.elapsed().as_secs_f64();
    let memory_mb = rss_mb() - before;
    let mut latencies = Vec::new();
    let mut totals = 0;
    for text in keystrokes(&queries()) {
        let started = Instant::now();
        let (_, total) = peer.search(&text, 20);
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        totals += total;
    }
    println!("{:<24}open {open_s:.2} s, memory {memory_mb:.0} MB (process peak {:.0} MB while serving), mean {:.0} results",
        P::NAME, peak_mb(), totals as f64 / latencies.len() as f64);
    Served { memory_mb, peak_mb: peak_mb(), latencies }.write(served_file);
}

fn folder_mb(dir: &Path) -> f64 {
    fs::read_dir(dir).expect("peer folder").flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum::<u64>() as f64 / 1e6
}

/// The open index may take 300 MB up to 10^5 documents, and 1.5 GB at 10^6.
fn index_memory_budget_mb(documents: usize) -> f64 {
    (1500.0 * documents as f64 / 1e6).max(300.0)
}

/// The kiosk's side: open the saved index, answer every keystroke, write the latencies.
fn serve(index_file: &Path, latencies_file: &Path, documents: usize) {
    let before = rss_mb();
    let started = Instant::now();
    let index = SearchIndex::open(index_file).expect("open index");
    gongkai_core::search::warm_up();
    let open_s = started.elapsed().as_secs_f64();
    let index_mb = rss_mb() - before;
    let keystrokes = keystrokes(&queries());
    let mut latencies = Vec::with_capacity(keystrokes.len());
    let mut totals = 0u64;
    let mut estimates = 0;
    for text in &keystrokes {
        let query = SearchQuery { text, limit: 20, ..SearchQuery::default() };
        let started = Instant::now();
        let results = index.search(&query);
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        totals += results.total;
        estimates += usize::from(results.total_is_estimate);
    }
    let mut slowest: Vec<(f64, &String)> = latencies.iter().copied().zip(&keystrokes).collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let shown: Vec<String> = slowest.iter().take(8).map(|(ms, k)| format!("{k} {ms:.1}ms")).collect();
    println!("open prebuilt index     {open_s:.2} s");
    println!("memory of open index    {index_mb:.0} MB (process peak {:.0} MB while serving)", peak_mb());
    println!("keystrokes              {} from 200 queries (mean {:.0} results, {estimates} totals estimated)",
        keystrokes.len(), totals as f64 / keystrokes.len() as f64);
    println!("slowest keystrokes      {}", shown.join(", "));
    budget::at_most("open prebuilt index", open_s, 1.0, "s");
    budget::at_most("memory of open index", index_mb, index_memory_budget_mb(documents), "MB");
    Served { memory_mb: index_mb, peak_mb: peak_mb(), latencies }.write(latencies_file);
}
