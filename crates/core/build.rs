//! Extracts the character coverage of the shipped font at build time, so the content checker
//! tests text against exactly the font the kiosk draws with, without carrying 16 MB of font
//! data in every binary; and fingerprints the checker, so that what one build found clean is
//! not trusted by another (`GONGKAI_CHECKER_FINGERPRINT`).

use std::{
    env,
    fmt::Write,
    fs,
    path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};

const FONT: &str = "../../assets/fonts/NotoSansCJKsc-Regular.otf";

fn main() {
    println!("cargo:rerun-if-changed={FONT}");
    let data = fs::read(FONT).unwrap_or_else(|e| panic!("cannot read {FONT}: {e}"));
    let face = ttf_parser::Face::parse(&data, 0).unwrap_or_else(|e| panic!("{FONT}: {e}"));
    let cmap = face.tables().cmap.unwrap_or_else(|| panic!("{FONT} has no cmap table"));

    let mut bmp = vec![0u64; 0x10000 / 64];
    let mut supplementary = Vec::new();
    for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
        subtable.codepoints(|cp| {
            let has_glyph = subtable.glyph_index(cp).is_some_and(|g| g.0 != 0);
            if !has_glyph {
                return;
            }
            if cp < 0x10000 {
                bmp[cp as usize / 64] |= 1 << (cp % 64);
            } else {
                supplementary.push(cp);
            }
        });
    }
    supplementary.sort_unstable();
    supplementary.dedup();

    let mut out = String::new();
    writeln!(out, "static BMP: [u64; {}] = {:?};", bmp.len(), bmp).unwrap();
    writeln!(out, "static SUPPLEMENTARY: [u32; {}] = {:?};", supplementary.len(), supplementary)
        .unwrap();
    let path = PathBuf::from(env::var("OUT_DIR").unwrap()).join("font_coverage.rs");
    println!("cargo:rustc-env=GONGKAI_CHECKER_FINGERPRINT={}", checker_fingerprint(&out));
    fs::write(path, out).unwrap();
}

/// The checker's rules are its code (`src/content`, and the id rule of `src/handoff`) and the
/// font coverage they test text against.
fn checker_fingerprint(coverage: &str) -> String {
    let mut files = Vec::new();
    for folder in ["src/content", "src/handoff"] {
        println!("cargo:rerun-if-changed={folder}");
        rust_files(Path::new(folder), &mut files);
    }
    files.sort();
    let mut hasher = Sha256::new();
    hasher.update(coverage);
    for file in files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())));
    }
    hex::encode(&hasher.finalize()[..12])
}

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display())).flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}
