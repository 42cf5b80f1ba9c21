//! The engines an engineer would pick instead of ours, given the same records and the same
//! keystrokes: SQLite FTS5 with its trigram tokenizer, and tantivy with n-grams. Both index
//! the text folded as ours folds it, and the pinyin and initials of every title, every reading
//! of a heteronym, from the same `pinyin` data ours uses, so that pinyin and initials find
//! titles in them too.

pub mod fts5;
pub mod tantivy_engine;

use std::path::Path;

use gongkai_core::search::{SearchRecord, fold_text, is_hanzi, query_terms};
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
    /// Hanzi and digits (and letters among them): anywhere in the title, meta or body.
    Chars(String),
    /// Latin letters only: the pinyin or the initials of the title, or the letters themselves
    /// in the title, meta or body.
    Letters(String),
}

/// Our own terms (folded, spaced pinyin joined), each taken as the peers can: a term that
/// mixes pinyin with characters (`zf信息公开`) becomes its letters and its characters, each
/// matched on its own, which is looser than ours (there they must stand together in a title).
pub fn terms(text: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    for term in query_terms(text) {
        if term.chars().all(|c| c.is_ascii_lowercase()) {
            terms.push(Term::Letters(term));
        } else if term.chars().any(is_hanzi) && term.chars().any(|c| c.is_ascii_lowercase()) {
            let letters: String = term.chars().filter(|c| c.is_ascii_lowercase()).collect();
            let rest: String = term.chars().filter(|c| !c.is_ascii_lowercase()).collect();
            terms.extend([Term::Letters(letters), Term::Chars(rest)]);
        } else {
            terms.push(Term::Chars(term));
        }
    }
    terms
}

/// The fields a peer indexes for one record: folded as ours folds text.
pub struct Indexed {
    pub title: String,
    pub meta: String,
    pub body: String,
    pub pinyin: String,
    pub initials: String,
}

impl Indexed {
    pub fn of(record: &SearchRecord) -> Self {
        let (pinyin, initials) = title_pinyin(&record.title);
        Indexed { title: fold_text(&record.title), meta: fold_text(&record.meta), body: fold_text(&record.body), pinyin, initials }
    }
}

/// At most this many readings of a title are kept, heteronyms multiplying them.
const MAX_READINGS: usize = 16;

/// The title's full pinyin and its initials, one reading after another (space-separated),
/// every reading of a heteronym up to `MAX_READINGS`; ü is typed v.
fn title_pinyin(title: &str) -> (String, String) {
    let mut readings = vec![(String::new(), String::new())];
    for syllables in title.chars().filter(|c| is_hanzi(*c)).filter_map(|c| c.to_pinyin_multi()) {
        let mut distinct: Vec<String> = Vec::new();
        // Readings that differ by tone only are one here.
        for plain in syllables.into_iter().map(|p| p.plain().replace('ü', "v")) {
            if !distinct.contains(&plain) {
                distinct.push(plain);
            }
        }
        readings = readings
            .iter()
            .flat_map(|(full, initials)| distinct.iter().map(move |s| (format!("{full}{s}"), format!("{initials}{}", &s[..1]))))
            .take(MAX_READINGS)
            .collect();
    }
    let (full, initials): (Vec<String>, Vec<String>) = readings.into_iter().unzip();
    (full.join(" "), initials.join(" "))
}
