//! SQLite FTS5 with the trigram tokenizer (SQLite 3.34+), the substring index SQLite offers.
//! A term of three characters or more is a MATCH on its trigrams; a shorter one can only be a
//! LIKE, which the trigram index does not serve: a scan, as FTS5 documents. Hits are ranked
//! by FTS5's bm25, or newest first when nothing is a MATCH.

use std::path::Path;

use gongkai_core::search::SearchRecord;
use rusqlite::{Connection, params_from_iter};

use super::{Peer, Term, terms, title_pinyin};

pub struct Fts5 {
    db: Connection,
}

const FILE: &str = "fts5.db";

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
                let (pinyin, initials) = title_pinyin(&record.title);
                insert
                    .execute(rusqlite::params![position as i64, record.title, record.meta, record.body, pinyin, initials])
                    .expect("insert a record");
            }
        }
        writing.commit().expect("commit");
        db.execute_batch("INSERT INTO docs (docs) VALUES ('optimize');").expect("optimize");
        Fts5 { db }
    }

    fn open(dir: &Path) -> Self {
        Fts5 { db: Connection::open(dir.join(FILE)).expect("open the FTS5 database") }
    }

    fn search(&self, text: &str, limit: usize) -> (Vec<u32>, u64) {
        let mut matches = Vec::new();
        let mut likes = Vec::new();
        let mut values: Vec<String> = Vec::new();
        for term in terms(text) {
            let (text, columns) = match &term {
                Term::Chars(text) => (text, ["title", "meta", "body"].as_slice()),
                Term::Letters(text) => (text, ["pinyin", "initials"].as_slice()),
            };
            if text.chars().count() >= 3 {
                matches.push(format!("{{{}}} : \"{}\"", columns.join(" "), text.replace('"', "\"\"")));
            } else {
                values.push(format!("%{text}%"));
                let at = values.len() + 1;
                // `+` keeps the LIKE from the planner's use of the index, which would leave the
                // MATCH beside it unusable (and a trigram index cannot serve under 3 characters).
                likes.push(format!("({})", columns.iter().map(|c| format!("+{c} LIKE ?{at}")).collect::<Vec<_>>().join(" OR ")));
            }
        }
        if matches.is_empty() && likes.is_empty() {
            return (Vec::new(), 0);
        }
        let mut conditions = likes;
        let ordered = if matches.is_empty() { "rowid" } else { "rank" };
        // ?1 is the MATCH expression; a query without one binds it unused.
        if !matches.is_empty() {
            conditions.insert(0, "docs MATCH ?1".to_string());
        } else {
            conditions.insert(0, "?1 IS NOT NULL".to_string());
        }
        let bound: Vec<String> = std::iter::once(matches.join(" AND ")).chain(values).collect();
        let condition = conditions.join(" AND ");
        let hits: Vec<u32> = self
            .db
            .prepare_cached(&format!("SELECT rowid FROM docs WHERE {condition} ORDER BY {ordered} LIMIT {limit}"))
            .and_then(|mut s| s.query_map(params_from_iter(&bound), |r| r.get::<_, i64>(0)).and_then(|rows| rows.collect::<Result<Vec<_>, _>>()))
            .expect("FTS5 search")
            .into_iter()
            .map(|rowid| rowid as u32)
            .collect();
        let total: i64 = self
            .db
            .prepare_cached(&format!("SELECT count(*) FROM docs WHERE {condition}"))
            .and_then(|mut s| s.query_row(params_from_iter(&bound), |r| r.get(0)))
            .expect("FTS5 count");
        (hits, total as u64)
    }
}
