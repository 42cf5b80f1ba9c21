//! A 政府信息 document's attachments, uploaded and removed in the console. A file is taken by
//! what it is, not by its name: PDF, OFD, DOCX, XLSX, PNG or JPEG, told by its first bytes and,
//! for the zip-based formats, by the parts they must have (only the zip's directory is read);
//! at most 10 MB. It becomes the bundle file `attachments/{id}-{n}.{ext}`, listed in the
//! document, saved with the document in one transaction with an audit entry.

use std::{collections::BTreeMap, io::Cursor};

use serde_json::Value;

use gongkai_core::content::workspace::{Item, Kind, StoredFile};

use super::documents::{self, Refused};
use crate::submissions::store::{Store, StoreError};

/// The largest attachment taken (the upload route's bound).
pub const MAX_ATTACHMENT_BYTES: usize = super::import::sheet::MAX_UPLOAD_BYTES;
/// The field problems of an attachment are named under.
pub const FIELD: &str = "attachment";

/// What an attachment is, as visitors see it named, and the extension of its file.
pub(super) fn format_of(bytes: &[u8]) -> Result<(&'static str, &'static str), String> {
    const REFUSED: &str = "只能上传 PDF、OFD、DOCX、XLSX 文件或 PNG、JPEG 图片";
    if bytes.starts_with(b"%PDF-") {
        return Ok(("PDF", "pdf"));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(("PNG", "png"));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(("JPEG", "jpg"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("文件已损坏（{e}）"))?;
        let has = |part: &str| archive.file_names().any(|name| name.is_ok_and(|name| name.eq_ignore_ascii_case(part)));
        if has("OFD.xml") {
            return Ok(("OFD", "ofd"));
        }
        if has("word/document.xml") {
            return Ok(("DOCX", "docx"));
        }
        if has("xl/workbook.xml") {
            return Ok(("XLSX", "xlsx"));
        }
    }
    Err(REFUSED.into())
}

/// Adds the file `bytes` (uploaded as `file_name`) under `title` to document `id`, if it is
/// still at revision `expected`. Returns the document's revision now.
pub fn add(store: &dyn Store, id: &str, expected: i64, title: &str, file_name: &str, bytes: Vec<u8>, staff: &str) -> Result<i64, Refused> {
    let invalid = |reason: String| Refused::Invalid(BTreeMap::from([(FIELD.to_string(), vec![reason])]));
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(invalid(format!("附件不能超过 {} MB", MAX_ATTACHMENT_BYTES >> 20)));
    }
    let (format, extension) = format_of(&bytes).map_err(invalid)?;
    let Some(entry) = store.workspace_item(Kind::Documents, id).map_err(Refused::Store)? else { return Err(Refused::Gone) };
    let mut document = entry.item.body.clone();
    let listed = document.get("attachments").and_then(Value::as_array).cloned().unwrap_or_default();
    let prefix = format!("attachments/{id}-");
    let taken = |n: usize| listed.iter().any(|a| a.get("file").and_then(Value::as_str).is_some_and(|f| f.starts_with(&format!("{prefix}{n}."))));
    let number = (1..).find(|n| !taken(*n)).unwrap_or(1);
    let path = format!("{prefix}{number}.{extension}");
    let stem = file_name.rsplit(['/', '\\']).next().unwrap_or_default().rsplit_once('.').map_or(file_name, |(stem, _)| stem);
    let title = if title.trim().is_empty() { stem.trim() } else { title.trim() };
    let mut attachments = listed;
    attachments.push(serde_json::json!({"title": title, "format": format, "file": path}));
    document["attachments"] = Value::Array(attachments);
    let problems = documents::problems(store, &document).map_err(Refused::Store)?;
    if !problems.is_empty() {
        return Err(Refused::Invalid(problems));
    }
    let detail = format!("上传附件：政府信息 {id}「{title}」（{format}，{} KB）", bytes.len().div_ceil(1024));
    let item = Item { body: document, ..entry.item };
    let file = StoredFile { path, bytes };
    saved(store.workspace_save_files(item, expected, vec![file], Vec::new(), staff, ("上传附件", &detail)))
}

/// Removes attachment `index` of document `id` (at revision `expected`), and its file when it
/// was uploaded for this document.
pub fn remove(store: &dyn Store, id: &str, expected: i64, index: usize, staff: &str) -> Result<i64, Refused> {
    let Some(entry) = store.workspace_item(Kind::Documents, id).map_err(Refused::Store)? else { return Err(Refused::Gone) };
    let mut document = entry.item.body.clone();
    let Some(attachments) = document.get_mut("attachments").and_then(Value::as_array_mut).filter(|list| index < list.len()) else { return Err(Refused::Changed) };
    let removed = attachments.remove(index);
    if attachments.is_empty() {
        document.as_object_mut().map(|fields| fields.remove("attachments"));
    }
    let title = removed.get("title").and_then(Value::as_str).unwrap_or_default().to_string();
    let file: Vec<String> = removed.get("file").and_then(Value::as_str).filter(|f| f.starts_with(&format!("attachments/{id}-"))).map(str::to_string).into_iter().collect();
    let detail = format!("删除附件：政府信息 {id}「{title}」");
    let item = Item { body: document, ..entry.item };
    saved(store.workspace_save_files(item, expected, Vec::new(), file, staff, ("删除附件", &detail)))
}

pub(super) fn saved(result: Result<i64, StoreError>) -> Result<i64, Refused> {
    match result {
        Ok(revision) => Ok(revision),
        Err(StoreError::Conflict) => Err(Refused::Changed),
        Err(StoreError::NotFound) => Err(Refused::Gone),
        Err(e) => Err(Refused::Store(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(part: &str) -> Vec<u8> {
        let mut written = zip::ZipWriter::new(Cursor::new(Vec::new()));
        written.start_file(part, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut written, b"<x/>").unwrap();
        written.finish().unwrap().into_inner()
    }

    #[test]
    fn files_are_told_by_their_bytes_not_their_names() {
        assert_eq!(format_of(b"%PDF-1.7\n").unwrap(), ("PDF", "pdf"));
        assert_eq!(format_of(&zip_with("word/document.xml")).unwrap(), ("DOCX", "docx"));
        assert_eq!(format_of(&zip_with("xl/workbook.xml")).unwrap(), ("XLSX", "xlsx"));
        assert_eq!(format_of(&zip_with("OFD.xml")).unwrap(), ("OFD", "ofd"));
        assert!(format_of(&zip_with("other.txt")).unwrap_err().starts_with("只能上传"));
        assert!(format_of(b"MZ\x90\x00").unwrap_err().starts_with("只能上传"));
        assert!(format_of(b"<html>").is_err());
    }
}
