//! The corpus of bad bundles: each file in `tests/bad-bundles/` breaks one rule of the
//! minimal valid bundle and states the exact lines `gongkai content check` must print. Each
//! is checked three ways, which must agree: loading the content (as a screen does), verifying
//! one shard at a time (`content check`), and verifying with the memo of the clean bundle it
//! was changed from (as sync does).

use std::{fs, path::Path};

use gongkai_core::content::{
    build::write_manifest,
    check::{Problem, check_bundle, verify_bundle},
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default)]
    before_build: Vec<Edit>,
    #[serde(default)]
    after_build: Vec<Edit>,
    expected: Vec<String>,
}

/// One change to a file of the bundle. Exactly one action is set.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    /// Set the value at this JSON pointer (creating the last key; `-` appends to an array).
    set: Option<String>,
    value: Option<Value>,
    /// Remove the value at this JSON pointer.
    delete: Option<String>,
    write_json: Option<Value>,
    write_text: Option<String>,
    write_hex: Option<String>,
    append_text: Option<String>,
    /// Replace the first occurrence of a text in the file, keeping the rest byte for byte.
    replace: Option<(String, String)>,
    copy_from: Option<String>,
    /// Cut the file to this many bytes, or pad it with zeros up to them.
    set_len: Option<u64>,
    /// Write a plain PNG of this width and height.
    png: Option<(u32, u32)>,
    #[serde(default)]
    remove: bool,
}

fn apply(root: &Path, edit: &Edit) {
    let path = root.join(&edit.file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let read_json = || -> Value { serde_json::from_slice(&fs::read(&path).unwrap()).unwrap() };
    let write_json = |value: &Value| fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    if let Some(pointer) = &edit.set {
        let mut json = read_json();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let value = edit.value.clone().unwrap();
        match json.pointer_mut(parent).unwrap() {
            Value::Object(map) => {
                map.insert(key.to_string(), value);
            }
            Value::Array(items) if key == "-" => items.push(value),
            Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
            other => panic!("cannot set {key} in {other}"),
        }
        write_json(&json);
    } else if let Some(pointer) = &edit.delete {
        let mut json = read_json();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        json.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key).unwrap();
        write_json(&json);
    } else if let Some(value) = &edit.write_json {
        write_json(value);
    } else if let Some(text) = &edit.write_text {
        fs::write(&path, text).unwrap();
    } else if let Some(hex_text) = &edit.write_hex {
        fs::write(&path, hex::decode(hex_text).unwrap()).unwrap();
    } else if let Some(text) = &edit.append_text {
        let mut bytes = fs::read(&path).unwrap();
        bytes.extend_from_slice(text.as_bytes());
        fs::write(&path, bytes).unwrap();
    } else if let Some((from, to)) = &edit.replace {
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from.as_str()), "{} lacks {from}", edit.file);
        fs::write(&path, text.replacen(from.as_str(), to, 1)).unwrap();
    } else if let Some(source) = &edit.copy_from {
        fs::copy(root.join(source), &path).unwrap();
    } else if let Some(length) = edit.set_len {
        fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(length).unwrap();
    } else if let Some((width, height)) = edit.png {
        image::RgbImage::new(width, height).save(&path).unwrap();
    } else if edit.remove {
        fs::remove_file(&path).unwrap();
    } else {
        panic!("edit of {} does nothing", edit.file);
    }
}

/// The lines of each way of checking the bundle of `case`, named, and how many shards the
/// check with the memo read.
fn problems_of(case: &Case) -> ([(&'static str, Vec<String>); 3], usize) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("bundle");
    gongkai_testkit::copy_dir(Path::new(gongkai_testkit::MINIMAL_BUNDLE), &root);
    let options = gongkai_testkit::fixed_options();
    write_manifest(&root, &gongkai_testkit::fixed_build_options()).unwrap();
    let before = verify_bundle(&root, &options, None);
    assert!(before.is_clean() && before.memo.len() == 1, "{:?}", before.problems);
    case.before_build.iter().for_each(|edit| apply(&root, edit));
    write_manifest(&root, &gongkai_testkit::fixed_build_options()).unwrap();
    case.after_build.iter().for_each(|edit| apply(&root, edit));
    let lines = |problems: Vec<Problem>| problems.iter().map(ToString::to_string).collect();
    let with_memo = verify_bundle(&root, &options, Some(before.memo));
    let found = [
        ("loaded", lines(check_bundle(&root, &options).problems)),
        ("verified", lines(verify_bundle(&root, &options, None).problems)),
        ("verified with the memo", lines(with_memo.problems)),
    ];
    (found, with_memo.shards_read)
}

#[test]
fn the_minimal_bundle_is_clean() {
    let case = Case { before_build: vec![], after_build: vec![], expected: vec![] };
    let (found, shards_read) = problems_of(&case);
    for (way, found) in found {
        assert_eq!(found, Vec::<String>::new(), "{way}");
    }
    assert_eq!(shards_read, 0, "the unchanged shard comes from the memo");
}

#[test]
fn every_bad_bundle_gets_exactly_its_messages() {
    let mut failures = Vec::new();
    let mut from_memo = 0;
    let mut cases: Vec<_> = fs::read_dir("tests/bad-bundles").unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus shrank to {} cases", cases.len());
    for path in &cases {
        let case: Case = serde_json::from_slice(&fs::read(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (found, shards_read) = problems_of(&case);
        from_memo += usize::from(shards_read == 0);
        for (way, found) in found {
            if found != case.expected {
                failures.push(format!(
                    "{} ({way})\n  expected: {:#?}\n  found:    {:#?}",
                    path.display(),
                    case.expected,
                    found
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} case(s) differ:\n{}", failures.len(), failures.join("\n"));
    // Most cases leave documents/a.json as it was: their check with the memo took it from there.
    assert!(from_memo * 2 > cases.len(), "only {from_memo} of {} cases took the shard from the memo", cases.len());
}
