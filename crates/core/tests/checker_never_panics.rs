//! Property tests: whatever bytes or JSON a content file holds, the checker reports problems
//! and returns; it never panics.

use std::{fs, path::Path};

use gongkai_core::content::check::check_bundle;
use proptest::prelude::*;
use serde_json::Value;

const FILES: [&str; 12] = [
    "site.json", "catalogue.json", "documents/a.json", "interpretations.json", "key_work.json",
    "admin_results.json", "disclosure_stats.json", "consultations.json", "service_guides.json",
    "notices.json", "communities.json", "images/tujie.png",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,24}".prop_map(Value::String),
        prop::sample::select(vec!["2026-02-30", "主动公开", "紧急", "张三", "13812345678", "../x", "images/tujie.png"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec!["id", "title", "body", "documents", "file", "published_on", "progress", "party", "x"])
                    .prop_map(String::from),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn check_with(file: &str, bytes: &[u8]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("bundle");
    gongkai_testkit::copy_dir(Path::new(gongkai_testkit::MINIMAL_BUNDLE), &root);
    fs::write(root.join(file), bytes).unwrap();
    check_bundle(&root, &gongkai_testkit::fixed_options()).problems.len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn arbitrary_bytes(file in prop::sample::select(FILES.to_vec()), bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        // No manifest was built, so there is always at least that problem.
        prop_assert!(check_with(file, &bytes) > 0);
    }

    #[test]
    fn arbitrary_json(file in prop::sample::select(FILES.to_vec()), value in json_value()) {
        prop_assert!(check_with(file, &serde_json::to_vec(&value).unwrap()) > 0);
    }

    #[test]
    fn mutated_valid_documents(index in 0usize..2, field in prop::sample::select(vec!["title", "written_on", "disclosure", "interpretations", "domain", "body"]), value in json_value()) {
        let path = Path::new(gongkai_testkit::MINIMAL_BUNDLE).join("documents/a.json");
        let mut documents: Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
        documents[index][field] = value;
        check_with("documents/a.json", &serde_json::to_vec(&documents).unwrap());
    }
}

#[test]
fn deeply_nested_json_is_a_problem_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(check_with("notices.json", deep.as_bytes()) > 0);
}
