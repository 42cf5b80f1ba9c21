//! Page images of PDF attachments, made when a bundle is built so that a kiosk shows an
//! attachment page by page without a PDF renderer of its own.
//!
//! The pages of `attachments/x.pdf` are `attachments/x.pdf.pages/001.png`, `002.png` … They
//! are ordinary bundle files (hashed in the manifest like any other) and the manifest also
//! lists them under `attachment_pages`, which the checker holds against the documents.

use std::{
    collections::BTreeMap,
    fs,
    path::Path,
    process::Command,
};

use anyhow::{Context, Result, bail};

use super::{
    bundle_files::{BundleFile, MAX_IMAGE_SIDE},
    check::is_document_shard,
    model::Document,
};

/// Resolution of the page images. At 150 dpi an A4 page is 1241 × 1754 px: as wide as the
/// reading column of a 1080p screen, and legible at the viewer's 2× zoom. A page larger than
/// A1 (a 规划图) is drawn at less, so that no side passes the checker's `MAX_IMAGE_SIDE`.
pub const DPI: u32 = 150;
/// Pages made of one attachment; a longer PDF shows its first pages and says how many.
pub const MAX_PAGES: usize = 200;
/// The program that draws the pages (`mutool` of mupdf-tools), chosen by measurement over
/// poppler's `pdftoppm`: a fifth of the CPU time and smaller PNGs (see the README).
pub const RENDERER: &str = "mutool";

const FOLDER_SUFFIX: &str = ".pages";

/// Whether a bundle file is an attachment that gets page images.
pub fn is_paged(file: &str) -> bool {
    file.to_ascii_lowercase().ends_with(".pdf")
}

/// The folder holding the page images of the attachment `file`.
pub fn pages_folder(file: &str) -> String {
    format!("{file}{FOLDER_SUFFIX}")
}

/// Whether `path` is a page image `content build` makes (and so makes again).
pub fn is_page_image(path: &str) -> bool {
    page_of(path).is_some()
}

/// The attachment a page image belongs to, when `path` is `X.pages/NNN.png`.
fn page_of(path: &str) -> Option<&str> {
    let (folder, name) = path.rsplit_once('/')?;
    let source = folder.strip_suffix(FOLDER_SUFFIX)?;
    let number = name.strip_suffix(".png")?;
    (number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit())).then_some(source)
}

/// The page images among `files`, by attachment, in page order (for the manifest).
pub fn listed(files: &[BundleFile]) -> BTreeMap<String, Vec<String>> {
    let mut pages: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in files {
        if let Some(source) = page_of(&file.path) {
            pages.entry(source.to_string()).or_default().push(file.path.clone());
        }
    }
    for list in pages.values_mut() {
        list.sort();
    }
    pages
}

/// Draws the pages of every PDF that a document of the bundle at `dir` attaches, replacing
/// any pages made before, so that the images always come from the PDF as it is now.
/// Documents that do not parse are skipped here; the checker names them.
pub fn render_all(dir: &Path) -> Result<()> {
    for file in paged_attachments(dir) {
        if dir.join(&file).is_file() {
            render(dir, &file)?;
        }
    }
    Ok(())
}

fn paged_attachments(dir: &Path) -> Vec<String> {
    let Ok(shards) = fs::read_dir(dir.join(super::bundle_files::DOCUMENTS_DIR)) else { return Vec::new() };
    let mut files: Vec<String> = shards
        .flatten()
        .filter(|entry| is_document_shard(&format!("documents/{}", entry.file_name().to_string_lossy())))
        .filter_map(|entry| serde_json::from_slice::<Vec<Document>>(&fs::read(entry.path()).ok()?).ok())
        .flatten()
        .flat_map(|document| document.attachments.into_iter().filter_map(|a| a.file))
        .filter(|file| is_paged(file))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// Draws the pages of `dir/file` into its pages folder.
fn render(dir: &Path, file: &str) -> Result<()> {
    let folder = dir.join(pages_folder(file));
    if folder.exists() {
        fs::remove_dir_all(&folder).with_context(|| format!("{}: cannot remove old pages", folder.display()))?;
    }
    fs::create_dir_all(&folder).with_context(|| format!("{}: cannot create folder", folder.display()))?;
    let output = Command::new(RENDERER)
        .args(["draw", "-q", "-r", &DPI.to_string(), "-w", &MAX_IMAGE_SIDE.to_string(), "-h", &MAX_IMAGE_SIDE.to_string(), "-o"])
        .arg(folder.join("%03d.png"))
        .arg(dir.join(file))
        .arg(format!("1-{MAX_PAGES}"))
        .output()
        .with_context(|| format!("{file}: cannot make page images: {RENDERER} did not run (install mupdf-tools)"))?;
    let count = fs::read_dir(&folder).map(|entries| entries.count()).unwrap_or(0);
    if !output.status.success() || count == 0 {
        let _ = fs::remove_dir_all(&folder);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let errors: Vec<&str> = stderr.lines().filter_map(|line| line.strip_prefix("error: ")).collect();
        let reason = if errors.is_empty() { "it has no pages".to_string() } else { errors.join("; ") };
        bail!("{file}: cannot make page images, the PDF did not open: {reason}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> BundleFile {
        BundleFile { path: path.into(), size: 1 }
    }

    #[test]
    fn pages_are_listed_by_attachment_in_order() {
        let files = [
            file("attachments/a.pdf"),
            file("attachments/a.pdf.pages/002.png"),
            file("attachments/a.pdf.pages/001.png"),
            file("attachments/b.PDF.pages/001.png"),
            file("attachments/a.pdf.pages/notes.png"),
            file("images/001.png"),
        ];
        let pages = listed(&files);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages["attachments/a.pdf"], ["attachments/a.pdf.pages/001.png", "attachments/a.pdf.pages/002.png"]);
        assert_eq!(pages["attachments/b.PDF"], ["attachments/b.PDF.pages/001.png"]);
    }

    #[test]
    fn only_pdf_attachments_are_paged() {
        assert!(is_paged("attachments/x.pdf") && is_paged("attachments/X.PDF"));
        assert!(!is_paged("attachments/x.docx") && !is_paged("attachments/pdf"));
    }
}
