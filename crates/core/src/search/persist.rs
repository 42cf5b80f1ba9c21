//! Saving a built index to one file and opening it again without rebuilding.

use std::{
    collections::HashMap,
    fs::File,
    io::{self, BufWriter, Read, Write},
    path::Path,
};

use memmap2::Mmap;
use roaring::RoaringBitmap;
use rustc_hash::FxHashMap;

use super::{
    index::SearchIndex,
    record::RecordKind,
    storage::{Postings, TextTable, Titles, u64_at},
};

const MAGIC: &[u8; 10] = b"GKSEARCH3\n";

impl SearchIndex {
    /// Writes the index to `path` (replaced whole: write elsewhere and rename to update an
    /// index that may be open).
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let Postings::Built(postings) = &self.postings else {
            return Err(io::Error::other("only a freshly built index can be saved"));
        };
        let mut out = BufWriter::new(File::create(path)?);
        out.write_all(MAGIC)?;
        write_u64(&mut out, self.kinds.len() as u64)?;
        let kinds: Vec<u8> = self.kinds.iter().map(|k| k.code()).collect();
        out.write_all(&kinds)?;
        for table in [&self.ids, &self.display_titles, &self.metas] {
            write_u64(&mut out, table.text.len() as u64)?;
            out.write_all(table.text.as_bytes())?;
            write_u32s(&mut out, &table.ends)?;
        }
        let chars: Vec<u32> = self.titles.chars.iter().map(|c| *c as u32).collect();
        write_u32s(&mut out, &chars)?;
        write_u32s(&mut out, &self.titles.ends)?;
        write_map(&mut out, &self.by_kind, |out, kind| write_u64(out, kind.code() as u64))?;
        write_map(&mut out, &self.by_domain, |out, domain| write_str(out, domain))?;
        write_map(&mut out, &self.by_year, |out, year| write_u64(out, *year as i64 as u64))?;
        write_postings(&mut out, postings)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    }

    /// Opens a saved index; a damaged or foreign file is an error naming the file.
    pub fn open(path: &Path) -> io::Result<Self> {
        let file = File::open(path)?;
        // SAFETY: index files are written whole by `save` and replaced by renaming, never
        // changed in place, so the mapped bytes do not change while they are mapped.
        let map = unsafe { Mmap::map(&file)? };
        read_index(map).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", path.display())))
    }
}

fn read_index(map: Mmap) -> io::Result<SearchIndex> {
    let input = &mut &map[..];
    let mut magic = [0u8; 10];
    input.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(invalid("not a gongkai search index of this version"));
    }
    let count = read_len(input)?;
    let kinds = take(input, count)?.iter().map(|k| kind_from_code(*k as u64)).collect::<io::Result<Vec<_>>>()?;
    let ids = read_text_table(input, count)?;
    let display_titles = read_text_table(input, count)?;
    let metas = read_text_table(input, count)?;
    let chars: Vec<char> = read_u32s(input)?.into_iter().map(|c| char::from_u32(c).unwrap_or(' ')).collect();
    let ends = read_ends(input, count, chars.len())?;
    let titles = Titles { chars, ends };
    let by_kind = read_map(input, |input| kind_from_code(read_u64(input)?))?;
    let by_domain = read_map(input, read_str)?;
    let by_year = read_map(input, |input| Ok(read_u64(input)? as i64 as i32))?;
    let keys = read_len(input)?;
    let keys_at = map.len() - input.len();
    let blob_at = keys.checked_mul(24).and_then(|n| n.checked_add(keys_at)).filter(|end| *end <= map.len())
        .ok_or_else(|| invalid("posting table beyond the end of the file"))?;
    let key = |n: usize| u64_at(&map, keys_at + n * 8);
    let sorted = (1..keys).all(|i| key(i - 1) < key(i));
    if !sorted {
        return Err(invalid("posting keys are not sorted"));
    }
    let postings = Postings::Mapped { map, count: keys, keys_at, blob_at };
    Ok(SearchIndex { kinds, ids, display_titles, titles, metas, postings, by_kind, by_domain, by_year })
}

/// Keys sorted, their spans, then the bitmaps back to back.
fn write_postings(out: &mut impl Write, map: &FxHashMap<u64, RoaringBitmap>) -> io::Result<()> {
    let mut keys: Vec<&u64> = map.keys().collect();
    keys.sort();
    write_u64(out, keys.len() as u64)?;
    for key in &keys {
        write_u64(out, **key)?;
    }
    let mut offset = 0u64;
    for key in &keys {
        let len = map[*key].serialized_size() as u64;
        write_u64(out, offset)?;
        write_u64(out, len)?;
        offset += len;
    }
    for key in &keys {
        map[*key].serialize_into(&mut *out)?;
    }
    Ok(())
}

fn read_text_table(input: &mut &[u8], count: usize) -> io::Result<TextTable> {
    let len = read_len(input)?;
    let text = std::str::from_utf8(take(input, len)?).map_err(|_| invalid("text is not UTF-8"))?.to_string();
    let ends = read_ends(input, count, text.len())?;
    Ok(TextTable { text, ends })
}

/// The end offsets of a table: one per record, the last at the end of the buffer.
fn read_ends(input: &mut &[u8], count: usize, buffer_len: usize) -> io::Result<Vec<u32>> {
    let ends = read_u32s(input)?;
    if ends.len() != count || ends.last().is_some_and(|end| *end as usize != buffer_len) {
        return Err(invalid("table does not match the records"));
    }
    Ok(ends)
}

fn kind_from_code(code: u64) -> io::Result<RecordKind> {
    RecordKind::from_code(code).ok_or_else(|| invalid("unknown record kind"))
}

fn take<'a>(input: &mut &'a [u8], len: usize) -> io::Result<&'a [u8]> {
    if len > input.len() {
        return Err(invalid("length beyond the end of the file"));
    }
    let (taken, rest) = input.split_at(len);
    *input = rest;
    Ok(taken)
}

fn write_u32s(out: &mut impl Write, values: &[u32]) -> io::Result<()> {
    write_u64(out, values.len() as u64)?;
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    out.write_all(&bytes)
}

fn read_u32s(input: &mut &[u8]) -> io::Result<Vec<u32>> {
    let count = read_u64(input)?;
    let bytes = take(input, usize::try_from(count).ok().and_then(|c| c.checked_mul(4)).ok_or_else(|| invalid("table too large"))?)?;
    Ok(bytes.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
}

fn invalid(reason: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, reason.to_string())
}

fn write_u64(out: &mut impl Write, value: u64) -> io::Result<()> {
    out.write_all(&value.to_le_bytes())
}

fn read_u64(input: &mut &[u8]) -> io::Result<u64> {
    let mut bytes = [0u8; 8];
    input.read_exact(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

/// A count or length, refused when larger than what is left of the file.
fn read_len(input: &mut &[u8]) -> io::Result<usize> {
    let len = read_u64(input)?;
    if len > input.len() as u64 {
        return Err(invalid("length beyond the end of the file"));
    }
    Ok(len as usize)
}

fn write_str(out: &mut impl Write, text: &str) -> io::Result<()> {
    write_u64(out, text.len() as u64)?;
    out.write_all(text.as_bytes())
}

fn read_str(input: &mut &[u8]) -> io::Result<String> {
    let len = read_len(input)?;
    String::from_utf8(take(input, len)?.to_vec()).map_err(|_| invalid("text is not UTF-8"))
}

fn write_bitmap(out: &mut impl Write, bitmap: &RoaringBitmap) -> io::Result<()> {
    write_u64(out, bitmap.serialized_size() as u64)?;
    bitmap.serialize_into(out)
}

fn read_bitmap(input: &mut &[u8]) -> io::Result<RoaringBitmap> {
    let len = read_len(input)?;
    RoaringBitmap::deserialize_from(take(input, len)?)
}

fn write_map<K, W: Write>(
    out: &mut W,
    map: &HashMap<K, RoaringBitmap>,
    write_key: impl Fn(&mut W, &K) -> io::Result<()>,
) -> io::Result<()> {
    write_u64(out, map.len() as u64)?;
    for (key, bitmap) in map {
        write_key(out, key)?;
        write_bitmap(out, bitmap)?;
    }
    Ok(())
}

fn read_map<K: std::hash::Hash + Eq>(
    input: &mut &[u8],
    read_key: impl Fn(&mut &[u8]) -> io::Result<K>,
) -> io::Result<HashMap<K, RoaringBitmap>> {
    let count = read_len(input)?;
    let mut map = HashMap::with_capacity(count);
    for _ in 0..count {
        let key = read_key(input)?;
        map.insert(key, read_bitmap(input)?);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{SearchQuery, SearchRecord};

    #[test]
    fn saved_index_answers_like_the_built_one() {
        let records = vec![SearchRecord {
            kind: RecordKind::Guide,
            id: "bs-1".into(),
            title: "最低生活保障申请".into(),
            meta: "区民政局".into(),
            body: "家庭人均收入低于当地低保标准".into(),
            date: None,
            domain: Some("shjz".into()),
        }];
        let built = SearchIndex::build(records);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.bin");
        built.save(&path).unwrap();
        let opened = SearchIndex::open(&path).unwrap();
        for text in ["dbsq", "低保", "民政", "zuidi", "shjz"] {
            let query = SearchQuery { text, limit: 5, ..SearchQuery::default() };
            assert_eq!(built.search(&query).hits, opened.search(&query).hits, "{text}");
        }
        assert_eq!(opened.search(&SearchQuery { text: "zuidishenghuo", limit: 5, ..Default::default() }).total, 1);
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.bin");
        std::fs::write(&path, b"GKSEARCH3\n\xff\xff\xff\xff\xff\xff\xff\x7f").unwrap();
        let error = SearchIndex::open(&path).err().unwrap().to_string();
        assert!(error.contains("index.bin") && error.contains("beyond the end"), "{error}");
        std::fs::write(&path, b"hello").unwrap();
        assert!(SearchIndex::open(&path).is_err());
    }
}
