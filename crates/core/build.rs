//! Extracts the character coverage of the shipped font at build time, so the content checker
//! tests text against exactly the font the kiosk draws with, without carrying 16 MB of font
//! data in every binary.

use std::{env, fmt::Write, fs, path::PathBuf};

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
    fs::write(path, out).unwrap();
}
