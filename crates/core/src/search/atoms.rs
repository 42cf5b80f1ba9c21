//! A query term as sequences of atoms, each matching exactly one title character. A term
//! with latin letters has several readings ("xian" is 先 or 西安; "zf" is two initials), so
//! it becomes a list of alternative atom sequences.

use super::pinyin_table::{Syllable, table};

/// How many alternative readings of one term are tried; longer lists only come from very
/// long runs of letters, and their first readings (fewest characters) are the likely ones.
const MAX_ALTERNATIVES: usize = 48;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Atom {
    /// This exact character.
    Char(char),
    /// A hanzi with this reading.
    Syllable(Syllable),
    /// A hanzi with a reading that starts with this letter.
    Initial(u8),
    /// A hanzi with one of these readings: the syllable being typed (only at the end).
    Prefix(Vec<Syllable>),
}

impl Atom {
    /// Like `matches`, but a hanzi counts only in its main reading (行 as xing, not hang).
    pub fn matches_main_reading(&self, c: char) -> bool {
        let main = table().main_reading(c);
        match self {
            Atom::Char(x) => *x == c,
            Atom::Syllable(s) => main == Some(*s),
            Atom::Initial(l) => main.is_some_and(|m| table().initial_of(m) == *l),
            Atom::Prefix(list) => main.is_some_and(|m| list.contains(&m)),
        }
    }

    pub fn matches(&self, c: char) -> bool {
        let t = table();
        match self {
            Atom::Char(x) => *x == c,
            Atom::Syllable(s) => t.readings(c).contains(s),
            Atom::Initial(l) => t.initial_mask(c) & 1 << (l - b'a') != 0,
            Atom::Prefix(list) => t.readings(c).iter().any(|r| list.contains(r)),
        }
    }
}

/// The term read literally: every character as itself.
pub fn literal(term: &str) -> Vec<Atom> {
    term.chars().map(Atom::Char).collect()
}

/// Pinyin readings of a term containing latin letters; hanzi and digits stay literal.
pub fn pinyin_alternatives(term: &str) -> Vec<Vec<Atom>> {
    let chars: Vec<char> = term.chars().collect();
    let mut alternatives: Vec<Vec<Atom>> = vec![Vec::new()];
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_lowercase() {
            alternatives.iter_mut().for_each(|a| a.push(Atom::Char(chars[i])));
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_lowercase() {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let readings = segment(&run, i == chars.len());
        if readings.is_empty() {
            return Vec::new();
        }
        let mut combined = Vec::new();
        for prefix in &alternatives {
            for reading in &readings {
                let mut joined = prefix.clone();
                joined.extend(reading.iter().cloned());
                combined.push(joined);
            }
        }
        combined.sort_by_key(Vec::len);
        combined.truncate(MAX_ALTERNATIVES);
        alternatives = combined;
    }
    alternatives
}

/// All ways to read a run of letters as syllables and initials; the final piece may be a
/// syllable still being typed when the run ends the term.
fn segment(run: &str, ends_term: bool) -> Vec<Vec<Atom>> {
    let mut found = Vec::new();
    let mut current = Vec::new();
    walk(run.as_bytes(), 0, ends_term, &mut current, &mut found);
    found.sort_by_key(Vec::len);
    found.dedup();
    found.truncate(MAX_ALTERNATIVES);
    found
}

fn walk(run: &[u8], at: usize, ends_term: bool, current: &mut Vec<Atom>, found: &mut Vec<Vec<Atom>>) {
    if at == run.len() {
        found.push(current.clone());
        return;
    }
    if found.len() >= MAX_ALTERNATIVES * 4 {
        return;
    }
    let t = table();
    let rest = std::str::from_utf8(&run[at..]).unwrap_or("");
    if ends_term && rest.len() >= 2 {
        let typed: Vec<Syllable> = t.with_prefix(rest).collect();
        if !typed.is_empty() {
            current.push(Atom::Prefix(typed));
            walk(run, run.len(), ends_term, current, found);
            current.pop();
        }
    }
    for len in (2..=rest.len().min(6)).rev() {
        if ends_term && len == rest.len() {
            continue; // covered by the prefix reading above
        }
        if let Some(s) = t.syllable(&rest[..len]) {
            current.push(Atom::Syllable(s));
            walk(run, at + len, ends_term, current, found);
            current.pop();
        }
    }
    let letter = run[at];
    if t.with_prefix(&rest[..1]).next().is_some() {
        current.push(Atom::Initial(letter));
        walk(run, at + 1, ends_term, current, found);
        current.pop();
    }
}

/// True when `term` has letters that may be pinyin.
pub fn has_latin(term: &str) -> bool {
    term.chars().any(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(atoms: &[Atom]) -> String {
        atoms
            .iter()
            .map(|a| match a {
                Atom::Char(c) => c.to_string(),
                Atom::Syllable(s) => format!("[{}]", table().name(*s)),
                Atom::Initial(l) => format!("<{}>", *l as char),
                Atom::Prefix(_) => "…".to_string(),
            })
            .collect()
    }

    #[test]
    fn initials_and_full_syllables() {
        let readings: Vec<String> = pinyin_alternatives("zfxxgk").iter().map(|a| shown(a)).collect();
        assert_eq!(readings, ["<z><f><x><x><g><k>"]);
        let readings: Vec<String> = pinyin_alternatives("zhengfuxinxi").iter().map(|a| shown(a)).collect();
        assert_eq!(readings[0], "[zheng][fu][xin]…");
    }

    #[test]
    fn mixed_letters_and_hanzi() {
        let readings: Vec<String> = pinyin_alternatives("zf公开").iter().map(|a| shown(a)).collect();
        assert_eq!(readings, ["<z><f>公开"]);
    }

    #[test]
    fn atoms_match_heteronyms() {
        let chong = Atom::Syllable(table().syllable("chong").unwrap());
        assert!(chong.matches('重'));
        assert!(Atom::Initial(b'h').matches('行') && Atom::Initial(b'x').matches('行'));
        assert!(!Atom::Initial(b'q').matches('行'));
    }
}
