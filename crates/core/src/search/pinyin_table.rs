//! Toneless pinyin readings of every hanzi (all readings of heteronyms: 重 is zhong and
//! chong), and the set of syllables, numbered so the index can use small keys.

use std::{collections::HashMap, sync::OnceLock};

use pinyin::ToPinyinMulti;

use super::normalize::is_hanzi;

pub type Syllable = u16;

pub struct PinyinTable {
    names: Vec<String>,
    by_name: HashMap<String, Syllable>,
    /// Readings of the hanzi U+3400..=U+9FFF, indexed from U+3400.
    readings: Vec<Vec<Syllable>>,
    /// First letters of those readings as bits (a = bit 0), for fast matching.
    initial_masks: Vec<u32>,
}

const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9FFF;

/// The table, built once (about 20,000 characters).
pub fn table() -> &'static PinyinTable {
    static TABLE: OnceLock<PinyinTable> = OnceLock::new();
    TABLE.get_or_init(PinyinTable::build)
}

impl PinyinTable {
    fn build() -> Self {
        let mut table =
            PinyinTable { names: Vec::new(), by_name: HashMap::new(), readings: Vec::new(), initial_masks: Vec::new() };
        for cp in FIRST..=LAST {
            let mut readings = Vec::new();
            if let Some(multi) = char::from_u32(cp).and_then(|c| c.to_pinyin_multi()) {
                for reading in multi {
                    let name = reading.plain().replace('ü', "v");
                    // Readings such as ê cannot be typed on the A–Z keyboard.
                    if !name.bytes().all(|b| b.is_ascii_lowercase()) {
                        continue;
                    }
                    let id = table.intern(name);
                    if !readings.contains(&id) {
                        readings.push(id);
                    }
                }
            }
            let mask = readings.iter().fold(0, |mask, s| mask | 1 << (table.names[*s as usize].as_bytes()[0] - b'a'));
            table.initial_masks.push(mask);
            table.readings.push(readings);
        }
        table
    }

    fn intern(&mut self, name: String) -> Syllable {
        if let Some(id) = self.by_name.get(&name) {
            return *id;
        }
        let id = self.names.len() as Syllable;
        self.by_name.insert(name.clone(), id);
        self.names.push(name);
        id
    }

    /// All readings of `c`; empty for anything but hanzi.
    pub fn readings(&self, c: char) -> &[Syllable] {
        if !is_hanzi(c) {
            return &[];
        }
        self.readings.get((c as u32 - FIRST) as usize).map_or(&[], Vec::as_slice)
    }

    pub fn syllable(&self, name: &str) -> Option<Syllable> {
        self.by_name.get(name).copied()
    }

    #[cfg(test)]
    pub fn name(&self, syllable: Syllable) -> &str {
        &self.names[syllable as usize]
    }

    /// Syllables that start with `prefix` (as typed so far).
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = Syllable> + 'a {
        self.names.iter().enumerate().filter(move |(_, n)| n.starts_with(prefix)).map(|(i, _)| i as Syllable)
    }

    /// The main (most common) reading of `c`, listed first by the pinyin data.
    pub fn main_reading(&self, c: char) -> Option<Syllable> {
        self.readings(c).first().copied()
    }

    pub fn initial_of(&self, syllable: Syllable) -> u8 {
        self.names[syllable as usize].as_bytes()[0]
    }

    /// First letters of the readings of `c` as bits, `a` = bit 0 (a heteronym may have several).
    pub fn initial_mask(&self, c: char) -> u32 {
        if !is_hanzi(c) {
            return 0;
        }
        self.initial_masks.get((c as u32 - FIRST) as usize).copied().unwrap_or(0)
    }

    /// First letters of the readings of `c`.
    pub fn initials(&self, c: char) -> impl Iterator<Item = u8> {
        let mask = self.initial_mask(c);
        (b'a'..=b'z').filter(move |l| mask & 1 << (l - b'a') != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(c: char) -> Vec<&'static str> {
        table().readings(c).iter().map(|s| table().name(*s)).collect()
    }

    #[test]
    fn heteronyms_have_all_readings() {
        assert!(names('重').contains(&"zhong") && names('重').contains(&"chong"));
        assert!(names('行').contains(&"xing") && names('行').contains(&"hang"));
        assert!(names('长').contains(&"chang") && names('长').contains(&"zhang"));
        assert_eq!(names('绿').first(), Some(&"lv"));
    }

    #[test]
    fn initials_are_unique_first_letters() {
        let mut initials: Vec<u8> = table().initials('长').collect();
        initials.sort();
        assert_eq!(initials, b"cz");
        assert_eq!(table().initials('A').count(), 0);
    }

    #[test]
    fn prefixes_find_syllables() {
        let t = table();
        let found: Vec<&str> = t.with_prefix("zhen").map(|s| t.name(s)).collect();
        assert!(found.contains(&"zhen") && found.contains(&"zheng"));
    }
}
