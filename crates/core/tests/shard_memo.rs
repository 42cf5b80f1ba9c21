//! Verifying a changed bundle with the memo of the one before: only the changed shards are
//! read, and what a change breaks elsewhere is still found, in the unchanged files too.

use std::{fs, path::Path};

use gongkai_core::content::{
    build::write_manifest,
    check::{CheckOptions, ShardMemo, Verified, verify_bundle},
};
use gongkai_testkit::{copy_dir, fixed_build_options, fixed_options};
use serde_json::{Value, json};

/// The minimal bundle with a second shard, built, and the memo of its check.
fn clean_bundle(dir: &Path) -> (std::path::PathBuf, ShardMemo) {
    let root = dir.join("bundle");
    copy_dir(Path::new(gongkai_testkit::MINIMAL_BUNDLE), &root);
    let mut third = read(&root, "documents/a.json")[1].clone();
    third["id"] = "doc-3".into();
    third["index_no"] = "11360402MB1C23456X/2024-00003".into();
    fs::write(root.join("documents/b.json"), serde_json::to_vec_pretty(&json!([third])).unwrap()).unwrap();
    let before = rebuilt(&root, &fixed_options(), None);
    assert!(before.is_clean(), "{:?}", before.problems);
    assert_eq!((before.shards_read, before.shard_count, before.memo.len()), (2, 2, 2));
    (root, before.memo)
}

fn read(root: &Path, file: &str) -> Value {
    serde_json::from_slice(&fs::read(root.join(file)).unwrap()).unwrap()
}

fn write(root: &Path, file: &str, value: &Value) {
    fs::write(root.join(file), serde_json::to_vec_pretty(value).unwrap()).unwrap();
}

fn rebuilt(root: &Path, options: &CheckOptions, memo: Option<ShardMemo>) -> Verified {
    write_manifest(root, &fixed_build_options()).unwrap();
    verify_bundle(root, options, memo)
}

fn lines(verified: &Verified) -> Vec<String> {
    verified.problems.iter().map(ToString::to_string).collect()
}

#[test]
fn a_change_that_breaks_a_reference_held_in_an_unchanged_shard_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let (root, memo) = clean_bundle(dir.path());
    // doc-1, in the unchanged documents/a.json, names the 解读 jd-1, which the new
    // interpretations.json drops.
    write(&root, "interpretations.json", &json!([]));
    let verified = rebuilt(&root, &fixed_options(), Some(memo.clone()));
    assert_eq!(verified.shards_read, 0, "both shards are unchanged");
    assert_eq!(lines(&verified), ["documents/a.json: $[0].interpretations[0]: refers to unknown interpretation \"jd-1\""]);
}

#[test]
fn a_changed_shard_is_read_and_checked_against_the_unchanged_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (root, memo) = clean_bundle(dir.path());
    // documents/b.json now repeats doc-2 of the unchanged a.json, and doc-1 leaves a.json,
    // which the unchanged catalogue and 解读 name.
    let mut b = read(&root, "documents/b.json");
    b[0]["id"] = "doc-2".into();
    write(&root, "documents/b.json", &b);
    let verified = rebuilt(&root, &fixed_options(), Some(memo.clone()));
    assert_eq!(verified.shards_read, 1);
    assert_eq!(lines(&verified), ["documents/b.json: $[0].id: duplicate id \"doc-2\" (also at documents/a.json $[1])"]);

    let mut a = read(&root, "documents/a.json");
    a[0]["id"] = "doc-9".into();
    write(&root, "documents/a.json", &a);
    let verified = rebuilt(&root, &fixed_options(), Some(memo.clone()));
    assert_eq!(verified.shards_read, 2);
    let found = lines(&verified);
    for expected in [
        "catalogue.json: $.domains[0].items[0].documents[0]: refers to unknown document \"doc-1\"",
        "interpretations.json: $[0].document: refers to unknown document \"doc-1\"",
        "documents/a.json: $[0].interpretations[0]: interpretation \"jd-1\" interprets document \"doc-1\", not this one",
    ] {
        assert!(found.iter().any(|line| line == expected), "{expected}: {found:#?}");
    }
}

#[test]
fn a_changed_shard_is_not_taken_from_the_memo_whatever_its_hash_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let (root, memo) = clean_bundle(dir.path());
    write_manifest(&root, &fixed_build_options()).unwrap();
    // Changed after the build: the manifest still gives the hash the memo knows as clean.
    let text = fs::read_to_string(root.join("documents/b.json")).unwrap().replacen("有效", "作废", 1);
    fs::write(root.join("documents/b.json"), text).unwrap();
    let found = lines(&verify_bundle(&root, &fixed_options(), Some(memo.clone())));
    assert!(found.iter().any(|l| l.starts_with("documents/b.json: -: SHA-256 differs")), "{found:#?}");
    assert!(found.iter().any(|l| l.starts_with("documents/b.json: $[0].validity: unknown variant")), "read again: {found:#?}");
}

#[test]
fn a_memo_serves_only_a_check_at_its_time_or_later_and_survives_saving() {
    let dir = tempfile::tempdir().unwrap();
    let (root, memo) = clean_bundle(dir.path());
    let path = dir.path().join("checked-shards");
    memo.save(&path).unwrap();
    let loaded = ShardMemo::load(&path).expect("saved memo loads");
    assert_eq!(rebuilt(&root, &fixed_options(), Some(loaded.clone())).shards_read, 0);
    // A document published on a day that was in the future then could be in the future now.
    let earlier = CheckOptions { now: fixed_options().now - chrono::Duration::days(1) };
    assert_eq!(rebuilt(&root, &earlier, Some(loaded.clone())).shards_read, 2);
    fs::write(&path, b"{\"checker\": ").unwrap();
    assert!(ShardMemo::load(&path).is_none(), "a damaged memo is no memo");
}

#[test]
fn a_renamed_shard_is_taken_from_the_memo_under_its_new_name() {
    let dir = tempfile::tempdir().unwrap();
    let (root, memo) = clean_bundle(dir.path());
    fs::rename(root.join("documents/b.json"), root.join("documents/c.json")).unwrap();
    let mut a = read(&root, "documents/a.json");
    a[1]["id"] = "doc-3".into();
    write(&root, "documents/a.json", &a);
    let verified = rebuilt(&root, &fixed_options(), Some(memo));
    assert_eq!(verified.shards_read, 1, "documents/a.json changed; c.json holds the bytes b.json held");
    assert_eq!(lines(&verified), ["documents/c.json: $[0].id: duplicate id \"doc-3\" (also at documents/a.json $[1])"]);
}
