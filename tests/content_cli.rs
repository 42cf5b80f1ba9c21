//! The `gongkai content` commands as an operator runs them.

use std::{path::Path, process::Command};

fn gongkai(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai")).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_prints_each_problem_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("b");
    gongkai_testkit::copy_dir(Path::new(gongkai_testkit::MINIMAL_BUNDLE), &bundle);
    std::fs::write(bundle.join("key_work.json"), "[{\"id\": 1}").unwrap();
    let (code, stdout, stderr) = gongkai(&["content", "check", bundle.to_str().unwrap(), "--now", "2026-11-22"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "key_work.json:1:10: EOF while parsing a list",
            "manifest.json: -: missing; build the bundle with `gongkai content build`",
        ]
    );
    assert!(stderr.contains("2 problem(s)"), "{stderr}");
}

#[test]
fn build_then_check_succeeds_and_a_bad_source_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bundle");
    let (code, _, stderr) = gongkai(&[
        "content", "build", gongkai_testkit::MINIMAL_BUNDLE, out.to_str().unwrap(), "--bundle-version", "7", "--now", "2026-11-22",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("bundle version 7"), "{stderr}");
    let (code, _, stderr) = gongkai(&["content", "check", out.to_str().unwrap(), "--now", "2026-11-22"]);
    assert_eq!(code, 0, "{stderr}");

    let source = dir.path().join("source");
    gongkai_testkit::copy_dir(Path::new(gongkai_testkit::MINIMAL_BUNDLE), &source);
    std::fs::write(source.join("notices.json"), "[]garbage").unwrap();
    let refused = dir.path().join("refused");
    let (code, stdout, _) = gongkai(&["content", "build", source.to_str().unwrap(), refused.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("notices.json:1:3: trailing characters"), "{stdout}");
    assert!(!refused.exists(), "a refused bundle must not be left in place");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no staging folder is left behind");
}

#[test]
fn synth_writes_a_bundle_that_passes_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    for out in [&first, &second] {
        let (code, _, stderr) = gongkai(&["content", "synth", "--documents", "12000", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains("12000 documents"), "{stderr}");
    }
    let shards: Vec<_> = std::fs::read_dir(first.join("documents")).unwrap().collect();
    assert_eq!(shards.len(), 3, "5000 documents a shard");
    for shard in ["documents/00000.json", "documents/00002.json", "interpretations.json"] {
        assert_eq!(std::fs::read(first.join(shard)).unwrap(), std::fs::read(second.join(shard)).unwrap());
    }
}
