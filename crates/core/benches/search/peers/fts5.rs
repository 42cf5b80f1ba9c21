//! SQLite FTS5 with the trigram tokenizer (SQLite 3.34+), the substring index SQLite offers.
//! A term of three characters or more is a MATCH on its trigrams; a shorter one can only be a
//! LIKE, which a trigram index cannot serve: a scan, as FTS5 documents. Hits are ranked by
//! bm25 with the title and its pinyin weighed above the meta fields and the body, then newest
//! first; the total comes with them from one statement.

use std::path::Path;

use gongkai_core::search::SearchRecord;
use rusqlite::{Connection, params_from_iter};

use super::{Indexed, Peer, Term, terms};

pub struct Fts5 {
    db: Connection,
}

const FILE: &str = "fts5.db";
/// bm25 with weights of title, meta, body, pinyin and initials, as ours ranks title matches first.
const SCORE: &str = "bm25(docs, 10.0, 3.0, 1.0, 10.0, 10.0)";

impl Fts5 {
    fn connect(dir: &Path) -> Connection {
        let db = Connection::open(dir.join(FILE)).expect("open the FTS5 database");
        // Read through a memory map, as the other engines read their files.
        let bytes = std::fs::metadata(dir.join(FILE)).map_or(0, |m| m.len());
        db.pragma_update(None, "mmap_size", bytes as i64).expect("mmap_size");
        db.set_prepared_statement_cache_capacity(256);
        db
    }
}

impl Peer for Fts5 {
    const NAME: &'static str = "SQLite FTS5 trigram";

    fn build(records: &[SearchRecord], dir: &Path) -> Self {
        let mut db = Connection::open(dir.join(FILE)).expect("create the FTS5 database");
        db.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             CREATE VIRTUAL TABLE docs USING fts5(title, meta, body, pinyin, initials, tokenize = 'trigram');",
        )
        .expect("create the FTS5 table");
        let writing = db.transaction().expect("transaction");
        {
            let mut insert = writing
                .prepare("INSERT INTO docs (rowid, title, meta, body, pinyin, initials) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .expect("insert statement");
            for (position, record) in records.iter().enumerate() {
                let f = Indexed::of(record);
                insert.execute(rusqlite::params![position as i64, f.title, f.meta, f.body, f.pinyin, f.initials]).expect("insert a record");
            }
        }
        writing.commit().expect("commit");
        db.execute_batch("INSERT INTO docs (docs) VALUES ('optimize');").expect("optimize");
        drop(db);
        Fts5 { db: Fts5::connect(dir) }
    }

    fn open(dir: &Path) -> Self {
        Fts5 { db: Fts5::connect(dir) }
    }

    fn search(&self, text: &str, limit: usize) -> (Vec<u32>, u64) {
        let mut matches = Vec::new();
        let mut likes = Vec::new();
        let mut values: Vec<String> = Vec::new();
        for term in terms(text) {
            let (text, columns) = match &term {
                Term::Chars(text) => (text, ["title", "meta", "body"].as_slice()),
                Term::Letters(text) => (text, ["pinyin", "initials", "title", "meta", "body"].as_slice()),
            };
            if text.chars().count() >= 3 {
                matches.push(format!("{{{}}} : \"{}\"", columns.join(" "), text.replace('"', "\"\"")));
            } else {
                values.push(format!("%{text}%"));
                let at = values.len() + 1;
                // `+` keeps a short LIKE, which the trigram index cannot serve, out of the
                // planner's use of the table's index, so that a MATCH beside it is still served.
                likes.push(format!("({})", columns.iter().map(|c| format!("+{c} LIKE ?{at}")).collect::<Vec<_>>().join(" OR ")));
            }
        }
        if matches.is_empty() && likes.is_empty() {
            return (Vec::new(), 0);
        }
        // ?1 is the MATCH expression; a query without one binds it unused and keeps rowid order.
        let (first, score) = if matches.is_empty() { ("?1 IS NOT NULL", "0") } else { ("docs MATCH ?1", SCORE) };
        let condition = std::iter::once(first.to_string()).chain(likes).collect::<Vec<_>>().join(" AND ");
        let bound: Vec<String> = std::iter::once(matches.join(" AND ")).chain(values).collect();
        let rows: Vec<(i64, i64)> = self
            .db
            .prepare_cached(&format!(
                "SELECT id, count(*) OVER () FROM (SELECT rowid AS id, {score} AS score FROM docs WHERE {condition}) ORDER BY score, id LIMIT {limit}"
            ))
            .and_then(|mut s| s.query_map(params_from_iter(&bound), |r| Ok((r.get(0)?, r.get(1)?))).and_then(|rows| rows.collect()))
            .expect("FTS5 search");
        let total = rows.first().map_or(0, |(_, total)| *total as u64);
        (rows.into_iter().map(|(rowid, _)| rowid as u32).collect(), total)
    }
}
