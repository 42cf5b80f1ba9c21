//! Recall on `tests/search-relevance.json`, over the demo content: the share of its queries
//! whose record an engine shows on the first page of hits (20, as the screen does), and among
//! the first three (what the relevance test asks of ours).

use std::path::Path;

use gongkai_core::{
    content::check::check_bundle,
    search::{SearchRecord, records_from_content, sort_in_rank_order},
};
use serde::Deserialize;

/// Hits on the search screen's first page.
pub const FIRST_PAGE: usize = 20;

#[derive(Deserialize)]
struct Case {
    query: String,
    /// `kind:id`
    expect: String,
}

pub struct Recall {
    pub first_page: usize,
    pub top_three: usize,
    pub cases: usize,
}

impl Recall {
    pub fn share(&self) -> f64 {
        self.first_page as f64 / self.cases as f64
    }

    pub fn describe(&self) -> String {
        format!("{}/{} on the first page, {}/{} in the top 3", self.first_page, self.cases, self.top_three, self.cases)
    }
}

/// The demo content's records, in rank order (newest first).
pub fn demo_records() -> Vec<SearchRecord> {
    let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &gongkai_testkit::fixed_options());
    assert!(checked.is_clean(), "the demo bundle checks clean");
    let mut records = records_from_content(&checked.content);
    sort_in_rank_order(&mut records);
    records
}

/// `kind:id`, as the relevance set names a record.
pub fn key(record: &SearchRecord) -> String {
    format!("{}:{}", record.kind.name(), record.id)
}

/// How often `search` (the `key`s of its first hits) finds each case's record.
pub fn recall(search: impl Fn(&str) -> Vec<String>) -> Recall {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/search-relevance.json");
    let cases: Vec<Case> = serde_json::from_slice(&std::fs::read(file).expect("the relevance set")).expect("parse the relevance set");
    let mut recall = Recall { first_page: 0, top_three: 0, cases: cases.len() };
    for case in &cases {
        let hits = search(&case.query);
        let at = hits.iter().take(FIRST_PAGE).position(|hit| *hit == case.expect);
        recall.first_page += usize::from(at.is_some());
        recall.top_three += usize::from(at.is_some_and(|at| at < 3));
    }
    recall
}
