//! `content build` draws the pages of attached PDFs (with mupdf's `mutool draw`, as shipped), the
//! manifest lists them, the checker hands them to the documents, and a rebuild follows the
//! PDF as it is now.

use std::{fs, path::Path};

use gongkai_core::content::{attachment_pages, build::build_bundle, check::check_bundle};
use serde_json::{Value, json};

const DEMO_PDFS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/demo/attachments");

/// The minimal bundle with its first document attaching `attachments/plan.pdf`, a copy of
/// the demo PDF `pdf`.
fn content_attaching(pdf: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    gongkai_testkit::copy_dir(Path::new(gongkai_testkit::MINIMAL_BUNDLE), &src);
    fs::create_dir_all(src.join("attachments")).unwrap();
    fs::copy(Path::new(DEMO_PDFS).join(pdf), src.join("attachments/plan.pdf")).unwrap();
    let shard = src.join("documents/a.json");
    let mut documents: Value = serde_json::from_slice(&fs::read(&shard).unwrap()).unwrap();
    documents[0]["attachments"] = json!([{ "title": "附件：评标报告", "format": "PDF", "file": "attachments/plan.pdf" }]);
    fs::write(&shard, serde_json::to_vec_pretty(&documents).unwrap()).unwrap();
    dir
}

fn problems(checked: &gongkai_core::content::check::Checked) -> Vec<String> {
    checked.problems.iter().map(ToString::to_string).collect()
}

#[test]
fn a_built_bundle_carries_every_page_of_an_attached_pdf() {
    let dir = content_attaching("doc-a-024-1.pdf");
    let out = dir.path().join("bundle");
    let checked = build_bundle(&dir.path().join("src"), &out, &gongkai_testkit::fixed_build_options()).unwrap();
    assert_eq!(problems(&checked), Vec::<String>::new());

    let expected = ["001", "002", "003"].map(|n| format!("attachments/plan.pdf.pages/{n}.png"));
    assert_eq!(checked.content.documents[0].attachments[0].pages, expected);
    for page in &expected {
        let image = image::open(out.join(page)).unwrap().to_rgb8();
        // A4 portrait at the shipped resolution.
        assert_eq!(image.dimensions(), (1241, 1754), "{page}");
        let ink = image.pixels().filter(|p| p.0.iter().all(|&c| c < 128)).count();
        assert!(ink > 20_000, "{page} has text on it ({ink} dark pixels)");
    }
    let manifest: Value = serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["attachment_pages"]["attachments/plan.pdf"], json!(expected));
    // The pages are hashed like any file, so a signed bundle covers them.
    let hashed: Vec<&str> = manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(expected.iter().all(|page| hashed.contains(&page.as_str())));
}

#[test]
fn a_page_larger_than_the_checker_allows_is_drawn_smaller() {
    let dir = content_attaching("doc-a-025-1.pdf");
    let src = dir.path().join("src");
    // An A0 map sheet: at 150 dpi it would be 4967 × 7022 pixels.
    let mut sheet = krilla::Document::new();
    let page = sheet.start_page_with(krilla::page::PageSettings::from_wh(2384.0, 3370.0).unwrap());
    page.finish();
    fs::write(src.join("attachments/plan.pdf"), sheet.finish().unwrap()).unwrap();
    let checked = build_bundle(&src, &dir.path().join("bundle"), &gongkai_testkit::fixed_build_options()).unwrap();
    assert_eq!(problems(&checked), Vec::<String>::new());
    let (width, height) = image::image_dimensions(dir.path().join("bundle/attachments/plan.pdf.pages/001.png")).unwrap();
    assert_eq!(height, 4096);
    assert!((width as f32 / height as f32 - 2384.0 / 3370.0).abs() < 0.01, "{width} × {height}");
}

#[test]
fn rebuilding_in_place_follows_a_replaced_pdf() {
    let dir = content_attaching("doc-a-024-1.pdf");
    let src = dir.path().join("src");
    let options = gongkai_testkit::fixed_build_options();
    build_bundle(&src, &src, &options).unwrap();
    assert!(src.join("attachments/plan.pdf.pages/003.png").is_file());

    // The office replaces the three-page report with the one-page notice.
    fs::copy(Path::new(DEMO_PDFS).join("doc-a-025-1.pdf"), src.join("attachments/plan.pdf")).unwrap();
    let checked = build_bundle(&src, &src, &options).unwrap();
    assert_eq!(problems(&checked), Vec::<String>::new());
    assert_eq!(checked.content.documents[0].attachments[0].pages, ["attachments/plan.pdf.pages/001.png"]);
    assert!(!src.join("attachments/plan.pdf.pages/002.png").exists(), "old pages are gone");
}

#[test]
fn a_pdf_that_does_not_open_is_named_and_no_bundle_is_left() {
    let dir = content_attaching("doc-a-024-1.pdf");
    let src = dir.path().join("src");
    fs::write(src.join("attachments/plan.pdf"), b"%PDF-1.4\nthis is not a PDF body").unwrap();
    let out = dir.path().join("bundle");
    let error = build_bundle(&src, &out, &gongkai_testkit::fixed_build_options()).unwrap_err();
    let message = format!("{error:#}");
    assert!(message.starts_with("attachments/plan.pdf: cannot make page images, the PDF did not open"), "{message}");
    assert!(!out.exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no staging folder is left beside the content");
}

#[test]
fn the_demo_attachments_are_drawn_at_the_shipped_resolution() {
    let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &gongkai_testkit::fixed_options());
    let paged: Vec<_> =
        checked.content.documents.iter().flat_map(|d| &d.attachments).filter(|a| !a.pages.is_empty()).collect();
    assert_eq!(paged.len(), 4, "the four demo PDFs");
    for attachment in paged {
        let file = attachment.file.as_deref().unwrap();
        assert!(attachment_pages::is_paged(file));
        let first = image::image_dimensions(Path::new(gongkai_testkit::DEMO_BUNDLE).join(&attachment.pages[0])).unwrap();
        let long_side = first.0.max(first.1);
        assert_eq!(long_side, 1754, "{file}: A4 at {} dpi", attachment_pages::DPI);
    }
}
