//! Renders every LED wall page at each wall shape of the brief under Xvfb (Mesa llvmpipe) and
//! checks each picture with its layout report: no text overflows or is too small for the
//! shape, text contrast holds on the dark theme, nothing is blank, and every QR code on the
//! 意见征集 page decodes to its signed link. An urgent notice takes the whole wall.

mod common;

use std::path::{Path, PathBuf};

use common::rendered::{Limits, QrExpectation, Report, drawn_contrast_problems, layout_problems, qr_problems, render};
use gongkai_core::wall::LayoutClass;
use gongkai_testkit::picture::blank_problem;

const WALL_CONFIG: &str = "kiosk-config/led-wall.toml";
const STRIP_CONFIG: &str = "kiosk-config/led-strip.toml";
/// A Sunday in the demo content's time: three consultations open, no urgent notice.
const QUIET_DAY: &str = "2026-11-22T10:00:00";
/// While the demo's 紧急通知 is current.
const URGENT_HOUR: &str = "2026-11-20T15:00:00";

/// Sizes are logical pixels, which each shape scales so that 24 of them are its smallest
/// readable text (24 physical pixels on a 1080-high wall or a 270-high strip, 48 at 2160).
const WALL: Limits = Limits { min_text_px: 24.0, min_body_px: 24.0, min_contrast: 4.5 };

/// Renders the named pages (all when empty) of `config` at `size` into a new folder.
fn render_pages(config: &str, size: &str, at: &str, pages: &[&str]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_string();
    let mut args = vec!["--size", size, "--at", at, "--out-dir", &out];
    if pages.is_empty() {
        args.extend(["--page", "all"]);
    }
    for page in pages {
        args.extend(["--page", page]);
    }
    render(Path::new(config), &args, None);
    let mut pictures: Vec<PathBuf> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "png")).collect();
    pictures.sort();
    (dir, pictures)
}

/// Text below its layout class's minimum, in the picture's physical pixels: an LED module's
/// pixel is large, so a 2160-high wall needs 48 of them where a 1080-high one needs 24.
fn class_minimum_problems(report: &Report, image: &image::RgbImage) -> Vec<String> {
    let (width, height) = image.dimensions();
    let class = LayoutClass::of(width, height);
    let minimum = class.min_text_px(width.min(height) as f32);
    let scale = width as f32 / report.width;
    report
        .nodes
        .iter()
        .filter_map(|n| n.text.as_ref())
        .filter(|t| !t.value.trim().is_empty() && t.font_px * scale < minimum - 0.5)
        .map(|t| format!("{:?} is {:.1} physical px, below the {} minimum of {minimum}", t.value, t.font_px * scale, class.name()))
        .collect()
}

fn report_of(picture: &Path) -> Report {
    serde_json::from_str(&std::fs::read_to_string(picture.with_extension("layout.json")).unwrap()).unwrap()
}

/// Every check on every page; returns the QR codes found on each page.
fn check_pages(config: &str, size: &str, expected_pages: usize) -> Vec<(String, usize)> {
    let (_dir, pictures) = render_pages(config, size, QUIET_DAY, &[]);
    assert_eq!(pictures.len(), expected_pages, "{size}: every page rendered: {pictures:?}");
    let dims: Vec<u32> = size.split('x').map(|v| v.parse().unwrap()).collect();
    let expected_qr = QrExpectation::for_config(Path::new(config));
    let mut failures = Vec::new();
    let mut codes = Vec::new();
    for picture in &pictures {
        let page = picture.file_stem().unwrap().to_string_lossy().into_owned();
        let report = report_of(picture);
        let image = image::open(picture).unwrap().to_rgb8();
        assert_eq!(image.dimensions(), (dims[0], dims[1]), "{page}");
        codes.push((page.clone(), report.nodes.iter().filter(|n| n.qr.is_some()).count()));
        let problems = layout_problems(&report, &WALL)
            .into_iter()
            .chain(drawn_contrast_problems(&report, &image, &WALL))
            .chain(class_minimum_problems(&report, &image))
            .chain(qr_problems(&report, &image, &expected_qr))
            .chain(blank_problem(&image));
        failures.extend(problems.map(|p| format!("{size} {page}: {p}")));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    codes
}

/// The three consultations open on the quiet day each have a code a phone can scan.
fn assert_every_open_consultation_has_a_code(codes: &[(String, usize)]) {
    assert!(codes.contains(&("consultations".to_string(), 3)), "{codes:?}");
}

#[test]
fn landscape_16_9() {
    assert_every_open_consultation_has_a_code(&check_pages(WALL_CONFIG, "1920x1080", 6));
}

#[test]
fn ultra_wide_32_9() {
    assert_every_open_consultation_has_a_code(&check_pages(WALL_CONFIG, "3840x1080", 6));
}

#[test]
fn ultra_wide_32_9_at_8k() {
    assert_every_open_consultation_has_a_code(&check_pages(WALL_CONFIG, "7680x2160", 6));
}

#[test]
fn portrait() {
    assert_every_open_consultation_has_a_code(&check_pages(WALL_CONFIG, "1080x1920", 6));
}

#[test]
fn strips() {
    for size in ["1920x270", "1536x384"] {
        check_pages(WALL_CONFIG, size, 6);
        check_pages(STRIP_CONFIG, size, 4);
    }
}

#[test]
fn an_urgent_notice_takes_over_the_whole_wall() {
    for size in ["1920x1080", "1920x270", "1080x1920"] {
        let (_dir, pictures) = render_pages(WALL_CONFIG, size, URGENT_HOUR, &["disclosure"]);
        let report = report_of(&pictures[0]);
        let texts = report.texts();
        assert!(texts.iter().any(|t| t.contains("紧急通知")), "{size}: {texts:?}");
        assert!(texts.iter().any(|t| t.contains("临时停电")), "{size}: the notice's title is shown");
        let image = image::open(&pictures[0]).unwrap().to_rgb8();
        let red = image.pixels().filter(|p| p.0[0] > 120 && p.0[1] < 40 && p.0[2] < 40).count();
        let share = red as f64 / (image.width() * image.height()) as f64;
        assert!(share > 0.6, "{size}: the takeover covers the wall ({share:.2})");
        let problems: Vec<String> = layout_problems(&report, &WALL)
            .into_iter()
            .chain(drawn_contrast_problems(&report, &image, &WALL))
            .chain(blank_problem(&image))
            .collect();
        assert!(problems.is_empty(), "{size}: {}", problems.join("\n"));
    }
    // Once it expires the playlist is back.
    let (_dir, pictures) = render_pages(WALL_CONFIG, "1920x1080", "2026-11-20T18:00:00", &["disclosure"]);
    let report = report_of(&pictures[0]);
    assert!(!report.nodes.iter().filter_map(|n| n.text.as_ref()).any(|t| t.value.contains("紧急通知")));
}
