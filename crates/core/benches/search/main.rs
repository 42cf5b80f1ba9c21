//! Search speed and memory on a synthetic bundle, keystroke by keystroke.
//!
//!     cargo bench -p gongkai-core --bench search [-- DOCUMENTS [--index-only]]   (default 1000000)
//!
//! The records are the documents and their attachments. Builds the index, saves it, opens it again (the kiosk's start), then types each of 200
//! mixed queries one keystroke at a time and times every answer (top 20 with the total).
//! 48 of the same keystrokes, evenly spread, also go through the naive record-by-record scan, and the
//! ratio of the two is printed, so the figure holds on a noisy machine. Keystrokes are answered
//! on one core; the index is built on every core.
//! Each budget of the README's table is printed with PASS or FAIL. `--index-only` skips the
//! naive scan (minutes at 10^6), for quick runs while tuning the index.

use std::{fs, path::Path, time::Instant};

use gongkai_core::{
    content::{model::Document, synth::{SynthOptions, vocabulary::DOMAIN_TOPICS, write_content}},
    search::{SearchIndex, SearchQuery, SearchRecord, document_records, naive_search, sort_in_rank_order},
};
use gongkai_core::process_memory::{peak_mb, reset_peak, rss_mb};
use gongkai_testkit::budget;
use pinyin::ToPinyin;

/// Keystrokes, evenly spread, that also go through the naive scan (it takes seconds each).
const NAIVE_SAMPLES: usize = 48;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--serve") {
        let documents = args[at + 3].parse().expect("document count");
        return serve(Path::new(&args[at + 1]), Path::new(&args[at + 2]), documents);
    }
    let documents: usize = args.iter().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
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
    let status = std::process::Command::new(std::env::current_exe().expect("own path"))
        .args(["--serve".as_ref(), index_file.as_os_str(), latencies_file.as_os_str(), documents.to_string().as_ref()])
        .status()
        .expect("run the serving process");
    assert!(status.success());
    let indexed: Vec<f64> = fs::read_to_string(&latencies_file)
        .expect("latencies")
        .lines()
        .filter_map(|l| l.parse().ok())
        .collect();

    let keystrokes = keystrokes(&queries());
    let mut records = if args.iter().any(|a| a == "--index-only") { Vec::new() } else { load_records(&bundle) };
    sort_in_rank_order(&mut records);
    let mut naive = Vec::new();
    let mut indexed_same = Vec::new();
    let samples = if records.is_empty() { 0 } else { NAIVE_SAMPLES };
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
        pct(&indexed, 50.0), pct(&indexed, 90.0), pct(&indexed, 99.0), pct(&indexed, 100.0));
    println!("naive scan ({} keys)    p50 {:.1} ms  p99 {:.1} ms", naive.len(), pct(&naive, 50.0), pct(&naive, 99.0));
    println!("index on the same keys  p50 {:.3} ms  p99 {:.3} ms", pct(&indexed_same, 50.0), pct(&indexed_same, 99.0));
    println!("naive / index           p50 {:.0}x  p99 {:.0}x",
        pct(&naive, 50.0) / pct(&indexed_same, 50.0), pct(&naive, 99.0) / pct(&indexed_same, 99.0));
    budget::at_most("index build", build_s, 60.0, "s");
    budget::at_most("per keystroke p99", pct(&indexed, 99.0), 5.0, "ms");
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
    let text: Vec<String> = latencies.iter().map(|l| l.to_string()).collect();
    fs::write(latencies_file, text.join("\n")).expect("write latencies");
}

fn load_records(bundle: &Path) -> Vec<SearchRecord> {
    let mut shards: Vec<_> = fs::read_dir(bundle.join("documents")).expect("documents").flatten().map(|e| e.path()).collect();
    shards.sort();
    let mut records = Vec::new();
    for shard in shards {
        let documents: Vec<Document> = serde_json::from_slice(&fs::read(&shard).expect("read shard")).expect("parse shard");
        records.extend(documents.iter().flat_map(document_records));
    }
    records
}

/// 200 queries of the kinds visitors type: characters, pinyin, initials, mixed, 文号.
fn queries() -> Vec<String> {
    let topics: Vec<&str> = DOMAIN_TOPICS.iter().flat_map(|t| t.iter().copied()).collect();
    let full = |s: &str| s.to_pinyin().flatten().map(|p| p.plain()).collect::<Vec<_>>();
    let mut queries = Vec::new();
    for (i, topic) in topics.iter().enumerate() {
        let chars: Vec<char> = topic.chars().collect();
        let syllables = full(topic);
        let initials: String = syllables.iter().map(|s| &s[..1]).collect();
        queries.push(match i % 8 {
            0 => topic.to_string(),
            1 => chars[chars.len() / 2..].iter().collect(),
            2 => syllables.concat(),
            3 => syllables.join(" "),
            4 => initials,
            5 => format!("{}{}", &initials[..2.min(initials.len())], chars[2.min(chars.len())..].iter().collect::<String>()),
            6 => format!("{} {}号", 2000 + i % 27, 1 + i * 7919 % 100_000),
            _ => format!("〔{}〕{}", 2000 + i % 27, 1 + i * 104_729 % 100_000),
        });
    }
    let extra = ["区", "管理", "工作", "合成区", "实施方案", "通知", "zhengce", "gz", "a", "2024"];
    queries.extend(extra.iter().map(|q| q.to_string()));
    queries.truncate(200);
    while queries.len() < 200 {
        queries.push(topics[queries.len() % topics.len()][..3].to_string());
    }
    queries
}

/// Every prefix of every query, one more character each: what the screen sees while typing.
fn keystrokes(queries: &[String]) -> Vec<String> {
    queries
        .iter()
        .flat_map(|q| {
            let chars: Vec<char> = q.chars().collect();
            (1..=chars.len()).map(move |n| chars[..n].iter().collect::<String>())
        })
        .filter(|k| !k.trim().is_empty())
        .collect()
}

fn pct(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted.get(rank).copied().unwrap_or(0.0)
}
