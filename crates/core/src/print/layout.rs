//! Breaks text into lines that fit a width, measured with the font's own advances, the way
//! Chinese is set: a line may break between any two characters, but closing punctuation never
//! starts one (it hangs at the end of the line before), opening punctuation never ends one,
//! and a run of Latin letters or digits, or a dash ——, stays whole.

use ttf_parser::Face;

/// Advances of the characters of one face, in points at a given size.
pub struct Metrics<'a> {
    face: Face<'a>,
    units_per_em: f32,
}

impl<'a> Metrics<'a> {
    pub fn new(face: Face<'a>) -> Self {
        let units_per_em = f32::from(face.units_per_em());
        Metrics { face, units_per_em }
    }

    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size / self.units_per_em
    }

    fn advance(&self, c: char) -> f32 {
        let glyph = self.face.glyph_index(c).unwrap_or_default();
        f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0))
    }
}

/// Characters that may not begin a line (避头).
fn closes(c: char) -> bool {
    "，。、；：？！）》」』〉】”’…·%,.;:?!)]".contains(c)
}

/// Characters that may not end a line (避尾).
fn opens(c: char) -> bool {
    "（《「『〈【“‘([".contains(c)
}

fn in_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | '@' | '—' | '…')
}

/// The units a line may break between: one CJK character each, a Latin word or a dash whole,
/// an opening mark together with what follows it.
fn units(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut units = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i + 1;
        while j < chars.len() && opens(chars[j - 1].1) {
            j += 1;
        }
        while j < chars.len() && in_word(chars[j - 1].1) && in_word(chars[j].1) {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(at, _)| at);
        units.push(&text[chars[i].0..end]);
        i = j;
    }
    units
}

/// `text` broken into lines no wider than `width` points at `size` (a closing mark may hang
/// past it by its own width; a word longer than a line is cut).
pub fn wrap(text: &str, width: f32, size: f32, metrics: &Metrics) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    for unit in units(text) {
        let unit_width = metrics.width(unit, size);
        let hangs = unit.chars().all(closes);
        if used + unit_width > width && !line.is_empty() && !hangs {
            lines.push(std::mem::take(&mut line));
            used = 0.0;
        }
        if unit_width > width {
            for c in unit.chars() {
                let w = metrics.width(c.encode_utf8(&mut [0; 4]), size);
                if used + w > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0.0;
                }
                line.push(c);
                used += w;
            }
            continue;
        }
        line.push_str(unit);
        used += unit_width;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics_of(data: &[u8]) -> Metrics<'_> {
        Metrics::new(Face::parse(data, 0).unwrap())
    }

    fn font() -> Vec<u8> {
        std::fs::read(crate::config::assets_dir().join(crate::content::font_coverage::FONT_ASSET)).unwrap()
    }

    #[test]
    fn lines_fit_and_keep_every_character_in_order() {
        let data = font();
        let metrics = metrics_of(&data);
        let text = "各街道办事处、镇人民政府，区政府各部门：《云溪区国土空间分区规划（2021—2035年）》已经江州市人民政府批准，现印发给你们，请认真抓好贯彻落实。";
        let lines = wrap(text, 120.0, 12.0, &metrics);
        assert!(lines.len() > 5);
        assert_eq!(lines.concat(), text);
        for line in &lines {
            // Closing marks at the end of a line may hang past the column.
            let hanging: String = line.chars().rev().take_while(|&c| closes(c)).collect();
            let hang = metrics.width(&hanging, 12.0);
            assert!(metrics.width(line, 12.0) <= 120.0 + hang + 0.01, "{line}");
            assert!(!line.starts_with(closes), "{line} starts with a closing mark");
        }
        assert!(!lines.iter().any(|l| l.ends_with(opens)), "a line ends with an opening mark: {lines:?}");
        let years = lines.iter().filter(|l| l.contains("2021—2035")).count();
        assert_eq!(years, 1, "the years and their dash stay on one line: {lines:?}");
    }

    #[test]
    fn a_dash_and_an_opening_mark_stay_with_their_text() {
        let data = font();
        let metrics = metrics_of(&data);
        let text = "甲乙丙丁戊己庚辛壬——癸（一）、甲乙丙丁戊己庚辛壬《条例》第二十条";
        for width in [60.0, 84.0, 108.0, 120.0, 132.0] {
            let lines = wrap(text, width, 12.0, &metrics);
            assert_eq!(lines.concat(), text);
            assert_eq!(lines.iter().filter(|l| l.contains("——")).count(), 1, "{width}: {lines:?}");
            assert!(!lines.iter().any(|l| l.ends_with(opens) || l.starts_with(closes)), "{width}: {lines:?}");
        }
    }

    #[test]
    fn a_full_width_character_is_one_em() {
        let data = font();
        assert!((metrics_of(&data).width("政务公开", 10.0) - 40.0).abs() < 0.01);
    }
}
