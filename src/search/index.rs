//! The in-memory index: posting lists (roaring bitmaps) of character and pinyin grams.
//! Records are numbered newest first, so "newer first" is simply ascending record number
//! and the first matches of a bitmap are the newest ones.

use std::collections::HashMap;

use roaring::RoaringBitmap;
use rustc_hash::FxHashMap;

use super::{
    keys::{self, Field},
    normalize::{fold_text, is_hanzi},
    pinyin_table::table,
    record::{RecordKind, SearchRecord, sort_newest_first},
};

/// Records indexed between flushes of the posting buffers into the bitmaps; bounds the
/// memory the build needs beyond the bitmaps themselves.
const BUILD_BATCH: usize = 1 << 16;

/// What a result shows, and what the ranking and filters need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordInfo {
    pub kind: RecordKind,
    pub id: String,
    pub title: String,
}

pub struct SearchIndex {
    pub(super) records: Vec<RecordInfo>,
    /// Folded titles, for checking matches the posting lists only suggest.
    pub(super) titles: Titles,
    pub(super) metas: Vec<Box<str>>,
    pub(super) postings: Postings,
    pub(super) by_kind: HashMap<RecordKind, RoaringBitmap>,
    pub(super) by_domain: HashMap<String, RoaringBitmap>,
    pub(super) by_year: HashMap<i32, RoaringBitmap>,
}

impl SearchIndex {
    pub fn build(mut records: Vec<SearchRecord>) -> Self {
        sort_newest_first(&mut records);
        let mut index = SearchIndex {
            records: Vec::with_capacity(records.len()),
            titles: Titles::default(),
            metas: Vec::with_capacity(records.len()),
            postings: Postings::Built(FxHashMap::default()),
            by_kind: HashMap::new(),
            by_domain: HashMap::new(),
            by_year: HashMap::new(),
        };
        let mut buffer = PostingBuffer::default();
        let mut postings = FxHashMap::default();
        for (number, record) in records.into_iter().enumerate() {
            let number = number as u32;
            index.add(number, record, &mut buffer);
            if (number as usize + 1) % BUILD_BATCH == 0 {
                buffer.flush_into(&mut postings);
            }
        }
        buffer.flush_into(&mut postings);
        index.postings = Postings::Built(postings);
        index
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn record(&self, number: u32) -> &RecordInfo {
        &self.records[number as usize]
    }

    fn add(&mut self, number: u32, record: SearchRecord, buffer: &mut PostingBuffer) {
        let title: Vec<char> = fold_text(&record.title).chars().collect();
        let meta = fold_text(&record.meta);
        let body = fold_text(&record.body);
        let mut emit = |key: u64| buffer.push(key, number);

        index_chars(Field::Title, &title, &mut emit);
        index_chars(Field::Meta, &meta.chars().collect::<Vec<_>>(), &mut emit);
        index_chars(Field::Body, &body.chars().collect::<Vec<_>>(), &mut emit);
        index_pinyin(&title, &mut emit);
        emit(keys::title_length(title.len()));

        self.by_kind.entry(record.kind).or_default().insert(number);
        if let Some(domain) = &record.domain {
            self.by_domain.entry(domain.clone()).or_default().insert(number);
        }
        if let Some(year) = record.year() {
            self.by_year.entry(year).or_default().insert(number);
        }
        self.records.push(RecordInfo { kind: record.kind, id: record.id, title: record.title });
        self.titles.push(&title);
        self.metas.push(meta.into_boxed_str());
    }
}

fn index_chars(field: Field, chars: &[char], emit: &mut impl FnMut(u64)) {
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            continue;
        }
        emit(keys::char(field, *c));
        if let Some(next) = chars.get(i + 1).filter(|n| **n != ' ') {
            emit(keys::char_pair(field, *c, *next));
        }
    }
}

/// Syllables and initials of every title hanzi, alone and in adjacent pairs, and of the
/// first character for "title starts with" matches.
fn index_pinyin(title: &[char], emit: &mut impl FnMut(u64)) {
    let t = table();
    if let Some(first) = title.first() {
        emit(keys::first_char(*first));
        t.readings(*first).iter().for_each(|s| emit(keys::first_syllable(*s)));
        t.initials(*first).for_each(|l| emit(keys::first_initial(l)));
        if let Some(second) = title.get(1) {
            emit(keys::first_char_pair(*first, *second));
            for a in t.readings(*first) {
                t.readings(*second).iter().for_each(|b| emit(keys::first_syllable_pair(*a, *b)));
            }
            for a in t.initials(*first) {
                t.initials(*second).for_each(|b| emit(keys::first_initial_pair(a, b)));
            }
        }
    }
    for (i, c) in title.iter().enumerate().filter(|(_, c)| is_hanzi(**c)) {
        for s in t.readings(*c) {
            emit(keys::syllable(*s));
        }
        for l in t.initials(*c) {
            emit(keys::initial(l));
        }
        let Some(next) = title.get(i + 1).filter(|n| is_hanzi(**n)) else { continue };
        for a in t.readings(*c) {
            for b in t.readings(*next) {
                emit(keys::syllable_pair(*a, *b));
            }
            t.initials(*next).for_each(|b| emit(keys::syllable_initial(*a, b)));
        }
        for a in t.initials(*c) {
            t.readings(*next).iter().for_each(|b| emit(keys::initial_syllable(a, *b)));
        }
        for a in t.initials(*c) {
            for b in t.initials(*next) {
                emit(keys::initial_pair(a, b));
            }
        }
    }
}

/// Record numbers per key, gathered in ascending order and moved into the bitmaps in batches.
#[derive(Default)]
struct PostingBuffer(FxHashMap<u64, Vec<u32>>);

impl PostingBuffer {
    fn push(&mut self, key: u64, number: u32) {
        let list = self.0.entry(key).or_default();
        if list.last() != Some(&number) {
            list.push(number);
        }
    }

    fn flush_into(&mut self, postings: &mut FxHashMap<u64, RoaringBitmap>) {
        for (key, list) in self.0.iter_mut().filter(|(_, l)| !l.is_empty()) {
            let bitmap = postings.entry(*key).or_default();
            // Numbers only grow from batch to batch, so appending keeps bitmaps sorted.
            let appended = bitmap.append(list.drain(..));
            debug_assert!(appended.is_ok(), "record numbers are added in ascending order");
        }
    }
}

/// All folded titles in one buffer (one allocation for a million titles).
#[derive(Default)]
pub(super) struct Titles {
    pub(super) chars: Vec<char>,
    /// Where each title starts in `chars`; one more entry than titles.
    pub(super) starts: Vec<u32>,
}

impl Titles {
    fn push(&mut self, title: &[char]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.chars.extend_from_slice(title);
        self.starts.push(self.chars.len() as u32);
    }

    pub(super) fn get(&self, number: u32) -> &[char] {
        let n = number as usize;
        match (self.starts.get(n), self.starts.get(n + 1)) {
            (Some(start), Some(end)) => &self.chars[*start as usize..*end as usize],
            _ => &[],
        }
    }
}

/// Posting lists: in memory after a build; in the saved file's bytes after opening, decoded
/// when a query asks for them, which makes opening a large index fast.
pub(super) enum Postings {
    Built(FxHashMap<u64, RoaringBitmap>),
    Saved {
        bytes: Vec<u8>,
        /// Sorted keys and, for each, where its bitmap lies in `bytes`.
        keys: Vec<u64>,
        spans: Vec<(usize, usize)>,
    },
}

impl Postings {
    pub(super) fn get(&self, key: u64) -> Option<RoaringBitmap> {
        match self {
            Postings::Built(map) => map.get(&key).cloned(),
            Postings::Saved { bytes, keys, spans } => {
                let (start, len) = spans[keys.binary_search(&key).ok()?];
                RoaringBitmap::deserialize_from(bytes.get(start..start + len)?).ok()
            }
        }
    }
}
