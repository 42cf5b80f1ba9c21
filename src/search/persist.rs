//! Saving a built index to one file and opening it again without rebuilding.

use std::{
    collections::HashMap,
    fs::File,
    io::{self, BufWriter, Read, Write},
    path::Path,
};

use roaring::RoaringBitmap;

use super::{
    index::{Postings, RecordInfo, SearchIndex, Titles},
    record::RecordKind,
};

const MAGIC: &[u8; 10] = b"GKSEARCH2\n";

impl SearchIndex {
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let mut out = BufWriter::new(File::create(path)?);
        out.write_all(MAGIC)?;
        write_u64(&mut out, self.records.len() as u64)?;
        for (record, meta) in self.records.iter().zip(&self.metas) {
            let kind = RecordKind::ALL.iter().position(|k| *k == record.kind).unwrap_or(0);
            out.write_all(&[kind as u8])?;
            write_str(&mut out, &record.id)?;
            write_str(&mut out, &record.title)?;
            write_str(&mut out, meta)?;
        }
        write_u64(&mut out, self.titles.chars.len() as u64)?;
        for c in &self.titles.chars {
            out.write_all(&(*c as u32).to_le_bytes())?;
        }
        write_u64(&mut out, self.titles.starts.len() as u64)?;
        for start in &self.titles.starts {
            out.write_all(&start.to_le_bytes())?;
        }
        write_map(&mut out, &self.by_kind, |out, kind| {
            let n = RecordKind::ALL.iter().position(|k| k == kind).unwrap_or(0);
            write_u64(out, n as u64)
        })?;
        write_map(&mut out, &self.by_domain, |out, domain| write_str(out, domain))?;
        write_map(&mut out, &self.by_year, |out, year| write_u64(out, *year as i64 as u64))?;
        write_postings(&mut out, &self.postings)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    }

    /// Opens a saved index; a damaged or foreign file is an error naming the file.
    pub fn open(path: &Path) -> io::Result<Self> {
        let mut bytes = Vec::new();
        File::open(path)?.read_to_end(&mut bytes)?;
        read_index(bytes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", path.display())))
    }
}

fn read_index(bytes: Vec<u8>) -> io::Result<SearchIndex> {
    let input = &mut bytes.as_slice();
    let mut magic = [0u8; 10];
    input.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(invalid("not a gongkai search index of this version"));
    }
    let count = read_len(input)?;
    let mut records = Vec::with_capacity(count);
    let mut metas = Vec::with_capacity(count);
    for _ in 0..count {
        let kind = read_kind(input)?;
        let id = read_str(input)?;
        let title = read_str(input)?;
        metas.push(read_str(input)?.into_boxed_str());
        records.push(RecordInfo { kind, id, title });
    }
    let chars = read_u32s(input)?.into_iter().map(|c| char::from_u32(c).unwrap_or(' ')).collect();
    let starts = read_u32s(input)?;
    if starts.len() != count + 1 && count > 0 {
        return Err(invalid("title table does not match the records"));
    }
    let titles = Titles { chars, starts };
    let by_kind = read_map(input, |input| {
        let n = read_u64(input)? as usize;
        RecordKind::ALL.get(n).copied().ok_or_else(|| invalid("unknown record kind"))
    })?;
    let by_domain = read_map(input, read_str)?;
    let by_year = read_map(input, |input| Ok(read_u64(input)? as i64 as i32))?;
    let keys_count = read_len(input)?;
    let keys: Vec<u64> = (0..keys_count).map(|_| read_u64(input)).collect::<io::Result<_>>()?;
    let mut spans = Vec::with_capacity(keys_count);
    let blob_start = bytes.len() - input.len() + 16 * keys_count;
    for _ in 0..keys_count {
        let (offset, len) = (read_len(input)?, read_len(input)?);
        spans.push((blob_start + offset, len));
    }
    if spans.iter().any(|(start, len)| start + len > bytes.len()) || !keys.is_sorted() {
        return Err(invalid("posting table points outside the file"));
    }
    let postings = Postings::Saved { bytes, keys, spans };
    Ok(SearchIndex { records, titles, metas, postings, by_kind, by_domain, by_year })
}

/// Keys sorted, their spans, then the bitmaps back to back.
fn write_postings(out: &mut impl Write, postings: &Postings) -> io::Result<()> {
    let Postings::Built(map) = postings else {
        return Err(io::Error::other("only a freshly built index is saved"));
    };
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

fn read_u32s(input: &mut &[u8]) -> io::Result<Vec<u32>> {
    let count = read_len(input)?;
    let bytes = input.get(..count * 4).ok_or_else(|| invalid("table beyond the end of the file"))?;
    *input = &input[count * 4..];
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
    let (bytes, rest) = input.split_at(len);
    *input = rest;
    String::from_utf8(bytes.to_vec()).map_err(|_| invalid("text is not UTF-8"))
}

fn read_kind(input: &mut &[u8]) -> io::Result<RecordKind> {
    let mut byte = [0u8; 1];
    input.read_exact(&mut byte)?;
    RecordKind::ALL.get(byte[0] as usize).copied().ok_or_else(|| invalid("unknown record kind"))
}

fn write_bitmap(out: &mut impl Write, bitmap: &RoaringBitmap) -> io::Result<()> {
    write_u64(out, bitmap.serialized_size() as u64)?;
    bitmap.serialize_into(out)
}

fn read_bitmap(input: &mut &[u8]) -> io::Result<RoaringBitmap> {
    let len = read_len(input)?;
    let (bytes, rest) = input.split_at(len);
    *input = rest;
    RoaringBitmap::deserialize_from(bytes)
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
        std::fs::write(&path, b"GKSEARCH2\n\xff\xff\xff\xff\xff\xff\xff\x7f").unwrap();
        let error = SearchIndex::open(&path).err().unwrap().to_string();
        assert!(error.contains("index.bin") && error.contains("beyond the end"), "{error}");
        std::fs::write(&path, b"hello").unwrap();
        assert!(SearchIndex::open(&path).is_err());
    }
}
