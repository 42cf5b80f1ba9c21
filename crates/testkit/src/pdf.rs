//! A PDF read back as the person holding it reads it: poppler's `pdftotext` (poppler-utils,
//! installed by the test script).

use std::{path::Path, process::Command};

/// The text of the PDF at `path`, without the spaces and line breaks its layout puts in, so
/// that a sentence wrapped across lines is still found whole.
pub fn text_of(path: &Path) -> String {
    let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(path).arg("-").output().expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    squeeze(&String::from_utf8(out.stdout).expect("UTF-8 text"))
}

/// `text_of` a PDF held in memory, as downloaded.
pub fn text_of_bytes(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("downloaded.pdf");
    std::fs::write(&path, bytes).expect("the PDF written");
    text_of(&path)
}

/// `text` without whitespace, to compare with what `text_of` gives.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}
