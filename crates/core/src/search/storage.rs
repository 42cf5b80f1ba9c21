//! Compact tables the index keeps: texts and titles in single buffers, and posting lists
//! either in memory (just built) or in the memory-mapped index file (opened), where a list
//! is decoded only when a query needs it. Opening a million-record index then reads little
//! more than the record table.

use memmap2::Mmap;
use roaring::RoaringBitmap;
use rustc_hash::FxHashMap;

/// Many strings in one buffer.
#[derive(Default)]
pub struct TextTable {
    pub(super) text: String,
    /// End of each string in `text`.
    pub(super) ends: Vec<u32>,
}

impl TextTable {
    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends.push(self.text.len() as u32);
    }

    pub fn get(&self, n: u32) -> &str {
        self.text.get(span(&self.ends, n)).unwrap_or("")
    }
}

/// All folded titles, as characters, in one buffer.
#[derive(Default)]
pub struct Titles {
    pub(super) chars: Vec<char>,
    /// End of each title in `chars`.
    pub(super) ends: Vec<u32>,
}

impl Titles {
    pub fn push(&mut self, title: &[char]) {
        self.chars.extend_from_slice(title);
        self.ends.push(self.chars.len() as u32);
    }

    pub fn get(&self, n: u32) -> &[char] {
        self.chars.get(span(&self.ends, n)).unwrap_or(&[])
    }
}

/// The little-endian u64 at byte `at`, if the bytes reach that far.
pub fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    bytes.get(at..at.checked_add(8)?).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes)
}

/// Where item `n` lies in a buffer, given the end of every item.
fn span(ends: &[u32], n: u32) -> std::ops::Range<usize> {
    let n = n as usize;
    let start = if n == 0 { 0 } else { ends.get(n - 1).copied().unwrap_or(0) as usize };
    start..ends.get(n).copied().unwrap_or(0) as usize
}

pub enum Postings {
    Built(FxHashMap<u64, RoaringBitmap>),
    /// `count` sorted keys (u64 LE) at `keys_at`, then (offset, length) pairs (u64 LE) of
    /// bitmaps relative to `blob_at`.
    Mapped { map: Mmap, count: usize, keys_at: usize, blob_at: usize },
}

impl Postings {
    pub fn get(&self, key: u64) -> Option<RoaringBitmap> {
        match self {
            Postings::Built(map) => map.get(&key).cloned(),
            Postings::Mapped { map, count, keys_at, blob_at } => {
                let u64_at = |at: usize| u64_at(map, at);
                let (mut low, mut high) = (0, *count);
                while low < high {
                    let mid = (low + high) / 2;
                    match u64_at(keys_at + mid * 8)?.cmp(&key) {
                        std::cmp::Ordering::Less => low = mid + 1,
                        std::cmp::Ordering::Greater => high = mid,
                        std::cmp::Ordering::Equal => {
                            let span_at = keys_at + count * 8 + mid * 16;
                            let start = blob_at + u64_at(span_at)? as usize;
                            let len = u64_at(span_at + 8)? as usize;
                            return RoaringBitmap::deserialize_from(map.get(start..start.checked_add(len)?)?).ok();
                        }
                    }
                }
                None
            }
        }
    }
}
