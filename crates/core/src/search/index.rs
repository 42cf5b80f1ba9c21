//! The in-memory index: posting lists (roaring bitmaps) of character and pinyin grams.
//! Records are numbered in rank order (items before details, each newest first), so that order
//! is simply ascending record number and the first matches of a bitmap rank highest.

use std::collections::HashMap;

use roaring::RoaringBitmap;
use rustc_hash::FxHashMap;

use super::{
    keys::{self, Field},
    normalize::{fold_text, is_hanzi},
    pinyin_table::table,
    record::{RecordKind, SearchRecord, sort_in_rank_order},
    storage::{Postings, TextTable, Titles},
};

/// Records indexed between flushes of the posting buffers into the bitmaps; bounds the
/// memory the build needs beyond the bitmaps themselves.
const BUILD_BATCH: usize = 1 << 16;

/// What a result shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordInfo<'a> {
    pub kind: RecordKind,
    pub id: &'a str,
    pub title: &'a str,
}

pub struct SearchIndex {
    pub(super) kinds: Vec<RecordKind>,
    pub(super) ids: TextTable,
    /// Titles as written, for display.
    pub(super) display_titles: TextTable,
    /// Folded titles, for checking matches the posting lists only suggest.
    pub(super) titles: Titles,
    pub(super) metas: TextTable,
    pub(super) postings: Postings,
    pub(super) by_kind: HashMap<RecordKind, RoaringBitmap>,
    pub(super) by_domain: HashMap<String, RoaringBitmap>,
    pub(super) by_year: HashMap<i32, RoaringBitmap>,
}

impl SearchIndex {
    /// Builds the index. The posting lists, most of the work, are built on every core, each
    /// from its own range of records; the ranges are then joined in order.
    pub fn build(mut records: Vec<SearchRecord>) -> Self {
        sort_in_rank_order(&mut records);
        let mut index = SearchIndex {
            kinds: Vec::with_capacity(records.len()),
            ids: TextTable::default(),
            display_titles: TextTable::default(),
            titles: Titles::default(),
            metas: TextTable::default(),
            postings: Postings::Built(FxHashMap::default()),
            by_kind: HashMap::new(),
            by_domain: HashMap::new(),
            by_year: HashMap::new(),
        };
        let workers = std::thread::available_parallelism().map_or(1, usize::from);
        let range_len = records.len().div_ceil(workers).max(BUILD_BATCH);
        let postings = std::thread::scope(|scope| {
            let ranges: Vec<_> = records
                .chunks(range_len)
                .enumerate()
                .map(|(n, range)| scope.spawn(move || range_postings(range, (n * range_len) as u32)))
                .collect();
            for (number, record) in records.iter().enumerate() {
                index.add(number as u32, record);
            }
            let mut ranges = ranges.into_iter().map(|worker| worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            let first = ranges.next().unwrap_or_default();
            ranges.fold(first, |mut joined, range| {
                for (key, bitmap) in range {
                    *joined.entry(key).or_default() |= bitmap;
                }
                joined
            })
        });
        index.postings = Postings::Built(postings);
        index
    }

    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    pub fn record(&self, number: u32) -> RecordInfo<'_> {
        RecordInfo {
            kind: self.kinds.get(number as usize).copied().unwrap_or(RecordKind::Document),
            id: self.ids.get(number),
            title: self.display_titles.get(number),
        }
    }

    /// The record's tables: what a result shows and what matches are checked against.
    fn add(&mut self, number: u32, record: &SearchRecord) {
        self.by_kind.entry(record.kind).or_default().insert(number);
        if let Some(domain) = &record.domain {
            self.by_domain.entry(domain.clone()).or_default().insert(number);
        }
        if let Some(year) = record.year() {
            self.by_year.entry(year).or_default().insert(number);
        }
        self.kinds.push(record.kind);
        self.ids.push(&record.id);
        self.display_titles.push(&record.title);
        self.titles.push(&fold_text(&record.title).chars().collect::<Vec<_>>());
        self.metas.push(&fold_text(&record.meta));
    }
}

/// The posting lists of a range of records numbered from `first`.
fn range_postings(records: &[SearchRecord], first: u32) -> FxHashMap<u64, RoaringBitmap> {
    let mut buffer = PostingBuffer::default();
    let mut postings = FxHashMap::default();
    for (offset, record) in records.iter().enumerate() {
        let number = first + offset as u32;
        let title: Vec<char> = fold_text(&record.title).chars().collect();
        let mut emit = |key: u64| buffer.push(key, number);
        index_chars(Field::Title, &title, &mut emit);
        index_chars(Field::Meta, &fold_text(&record.meta).chars().collect::<Vec<_>>(), &mut emit);
        index_chars(Field::Body, &fold_text(&record.body).chars().collect::<Vec<_>>(), &mut emit);
        index_pinyin(&title, &mut emit);
        emit(keys::title_length(title.len()));
        if (offset + 1).is_multiple_of(BUILD_BATCH) {
            buffer.flush_into(&mut postings);
        }
    }
    buffer.flush_into(&mut postings);
    postings
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

