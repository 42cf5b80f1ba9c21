//! Exact checks of a term against one record's text, for matches the posting lists only
//! suggest (a three-character term whose pairs all occur, but apart).

use super::atoms::Atom;

/// Where a title matches a term, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TitlePlace {
    Whole,
    Start,
    Inside,
}

/// True when the title begins with a match (cheaper than finding the best place).
pub fn starts_with(title: &[char], atoms: &[Atom]) -> bool {
    !atoms.is_empty() && matches_at(title, 0, atoms)
}

fn matches_at(title: &[char], start: usize, atoms: &[Atom]) -> bool {
    title.len() >= start + atoms.len()
        && atoms.iter().zip(&title[start..]).all(|(atom, c)| atom.matches(*c))
}

/// True when `atoms` match somewhere reading every hanzi in its main reading. Such matches
/// rank before those that need a rarer reading (dibao: 低保 before 的(di)报告).
pub fn matches_in_main_readings(title: &[char], atoms: &[Atom]) -> bool {
    !atoms.is_empty()
        && title.len() >= atoms.len()
        && (0..=title.len() - atoms.len())
            .any(|start| atoms.iter().zip(&title[start..]).all(|(atom, c)| atom.matches_main_reading(*c)))
}

/// The best place in `title` where `atoms` match, if anywhere.
pub fn title_place(title: &[char], atoms: &[Atom]) -> Option<TitlePlace> {
    if atoms.is_empty() || atoms.len() > title.len() {
        return None;
    }
    if matches_at(title, 0, atoms) {
        return Some(if atoms.len() == title.len() { TitlePlace::Whole } else { TitlePlace::Start });
    }
    (1..=title.len() - atoms.len())
        .any(|start| matches_at(title, start, atoms))
        .then_some(TitlePlace::Inside)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::atoms::{literal, pinyin_alternatives};

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn places_rank_whole_start_inside() {
        let title = chars("安装简单");
        assert_eq!(title_place(&title, &literal("安装简单")), Some(TitlePlace::Whole));
        assert_eq!(title_place(&title, &literal("安装")), Some(TitlePlace::Start));
        assert_eq!(title_place(&title, &literal("简单")), Some(TitlePlace::Inside));
        assert_eq!(title_place(&title, &literal("简易")), None);
    }

    #[test]
    fn pinyin_readings_match_titles() {
        let title = chars("重庆市银行");
        let found = |q: &str| pinyin_alternatives(q).iter().filter_map(|a| title_place(&title, a)).min();
        assert_eq!(found("cq"), Some(TitlePlace::Start));
        assert_eq!(found("chongqing"), Some(TitlePlace::Start));
        assert_eq!(found("yh"), Some(TitlePlace::Inside));
        assert_eq!(found("yinhang"), Some(TitlePlace::Inside));
        assert_eq!(found("yinxing"), Some(TitlePlace::Inside), "行 read xing still counts");
        assert_eq!(found("chongqingshiyinh"), Some(TitlePlace::Whole), "typing the last syllable");
        assert_eq!(found("zq"), Some(TitlePlace::Start), "重 read zhong");
        assert_eq!(found("bj"), None);
        let main = |q: &str| pinyin_alternatives(q).iter().any(|a| matches_in_main_readings(&title, a));
        assert!(main("yinxing") && !main("yinhang") && !main("cq") && main("zq"));
    }
}
