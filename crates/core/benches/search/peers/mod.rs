//! The engines an engineer would pick instead of ours, given the same records and the same
//! keystrokes: SQLite FTS5 with its trigram tokenizer, and tantivy with n-grams. Each gets
//! the pinyin and initials of every title, every reading of a heteronym, from the same
//! `pinyin` data ours uses, so that pinyin and initials find titles in them too.

pub mod fts5;
pub mod tantivy_engine;

use std::path::Path;

use gongkai_core::search::{SearchRecord, is_hanzi};
use pinyin::ToPinyinMulti;

/// A peer engine: built once into `dir`, then opened (the kiosk's start) and asked.
pub trait Peer: Sized {
    const NAME: &'static str;
    fn build(records: &[SearchRecord], dir: &Path) -> Self;
    fn open(dir: &Path) -> Self;
    /// The positions in `records` of the first `limit` hits, in the engine's order, and the
    /// number of all hits.
    fn search(&self, text: &str, limit: usize) -> (Vec<u32>, u64);
}

/// A piece of what the visitor typed that must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Hanzi and digits: anywhere in the title, the meta fields or the body.
    Chars(String),
    /// Latin letters: in the pinyin or the initials of the title.
    Letters(String),
}

/// Splits `text` as ours does: punctuation and spaces separate terms, and within a term a run
/// of letters (pinyin) is apart from a run of characters (`zf信息公开` is `zf` and `信息公开`).
pub fn terms(text: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    for word in text.split(|c: char| !(c.is_alphanumeric() || is_hanzi(c))).filter(|w| !w.is_empty()) {
        let mut run = String::new();
        let mut letters = false;
        for c in word.chars() {
            let letter = c.is_ascii_alphabetic();
            if !run.is_empty() && letter != letters {
                let done = std::mem::take(&mut run);
                terms.push(if letters { Term::Letters(done) } else { Term::Chars(done) });
            }
            letters = letter;
            run.extend(c.to_lowercase());
        }
        if !run.is_empty() {
            terms.push(if letters { Term::Letters(run) } else { Term::Chars(run) });
        }
    }
    terms
}

/// At most this many readings of a title are kept, heteronyms multiplying them.
const MAX_READINGS: usize = 16;

/// The title's full pinyin and its initials, one reading after another (space-separated),
/// every reading of a heteronym up to `MAX_READINGS`.
pub fn title_pinyin(title: &str) -> (String, String) {
    let mut readings = vec![(String::new(), String::new())];
    for syllables in title.chars().filter(|c| is_hanzi(*c)).filter_map(|c| c.to_pinyin_multi()) {
        let mut distinct: Vec<&str> = Vec::new();
        // Readings that differ by tone only are one here.
        for plain in syllables.into_iter().map(|p| p.plain()) {
            if !distinct.contains(&plain) {
                distinct.push(plain);
            }
        }
        let syllables = distinct;
        readings = readings
            .iter()
            .flat_map(|(full, initials)| syllables.iter().map(move |s| (format!("{full}{s}"), format!("{initials}{}", &s[..1]))))
            .take(MAX_READINGS)
            .collect();
    }
    let (full, initials): (Vec<String>, Vec<String>) = readings.into_iter().unzip();
    (full.join(" "), initials.join(" "))
}
