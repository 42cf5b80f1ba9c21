//! The page images of PDF attachments: every attached PDF has them, numbered from 001 with
//! no gap, and the manifest lists exactly the ones in the bundle. (Each image is hashed with
//! the other files and decoded by the image check.)

use std::collections::HashSet;

use super::{Parsed, problem::Problems};
use crate::content::{
    attachment_pages::{is_paged, listed, pages_folder},
    bundle_files::{BundleFile, MANIFEST},
    manifest::Manifest,
    model::Content,
};

pub fn check(parsed: &Parsed, files: &[BundleFile], manifest: &Manifest, problems: &mut Problems) {
    let on_disk = listed(files);
    if manifest.attachment_pages != on_disk {
        problems.at(MANIFEST, "$.attachment_pages", "does not list the page images the bundle holds; build the bundle again");
    }
    let present: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut attached = HashSet::new();
    for (shard, doc) in parsed.shards.facts() {
        for (k, file) in &doc.attached_files {
            let file = &**file;
            if !is_paged(file) || !present.contains(file) {
                continue;
            }
            attached.insert(file);
            if on_disk.get(file).is_none_or(|pages| pages.is_empty()) {
                problems.at(
                    shard,
                    doc.field(&format!(".attachments[{k}].file")),
                    format!("{file} has no page images in {}/; `gongkai content build` makes them", pages_folder(file)),
                );
            }
        }
    }
    for (source, pages) in &on_disk {
        if !attached.contains(source.as_str()) && parsed.shards.complete {
            problems.whole(&pages[0], format!("page image of {source}, which no document attaches"));
        }
        check_numbering(source, pages, problems);
    }
}

fn check_numbering(source: &str, pages: &[String], problems: &mut Problems) {
    let folder = pages_folder(source);
    for (n, page) in pages.iter().enumerate() {
        let expected = format!("{folder}/{:03}.png", n + 1);
        if *page != expected {
            problems.whole(page, format!("pages of {source} must be numbered from 001 with no gap; expected {expected}"));
            return;
        }
    }
}

/// Gives each attachment the page images the (checked) manifest lists for its file.
pub fn attach(content: &mut Content, manifest: Option<&Manifest>) {
    let Some(pages) = manifest.map(|m| &m.attachment_pages) else { return };
    for attachment in content.documents.iter_mut().flat_map(|d| d.attachments.iter_mut()) {
        if let Some(list) = attachment.file.as_ref().and_then(|f| pages.get(f)) {
            attachment.pages = list.clone();
        }
    }
}
