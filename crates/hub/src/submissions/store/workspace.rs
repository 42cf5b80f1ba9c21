//! The content workspace's tables: each item's listing (small rows a list scans), its body
//! apart, and the bundle's other files.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use gongkai_core::content::workspace::{Item, Kind, StoredFile};

/// Items of one kind that a list shows: matching `text` (in the title, numbers, issuer or
/// key) and the filters that are set.
#[derive(Debug, Clone)]
pub struct WorkspaceQuery {
    pub kind: Kind,
    pub text: String,
    /// `YYYY`: dated in that year.
    pub year: String,
    pub domain: String,
    pub validity: String,
}

impl WorkspaceQuery {
    /// Every item of `kind`.
    pub fn all(kind: Kind) -> Self {
        Self { kind, text: String::new(), year: String::new(), domain: String::new(), validity: String::new() }
    }
}

/// One row of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceRow {
    pub id: String,
    pub title: String,
    pub dated: String,
    pub domain: String,
    pub validity: String,
    pub revision: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// An item with who changed it last, when, and how often.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceEntry {
    pub item: Item,
    pub revision: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

pub fn replace_all(c: &Connection, items: &[Item], files: &[StoredFile], staff: &str, at: i64) -> rusqlite::Result<()> {
    c.execute_batch("DELETE FROM workspace_items; DELETE FROM workspace_bodies; DELETE FROM workspace_files;")?;
    let mut listing = c.prepare(
        "INSERT INTO workspace_items (kind, id, file, position, title, search, dated, domain, validity, revision, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11)",
    )?;
    let mut body = c.prepare("INSERT INTO workspace_bodies (kind, id, body) VALUES (?1, ?2, ?3)")?;
    for item in items {
        let shown = item.listing();
        let kind = item.kind.name();
        listing.execute(params![kind, item.id, item.file, item.position, shown.title, shown.search, shown.dated, shown.domain, shown.validity, staff, at])?;
        body.execute(params![kind, item.id, item.body.to_string()])?;
    }
    let mut file = c.prepare("INSERT INTO workspace_files (path, bytes) VALUES (?1, ?2)")?;
    for stored in files {
        file.execute(params![stored.path, stored.bytes])?;
    }
    Ok(())
}

pub fn counts(c: &Connection) -> rusqlite::Result<BTreeMap<Kind, u64>> {
    let mut statement = c.prepare("SELECT kind, count(*) FROM workspace_items GROUP BY kind")?;
    let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut counts = BTreeMap::new();
    for row in rows {
        let (kind, count) = row?;
        if let Some(kind) = Kind::from_name(&kind) {
            counts.insert(kind, count as u64);
        }
    }
    Ok(counts)
}

/// A page of the matching rows, newest first, and how many match: one pass over the listing
/// index for both, then the page's rows by rowid.
pub fn list(c: &Connection, query: &WorkspaceQuery, offset: usize, limit: usize) -> rusqlite::Result<(Vec<WorkspaceRow>, u64)> {
    let mut matching = c.prepare_cached(
        "SELECT rowid FROM workspace_items INDEXED BY workspace_items_listing
         WHERE kind = ?1 AND (?2 = '' OR instr(search, ?2) > 0) AND (?3 = '' OR substr(dated, 1, 4) = ?3)
           AND (?4 = '' OR domain = ?4) AND (?5 = '' OR validity = ?5)
         ORDER BY dated DESC, id",
    )?;
    let text = query.text.trim().to_lowercase();
    let ids = matching
        .query_map(params![query.kind.name(), text, query.year, query.domain, query.validity], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    let mut row = c.prepare_cached("SELECT id, title, dated, domain, validity, revision, updated_by, updated_at FROM workspace_items WHERE rowid = ?1")?;
    let page = ids.iter().skip(offset).take(limit).map(|rowid| {
        row.query_row([rowid], |r| {
            Ok(WorkspaceRow {
                id: r.get(0)?,
                title: r.get(1)?,
                dated: r.get(2)?,
                domain: r.get(3)?,
                validity: r.get(4)?,
                revision: r.get(5)?,
                updated_by: r.get(6)?,
                updated_at: r.get(7)?,
            })
        })
    });
    Ok((page.collect::<rusqlite::Result<Vec<_>>>()?, ids.len() as u64))
}

/// The years items of `kind` are dated in, newest first: one seek in the listing index a year
/// (the latest date before the year found last), not a pass over every item.
pub fn years(c: &Connection, kind: Kind) -> rusqlite::Result<Vec<String>> {
    let mut latest_before = c.prepare_cached("SELECT max(dated) FROM workspace_items WHERE kind = ?1 AND dated < ?2 AND dated != ''")?;
    let mut years: Vec<String> = Vec::new();
    loop {
        let before = years.last().map_or("\u{10FFFF}", String::as_str);
        let Some(dated) = latest_before.query_row(params![kind.name(), before], |r| r.get::<_, Option<String>>(0))? else { return Ok(years) };
        years.push(dated.chars().take(4).collect());
    }
}

pub fn entry(c: &Connection, kind: Kind, id: &str) -> rusqlite::Result<Option<WorkspaceEntry>> {
    c.query_row(
        "SELECT i.file, i.position, i.revision, i.updated_by, i.updated_at, b.body FROM workspace_items i
         JOIN workspace_bodies b ON b.kind = i.kind AND b.id = i.id WHERE i.kind = ?1 AND i.id = ?2",
        params![kind.name(), id],
        |r| {
            let body: String = r.get(5)?;
            let body = serde_json::from_str(&body).map_err(|e| rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e)))?;
            Ok(WorkspaceEntry {
                item: Item { kind, id: id.to_string(), file: r.get(0)?, position: r.get(1)?, body },
                revision: r.get(2)?,
                updated_by: r.get(3)?,
                updated_at: r.get(4)?,
            })
        },
    )
    .optional()
}

pub fn all(c: &Connection) -> rusqlite::Result<(Vec<Item>, Vec<StoredFile>)> {
    let mut statement = c.prepare(
        "SELECT i.kind, i.id, i.file, i.position, b.body FROM workspace_items i JOIN workspace_bodies b ON b.kind = i.kind AND b.id = i.id",
    )?;
    let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get::<_, String>(4)?)))?;
    let mut items = Vec::new();
    for row in rows {
        let (kind, id, file, position, body) = row?;
        let bad = |e: Box<dyn std::error::Error + Send + Sync>| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, e);
        let kind = Kind::from_name(&kind).ok_or_else(|| bad(format!("unknown kind {kind:?}").into()))?;
        let body = serde_json::from_str(&body).map_err(|e| bad(Box::new(e)))?;
        items.push(Item { kind, id, file, position, body });
    }
    let mut statement = c.prepare("SELECT path, bytes FROM workspace_files ORDER BY path")?;
    let files = statement.query_map([], |r| Ok(StoredFile { path: r.get(0)?, bytes: r.get(1)? }))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((items, files))
}

/// How full a content file of a kind is: its items and the last position among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFill {
    pub file: String,
    pub items: u64,
    pub last_position: i64,
}

pub fn fills(c: &Connection, kind: Kind) -> rusqlite::Result<Vec<FileFill>> {
    let mut statement = c.prepare("SELECT file, count(*), max(position) FROM workspace_items WHERE kind = ?1 GROUP BY file ORDER BY file")?;
    let rows = statement.query_map([kind.name()], |r| Ok(FileFill { file: r.get(0)?, items: r.get::<_, i64>(1)? as u64, last_position: r.get(2)? }))?;
    rows.collect()
}

/// The 发文机关, 文件类别, 成文日期, 有效性 and end date (as written) of each document with a
/// 文件类别: found by its text and read by SQLite, so that section 二 never parses the
/// bodies of the many documents without one.
pub fn categorized(c: &Connection) -> rusqlite::Result<Vec<[Option<String>; 5]>> {
    let mut statement = c.prepare(
        "SELECT json_extract(body, '$.issuer'), json_extract(body, '$.category'), json_extract(body, '$.written_on'),
                json_extract(body, '$.validity'), json_extract(body, '$.repealed_on')
         FROM workspace_bodies WHERE kind = ?1 AND instr(body, '\"category\"') > 0 AND json_extract(body, '$.category') IS NOT NULL",
    )?;
    let rows = statement.query_map([Kind::Documents.name()], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]))?;
    rows.collect()
}

pub fn of_kind(c: &Connection, kind: Kind) -> rusqlite::Result<Vec<Item>> {
    let mut statement = c.prepare(
        "SELECT i.id, i.file, i.position, b.body FROM workspace_items i JOIN workspace_bodies b ON b.kind = i.kind AND b.id = i.id
         WHERE i.kind = ?1 ORDER BY i.file, i.position",
    )?;
    let rows = statement.query_map([kind.name()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?)))?;
    rows.map(|row| {
        let (id, file, position, body) = row?;
        let body = serde_json::from_str(&body).map_err(|e| rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e)))?;
        Ok(Item { kind, id, file, position, body })
    })
    .collect()
}

/// Saves `item`: new when `expected` is `None` (refused if its key is taken), else only if it
/// is still at revision `expected`. Returns its revision now.
pub fn save(c: &Connection, item: &Item, expected: Option<i64>, staff: &str, at: i64) -> Result<i64, StoreError> {
    let shown = item.listing();
    let (kind, body) = (item.kind.name(), item.body.to_string());
    let revision = match expected {
        None => {
            let added = c
                .execute(
                    "INSERT INTO workspace_items (kind, id, file, position, title, search, dated, domain, validity, revision, updated_by, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11) ON CONFLICT (kind, id) DO NOTHING",
                    params![kind, item.id, item.file, item.position, shown.title, shown.search, shown.dated, shown.domain, shown.validity, staff, at],
                )
                .map_err(db)?;
            if added == 0 {
                return Err(StoreError::Refused(format!("编号“{}”已被使用", item.id)));
            }
            c.execute("INSERT INTO workspace_bodies (kind, id, body) VALUES (?1, ?2, ?3)", params![kind, item.id, body]).map_err(db)?;
            1
        }
        Some(expected) => {
            let changed = c
                .execute(
                    "UPDATE workspace_items SET title = ?3, search = ?4, dated = ?5, domain = ?6, validity = ?7, revision = revision + 1,
                         updated_by = ?8, updated_at = ?9
                     WHERE kind = ?1 AND id = ?2 AND revision = ?10",
                    params![kind, item.id, shown.title, shown.search, shown.dated, shown.domain, shown.validity, staff, at, expected],
                )
                .map_err(db)?;
            if changed == 0 {
                return Err(missing_or_changed(c, item.kind, &item.id));
            }
            c.execute("UPDATE workspace_bodies SET body = ?3 WHERE kind = ?1 AND id = ?2", params![kind, item.id, body]).map_err(db)?;
            expected + 1
        }
    };
    Ok(revision)
}

/// Removes an item still at revision `expected`.
pub fn delete(c: &Connection, kind: Kind, id: &str, expected: i64) -> Result<(), StoreError> {
    let removed = c.execute("DELETE FROM workspace_items WHERE kind = ?1 AND id = ?2 AND revision = ?3", params![kind.name(), id, expected]).map_err(db)?;
    if removed == 0 {
        return Err(missing_or_changed(c, kind, id));
    }
    c.execute("DELETE FROM workspace_bodies WHERE kind = ?1 AND id = ?2", params![kind.name(), id]).map_err(db)?;
    Ok(())
}

/// Adds or replaces the files `put` and removes those at `remove`.
pub fn change_files(c: &Connection, put: &[StoredFile], remove: &[String]) -> rusqlite::Result<()> {
    for file in put {
        c.execute("INSERT INTO workspace_files (path, bytes) VALUES (?1, ?2) ON CONFLICT (path) DO UPDATE SET bytes = excluded.bytes", params![file.path, file.bytes])?;
    }
    for path in remove {
        c.execute("DELETE FROM workspace_files WHERE path = ?1", [path])?;
    }
    Ok(())
}

/// Who last changed each of these items that is still in the workspace.
pub fn editors(c: &Connection, keys: &[(Kind, String)]) -> rusqlite::Result<BTreeSet<String>> {
    let mut statement = c.prepare_cached("SELECT updated_by FROM workspace_items WHERE kind = ?1 AND id = ?2")?;
    let mut found = BTreeSet::new();
    for (kind, id) in keys {
        if let Some(editor) = statement.query_row(params![kind.name(), id], |r| r.get::<_, String>(0)).optional()? {
            found.insert(editor);
        }
    }
    Ok(found)
}

/// A spreadsheet a staff member uploaded to import into items of `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub staff: String,
    pub kind: Kind,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub uploaded_at: i64,
}

/// How long an upload waits for its preview to be applied.
const KEEP_UPLOADS_S: i64 = 86_400;
/// Uploads kept for one staff member: a few previews open in tabs at once.
const KEPT_UPLOADS_PER_STAFF: i64 = 5;

pub fn save_upload(c: &Connection, upload: &Upload) -> rusqlite::Result<i64> {
    c.execute("DELETE FROM content_uploads WHERE uploaded_at < ?1", [upload.uploaded_at - KEEP_UPLOADS_S])?;
    c.execute(
        "DELETE FROM content_uploads WHERE staff = ?1 AND id NOT IN (SELECT id FROM content_uploads WHERE staff = ?1 ORDER BY id DESC LIMIT ?2)",
        params![upload.staff, KEPT_UPLOADS_PER_STAFF - 1],
    )?;
    c.execute(
        "INSERT INTO content_uploads (staff, kind, file_name, bytes, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![upload.staff, upload.kind.name(), upload.file_name, upload.bytes, upload.uploaded_at],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn upload(c: &Connection, id: i64, now: i64) -> rusqlite::Result<Option<Upload>> {
    let sql = "SELECT staff, kind, file_name, bytes, uploaded_at FROM content_uploads WHERE id = ?1 AND uploaded_at >= ?2";
    c.query_row(sql, [id, now - KEEP_UPLOADS_S], |r| {
        let kind: String = r.get(1)?;
        let kind = Kind::from_name(&kind).ok_or_else(|| rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, format!("unknown kind {kind:?}").into()))?;
        Ok(Upload { staff: r.get(0)?, kind, file_name: r.get(2)?, bytes: r.get(3)?, uploaded_at: r.get(4)? })
    })
    .optional()
}

/// Why an item was not at the revision expected: gone, or changed by someone since.
fn missing_or_changed(c: &Connection, kind: Kind, id: &str) -> StoreError {
    match c.query_row("SELECT 1 FROM workspace_items WHERE kind = ?1 AND id = ?2", params![kind.name(), id], |_| Ok(())).optional() {
        Ok(Some(())) => StoreError::Conflict,
        Ok(None) => StoreError::NotFound,
        Err(e) => db(e),
    }
}

fn db(e: rusqlite::Error) -> StoreError {
    StoreError::Failed(e.to_string())
}
