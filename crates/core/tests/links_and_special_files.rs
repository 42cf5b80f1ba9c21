//! Links leaving the bundle and special files are refused without being opened.

use std::{os::unix::fs::symlink, path::Path, process::Command};

use gongkai_core::content::{build::write_manifest, check::check_bundle};

fn built_minimal() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("bundle");
    gongkai_testkit::copy_dir(Path::new(gongkai_testkit::MINIMAL_BUNDLE), &root);
    write_manifest(&root, &gongkai_testkit::fixed_build_options()).unwrap();
    (dir, root)
}

fn problems(root: &Path) -> Vec<String> {
    check_bundle(root, &gongkai_testkit::fixed_options()).problems.iter().map(ToString::to_string).collect()
}

#[test]
fn link_leading_outside_is_refused() {
    let (dir, root) = built_minimal();
    std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
    symlink(dir.path().join("secret.txt"), root.join("images/secret.png")).unwrap();
    assert_eq!(problems(&root), ["images/secret.png: -: symbolic link leads outside the bundle"]);
}

#[test]
fn fifo_is_refused_without_blocking() {
    let (_dir, root) = built_minimal();
    let status = Command::new("mkfifo").arg(root.join("notices2.json")).status().unwrap();
    assert!(status.success());
    assert_eq!(problems(&root), ["notices2.json: -: not a regular file"]);
}

#[test]
fn missing_folder_is_one_clear_problem() {
    let found = problems(Path::new("/nonexistent/bundle"));
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with(".: -: cannot read the bundle folder /nonexistent/bundle"), "{found:?}");
}
