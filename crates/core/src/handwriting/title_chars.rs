//! The hanzi of the content's own titles: which may be written (a visitor searches this
//! content, so its characters are offered first), and 联想, the characters that follow one in
//! the titles, most frequent first, so that 低 offers 保 on a screen whose titles speak of 低保.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::search::is_hanzi;

#[derive(Debug, Default)]
pub struct TitleChars {
    chars: FxHashSet<char>,
    /// For each character, the characters seen after it, most frequent first.
    following: FxHashMap<char, Vec<char>>,
}

impl TitleChars {
    pub fn from_titles<'a>(titles: impl IntoIterator<Item = &'a str>) -> Self {
        let mut counts: FxHashMap<char, FxHashMap<char, u32>> = FxHashMap::default();
        let mut chars = FxHashSet::default();
        for title in titles {
            let title: Vec<char> = title.chars().collect();
            chars.extend(title.iter().copied().filter(|c| is_hanzi(*c)));
            for pair in title.windows(2).filter(|p| is_hanzi(p[0]) && is_hanzi(p[1])) {
                *counts.entry(pair[0]).or_default().entry(pair[1]).or_default() += 1;
            }
        }
        let following = counts
            .into_iter()
            .map(|(c, next)| {
                let mut next: Vec<(char, u32)> = next.into_iter().collect();
                // Ties in code-point order, so the offer is the same on every kiosk.
                next.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                (c, next.into_iter().map(|(c, _)| c).collect())
            })
            .collect();
        TitleChars { chars, following }
    }

    pub fn contains(&self, c: char) -> bool {
        self.chars.contains(&c)
    }

    /// Up to `n` characters likely to follow `c`.
    pub fn after(&self, c: char, n: usize) -> &[char] {
        self.following.get(&c).map_or(&[], |next| &next[..n.min(next.len())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_frequent_followers_first() {
        let titles = TitleChars::from_titles(["城乡低保标准", "低保边缘家庭", "低收入人口", "最低工资"]);
        assert_eq!(titles.after('低', 3), ['保', '工', '收']);
        assert_eq!(titles.after('庭', 3), [] as [char; 0]);
        assert!(titles.contains('庭') && !titles.contains('字'));
    }
}
