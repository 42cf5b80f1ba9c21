//! Query and text normalization: full-width forms folded to ASCII, letters lower-cased,
//! punctuation and spaces turned into term separators.

/// One character as the index sees it, or `None` for a separator.
pub fn fold(c: char) -> Option<char> {
    // Most text is hanzi, and `is_alphanumeric` is slow on them.
    if is_hanzi(c) {
        return Some(c);
    }
    let c = match c {
        // Full-width ASCII (Ａ, １, ｚ …) to ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' => ' ',
        'ü' | 'Ü' => 'v',
        _ => c,
    };
    if c.is_alphanumeric() { Some(c.to_ascii_lowercase()) } else { None }
}

/// Text folded for matching: separators become a single space so that terms never match
/// across them (〔2022〕19号 → "2022 19号").
pub fn fold_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.chars() {
        match fold(c) {
            Some(c) => {
                out.push(c);
                last_space = false;
            }
            None if !last_space => {
                out.push(' ');
                last_space = true;
            }
            None => {}
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Splits a query into terms. Consecutive all-latin terms are joined, because spaces in
/// pinyin only separate syllables ("zheng fu" = "zhengfu").
pub fn terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in fold_text(query).split(' ').filter(|w| !w.is_empty()) {
        let latin = word.chars().all(|c| c.is_ascii_lowercase());
        match terms.last_mut() {
            Some(last) if latin && last.chars().all(|c| c.is_ascii_lowercase()) => last.push_str(word),
            _ => terms.push(word.to_string()),
        }
    }
    terms
}

/// True for the characters that pinyin describes.
pub fn is_hanzi(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_punctuation() {
        assert_eq!(fold_text("云府办发〔２０２３〕5号"), "云府办发 2023 5号");
        assert_eq!(fold_text("《ABC》，好"), "abc 好");
    }

    #[test]
    fn splits_terms_and_joins_pinyin() {
        assert_eq!(terms("zheng fu  xin"), ["zhengfuxin"]);
        assert_eq!(terms("〔2022〕19"), ["2022", "19"]);
        assert_eq!(terms("2022 19号"), ["2022", "19号"]);
        assert_eq!(terms("zf公开"), ["zf公开"]);
        assert_eq!(terms("低保 shenqing"), ["低保", "shenqing"]);
        assert!(terms(" 、。 ").is_empty());
    }
}
