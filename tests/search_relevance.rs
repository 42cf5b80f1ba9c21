//! Search quality on the demo content: each query of `tests/search-relevance.json` must
//! bring its record into the top 3, and the index must agree with the naive scan.

use std::{path::Path, process::Command};

use gongkai_core::{
    content::check::check_bundle,
    search::{MatchClass, SearchIndex, SearchQuery, SearchRecord, naive_search, records_from_content, sort_in_rank_order},
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    query: String,
    /// `kind:id`
    expect: String,
    why: String,
}

fn demo_records() -> Vec<SearchRecord> {
    let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &gongkai_testkit::fixed_options());
    assert!(checked.is_clean());
    let mut records = records_from_content(&checked.content);
    sort_in_rank_order(&mut records);
    records
}

fn cases() -> Vec<Case> {
    serde_json::from_slice(&std::fs::read("tests/search-relevance.json").unwrap()).unwrap()
}

#[test]
fn every_query_finds_its_record_in_the_top_three() {
    let index = SearchIndex::build(demo_records());
    let cases = cases();
    assert!(cases.len() >= 50, "the relevance set shrank to {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let results = index.search(&SearchQuery { text: &case.query, limit: 3, ..SearchQuery::default() });
        let top: Vec<String> = results
            .hits
            .iter()
            .map(|h| {
                let r = index.record(h.record);
                format!("{}:{}", r.kind.name(), r.id)
            })
            .collect();
        if !top.contains(&case.expect) {
            failures.push(format!("{:?} → {top:?}, expected {} ({})", case.query, case.expect, case.why));
        }
    }
    assert!(failures.is_empty(), "{} of {} queries missed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn index_agrees_with_the_naive_scan_on_titles() {
    let records = demo_records();
    let index = SearchIndex::build(records.clone());
    for case in cases() {
        let query = SearchQuery { text: &case.query, limit: 10, ..SearchQuery::default() };
        let titled = |hits: &[gongkai_core::search::Hit], title_of: &dyn Fn(u32) -> String| -> Vec<String> {
            hits.iter().filter(|h| h.class <= MatchClass::Title).map(|h| title_of(h.record)).collect()
        };
        let fast = index.search(&query);
        let slow = naive_search(&records, &query);
        assert_eq!(
            titled(&fast.hits, &|r| index.record(r).id.to_string()),
            titled(&slow.hits, &|r| records[r as usize].id.clone()),
            "{:?}",
            case.query
        );
        // Bodies match when all character pairs occur, so the index may find a little more.
        assert!(fast.total >= slow.total, "{:?}: {} < {}", case.query, fast.total, slow.total);
    }
}

#[test]
fn search_command_prints_kind_id_and_title() {
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["search", "--bundle", gongkai_testkit::DEMO_BUNDLE, "--limit", "5", "--kind", "guide", "zuidishenghuo"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let first: Vec<&str> = stdout.lines().next().unwrap().split('\t').collect();
    assert_eq!(first[0], "guide");
    assert!(first[2].contains("最低生活保障"), "{stdout}");
    let bad = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["search", "--bundle", gongkai_testkit::DEMO_BUNDLE, "--kind", "memo", "x"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
