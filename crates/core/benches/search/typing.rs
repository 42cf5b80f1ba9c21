//! What every engine of the benchmark is given: the synthetic records, and the keystrokes of
//! 200 queries of the kinds visitors type.

use std::{fs, path::Path};

use gongkai_core::{
    content::{model::Document, synth::vocabulary::DOMAIN_TOPICS},
    search::{SearchRecord, document_records},
};
use pinyin::ToPinyin;

/// The records of a synthetic bundle: its documents and their attachments.
pub fn load_records(bundle: &Path) -> Vec<SearchRecord> {
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
pub fn queries() -> Vec<String> {
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
pub fn keystrokes(queries: &[String]) -> Vec<String> {
    queries
        .iter()
        .flat_map(|q| {
            let chars: Vec<char> = q.chars().collect();
            (1..=chars.len()).map(move |n| chars[..n].iter().collect::<String>())
        })
        .filter(|k| !k.trim().is_empty())
        .collect()
}

/// The `p`th percentile of `values` (0 when there are none).
pub fn pct(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}
