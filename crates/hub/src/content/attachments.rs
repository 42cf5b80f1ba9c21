//! Files uploaded to an item in the console: a 政府信息 document's attachments and a 解读's
//! 图解 images. A file is taken by what it is, not by its name: PDF, OFD, DOCX, XLSX, PNG or
//! JPEG, told by its first bytes and, for the zip-based formats, by the parts they must have
//! (only the zip's directory is read); at most 10 MB. It becomes the bundle file
//! `{folder}/{id}-{n}.{ext}`, listed in the item, saved with the item in one transaction with
//! an audit entry.

use std::{collections::BTreeMap, io::Cursor};

use serde_json::Value;

use gongkai_core::content::{
    check::check_item,
    workspace::{Item, Kind, StoredFile},
};

use super::{
    check_options,
    documents::{self, Refused, in_chinese},
};
use crate::submissions::store::{Store, StoreError};

/// A list of uploaded files within an item.
pub struct Files {
    pub kind: Kind,
    /// The item's field that lists them.
    pub field: &'static str,
    /// The field of an entry that names it to visitors.
    pub title: &'static str,
    /// The bundle folder they are kept in.
    folder: &'static str,
    /// What staff call one.
    pub what: &'static str,
    /// Images only; their entries do not name their format.
    pub images_only: bool,
}

pub const ATTACHMENTS: Files = Files { kind: Kind::Documents, field: "attachments", title: "title", folder: "attachments", what: "附件", images_only: false };
pub const ILLUSTRATIONS: Files = Files { kind: Kind::Interpretations, field: "images", title: "caption", folder: "images/tujie", what: "图解", images_only: true };

/// The files uploaded to items of `kind`.
pub fn files_of(kind: Kind) -> Option<&'static Files> {
    [&ATTACHMENTS, &ILLUSTRATIONS].into_iter().find(|files| files.kind == kind)
}

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

/// Adds the file `bytes` (uploaded as `file_name`) under `title` to `files` of item `id`, if
/// the item is still at revision `expected`. Returns the item's revision now.
#[allow(clippy::too_many_arguments)]
pub fn add(store: &dyn Store, files: &Files, id: &str, expected: i64, title: &str, file_name: &str, bytes: Vec<u8>, staff: &str) -> Result<i64, Refused> {
    let invalid = |reason: String| Refused::Invalid(BTreeMap::from([(FIELD.to_string(), vec![reason])]));
    let what = files.what;
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(invalid(format!("{what}不能超过 {} MB", MAX_ATTACHMENT_BYTES >> 20)));
    }
    let (format, extension) = format_of(&bytes).map_err(invalid)?;
    if files.images_only && !matches!(format, "PNG" | "JPEG") {
        return Err(invalid(format!("{what}只能是 PNG 或 JPEG 图片")));
    }
    let Some(entry) = store.workspace_item(files.kind, id)? else { return Err(Refused::Gone) };
    let mut document = entry.item.body.clone();
    let listed = document.get(files.field).and_then(Value::as_array).cloned().unwrap_or_default();
    let prefix = format!("{}/{id}-", files.folder);
    let taken = |n: usize| listed.iter().any(|a| a.get("file").and_then(Value::as_str).is_some_and(|f| f.starts_with(&format!("{prefix}{n}."))));
    let number = (1..).find(|n| !taken(*n)).unwrap_or(1);
    let path = format!("{prefix}{number}.{extension}");
    let stem = file_name.rsplit(['/', '\\']).next().unwrap_or_default().rsplit_once('.').map_or(file_name, |(stem, _)| stem);
    let title = if title.trim().is_empty() { stem.trim() } else { title.trim() };
    let mut listed = listed;
    listed.push(if files.images_only { serde_json::json!({"file": path, "caption": title}) } else { serde_json::json!({"title": title, "format": format, "file": path}) });
    document[files.field] = Value::Array(listed);
    let problems = problems(store, files.kind, &document)?;
    if !problems.is_empty() {
        return Err(Refused::Invalid(problems));
    }
    let detail = format!("上传{what}：{} {id}「{title}」（{format}，{} KB）", files.kind.label(), bytes.len().div_ceil(1024));
    let item = Item { body: document, ..entry.item };
    let file = StoredFile { path, bytes };
    Ok(store.workspace_save_files(item, expected, vec![file], Vec::new(), staff, (&format!("上传{what}"), &detail))?)
}

/// What the checker finds wrong with `body`, by field.
fn problems(store: &dyn Store, kind: Kind, body: &Value) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    if kind == Kind::Documents {
        return documents::problems(store, body);
    }
    let reasons: Vec<String> = check_item(kind, body, &check_options(store)?).iter().map(|problem| in_chinese(&problem.reason)).collect();
    Ok(if reasons.is_empty() { BTreeMap::new() } else { BTreeMap::from([(FIELD.to_string(), reasons)]) })
}

/// Removes file `index` of `files` of item `id` (at revision `expected`), and the bundle file
/// when it was uploaded for this item.
pub fn remove(store: &dyn Store, files: &Files, id: &str, expected: i64, index: usize, staff: &str) -> Result<i64, Refused> {
    let Some(entry) = store.workspace_item(files.kind, id)? else { return Err(Refused::Gone) };
    let mut document = entry.item.body.clone();
    let Some(listed) = document.get_mut(files.field).and_then(Value::as_array_mut).filter(|list| index < list.len()) else { return Err(Refused::Changed) };
    let removed = listed.remove(index);
    if listed.is_empty() {
        document.as_object_mut().map(|fields| fields.remove(files.field));
    }
    let title = removed.get(files.title).and_then(Value::as_str).unwrap_or_default().to_string();
    let file: Vec<String> = removed.get("file").and_then(Value::as_str).filter(|f| f.starts_with(&format!("{}/{id}-", files.folder))).map(str::to_string).into_iter().collect();
    let what = files.what;
    let detail = format!("删除{what}：{} {id}「{title}」", files.kind.label());
    let item = Item { body: document, ..entry.item };
    Ok(store.workspace_save_files(item, expected, Vec::new(), file, staff, (&format!("删除{what}"), &detail))?)
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
