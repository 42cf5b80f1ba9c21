//! Which characters the shipped font can draw (generated from the font by `build.rs`).

include!(concat!(env!("OUT_DIR"), "/font_coverage.rs"));

/// The font file the kiosk draws all text with, relative to the asset folder.
pub const FONT_ASSET: &str = "fonts/NotoSansCJKsc-Regular.otf";
/// The bold face of the same family, for headings and figures.
pub const BOLD_FONT_ASSET: &str = "fonts/NotoSansCJKsc-Bold.otf";

/// True when the shipped font has a glyph for `c`.
pub fn font_has(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x10000 {
        BMP[(cp / 64) as usize] & (1 << (cp % 64)) != 0
    } else {
        SUPPLEMENTARY.binary_search(&cp).is_ok()
    }
}

/// Characters that need no glyph because they are layout controls, not drawn.
pub fn needs_glyph(c: char) -> bool {
    !matches!(c, '\n' | '\r' | '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_gb2312_samples_latin_and_punctuation() {
        for c in "政务公开线下专区〔〕《》“”，。：；ABCxyz0129￥".chars() {
            assert!(font_has(c), "{c} should be in the font");
        }
    }

    #[test]
    fn lacks_emoji_and_rare_extension_b() {
        assert!(!font_has('😀'));
        assert!(!font_has('\u{2A6D6}'));
    }
}
