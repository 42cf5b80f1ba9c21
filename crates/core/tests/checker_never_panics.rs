//! Property tests: whatever bytes or JSON a content file holds, the checker returns without
//! panicking, and what is surely wrong is reported against the file that holds it.

use std::{fs, path::Path};

use gongkai_core::content::{build::write_manifest, check::{check_bundle, verify_bundle}};
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

/// The files the checker reports on after `file` is replaced by `bytes` in the minimal bundle.
/// The manifest is written after the change, so every problem comes from the change itself.
/// Verifying shard by shard finds the same problems as loading.
fn files_reported(file: &str, bytes: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("bundle");
    gongkai_testkit::copy_dir(Path::new(gongkai_testkit::MINIMAL_BUNDLE), &root);
    fs::write(root.join(file), bytes).unwrap();
    write_manifest(&root, &gongkai_testkit::fixed_build_options()).unwrap();
    let problems = check_bundle(&root, &gongkai_testkit::fixed_options()).problems;
    assert_eq!(verify_bundle(&root, &gongkai_testkit::fixed_options(), None).problems, problems);
    problems.iter().map(|p| p.file.clone()).collect()
}

#[test]
fn the_unchanged_fixture_is_clean() {
    let bytes = fs::read(Path::new(gongkai_testkit::MINIMAL_BUNDLE).join("site.json")).unwrap();
    assert_eq!(files_reported("site.json", &bytes), Vec::<String>::new());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn arbitrary_bytes(file in prop::sample::select(FILES.to_vec()), bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let reported = files_reported(file, &bytes);
        prop_assert!(reported.iter().any(|f| f == file), "{file} with {} random bytes: reported {reported:?}", bytes.len());
    }

    #[test]
    fn arbitrary_json(file in prop::sample::select(FILES.to_vec()), value in json_value()) {
        let reported = files_reported(file, &serde_json::to_vec(&value).unwrap());
        // Every content file holds an array or an object; a bare scalar is always wrong.
        if !value.is_array() && !value.is_object() {
            prop_assert!(reported.iter().any(|f| f == file), "{file} = {value}: reported {reported:?}");
        }
    }

    #[test]
    fn mutated_valid_documents(index in 0usize..2, field in prop::sample::select(vec!["title", "written_on", "disclosure", "interpretations", "domain", "body"]), value in json_value()) {
        let path = Path::new(gongkai_testkit::MINIMAL_BUNDLE).join("documents/a.json");
        let mut documents: Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
        documents[index][field] = value.clone();
        let reported = files_reported("documents/a.json", &serde_json::to_vec(&documents).unwrap());
        let wrong_type = match field {
            "interpretations" => !value.is_array(),
            "domain" => !value.is_string() && !value.is_null(),
            _ => !value.is_string(),
        };
        if wrong_type {
            prop_assert!(reported.iter().any(|f| f == "documents/a.json"), "{field} = {value}: reported {reported:?}");
        }
    }
}

#[test]
fn deeply_nested_json_is_a_problem_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(files_reported("notices.json", deep.as_bytes()), vec!["notices.json".to_string()]);
}
