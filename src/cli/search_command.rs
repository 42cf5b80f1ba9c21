//! `gongkai search --bundle DIR QUERY`

use std::{path::Path, process::ExitCode};

use gongkai_core::{
    content::check::{CheckOptions, check_bundle},
    search::{RecordKind, SearchIndex, SearchQuery, records_from_content},
};

pub fn run(bundle: &Path, text: &str, kinds: &[String], domain: Option<&str>, year: Option<i32>, limit: usize) -> ExitCode {
    let mut parsed_kinds = Vec::new();
    for name in kinds {
        match RecordKind::from_name(name) {
            Some(kind) => parsed_kinds.push(kind),
            None => {
                let known: Vec<&str> = RecordKind::ALL.iter().map(|k| k.name()).collect();
                eprintln!("error: --kind {name:?} is not one of {}", known.join(", "));
                return ExitCode::from(2);
            }
        }
    }
    let checked = check_bundle(bundle, &CheckOptions::at_local_now());
    if !checked.is_clean() {
        for problem in &checked.problems {
            eprintln!("{problem}");
        }
        eprintln!("{}: refused; search only checked bundles", bundle.display());
        return ExitCode::FAILURE;
    }
    let index = SearchIndex::build(records_from_content(&checked.content));
    let query = SearchQuery { text, kinds: &parsed_kinds, domain, year, limit };
    let results = index.search(&query);
    for hit in &results.hits {
        let record = index.record(hit.record);
        println!("{}\t{}\t{}", record.kind.name(), record.id, record.title);
    }
    eprintln!("{} of {} match(es)", results.hits.len(), results.total);
    ExitCode::SUCCESS
}
