//! Renders every kiosk view in a real window under Xvfb (Mesa llvmpipe, no GPU), landscape
//! and portrait, standard and 关怀模式, and checks each picture with the layout report that
//! `gongkai render` writes beside it:
//! - the picture is not blank;
//! - every QR code on screen decodes to the link the report says it carries, and that link is
//!   under the config's hub address, signed with its kiosk's key, to an item the view shows;
//! - no text overflows its box, its parent or the screen;
//! - every tappable node is at least 64 px high (at 1080p);
//! - type sizes and text/background contrast are within the limits of each mode.

mod common;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use common::rendered::{CARE, QrExpectation, Report, STANDARD, drawn_contrast_problems, layout_problems, qr_problems, render};
use gongkai_core::content::{
    check::{CheckOptions, check_bundle},
    model::NoticeLevel,
};
use gongkai_testkit::picture::blank_problem;
use image::{Rgb, RgbImage};

const DEMO_CONFIG: &str = "kiosk-config/hall-touch.toml";

/// Every view `gongkai render --screen all` must draw: each screen, and each with an item open.
const VIEWS: [&str; 31] = [
    "admin", "admin-record", "admin-records", "apply", "attachment", "attract", "catalogue", "catalogue-domain", "catalogue-item",
    "community", "community-post", "consultation-closed", "consultation-open", "consultations", "dashboard",
    "dashboard-admin-results", "dashboard-key-work", "documents", "guide", "guides", "home", "interaction",
    "interpretation", "interpretations", "key-work", "key-work-detail", "notice", "notices", "reader", "search",
    "search-handwriting",
];

fn check_every_view(size: &str, care: bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let mut args = vec!["--screen", "all", "--size", size, "--out-dir", out];
    if care {
        args.push("--care");
    }
    render(Path::new(DEMO_CONFIG), &args, None);
    let limits = if care { &CARE } else { &STANDARD };
    let mut pictures: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pictures.sort();
    let mut rendered: Vec<String> = pictures.iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    rendered.sort();
    assert_eq!(rendered, VIEWS, "every view rendered");
    let expected_qr = QrExpectation::for_config(Path::new(DEMO_CONFIG));
    let mut failures = Vec::new();
    let mut qr_codes = HashMap::new();
    for picture in &pictures {
        let view = picture.file_stem().unwrap().to_string_lossy().into_owned();
        let report: Report = serde_json::from_str(&std::fs::read_to_string(picture.with_extension("layout.json")).unwrap()).unwrap();
        let image = image::open(picture).unwrap().to_rgb8();
        let expected_size: Vec<u32> = size.split('x').map(|v| v.parse().unwrap()).collect();
        assert_eq!(image.dimensions(), (expected_size[0], expected_size[1]), "{view}");
        qr_codes.insert(view.clone(), report.nodes.iter().filter(|n| n.qr.is_some()).count());
        if view == "search-handwriting" {
            assert!(report.texts().contains(&"重写"), "the 手写 pad with its keys: {:?}", report.texts());
        }
        let problems = layout_problems(&report, limits)
            .into_iter()
            .chain(drawn_contrast_problems(&report, &image, limits))
            .chain(qr_problems(&report, &image, &expected_qr))
            .chain(blank_problem(&image));
        failures.extend(problems.map(|p| format!("{view}: {p}")));
    }
    // 扫码带走 / 手机办理 / 扫码提意见 / the forms: the views that hand over to a phone.
    for (view, expected) in [("reader", 1), ("attachment", 1), ("interpretation", 1), ("guide", 1), ("consultation-open", 1), ("apply", 1), ("interaction", 2)] {
        assert_eq!(qr_codes.get(view), Some(&expected), "QR codes on {view}");
    }
    assert!(failures.is_empty(), "{size}{}:\n{}", if care { " 关怀模式" } else { "" }, failures.join("\n"));
}

#[test]
fn every_view_fits_landscape() {
    check_every_view("1920x1080", false);
}

#[test]
fn every_view_fits_portrait() {
    check_every_view("1080x1920", false);
}

#[test]
fn every_view_fits_landscape_in_care_mode() {
    check_every_view("1920x1080", true);
}

#[test]
fn every_view_fits_portrait_in_care_mode() {
    check_every_view("1080x1920", true);
}

/// The demo's 紧急通知 is in force from 08:00 to 18:00 on 2026-11-20.
const DURING_THE_URGENT_NOTICE: &str = "2026-11-20T10:00:00";
const AFTER_THE_URGENT_NOTICE: &str = "2026-11-20T18:00:00";
/// Screens of every shape: the loop, the home grid, lists, a reader, search, a dashboard.
const BANDED_VIEWS: [&str; 7] = ["attract", "home", "documents", "reader", "search", "notices", "dashboard"];

#[test]
fn an_urgent_notice_is_on_every_screen_until_it_expires() {
    let demo = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &gongkai_testkit::fixed_options()).content;
    let urgent = demo.notices.iter().find(|n| n.level == NoticeLevel::Urgent).unwrap();
    let title_start: String = urgent.title.chars().take(12).collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let mut args = vec!["--size", "1920x1080", "--out-dir", out, "--at", DURING_THE_URGENT_NOTICE];
    args.extend(BANDED_VIEWS.iter().flat_map(|view| ["--screen", view]));
    render(Path::new(DEMO_CONFIG), &args, None);
    let mut failures = Vec::new();
    for view in BANDED_VIEWS {
        let picture = dir.path().join(format!("{view}.png"));
        let report: Report = serde_json::from_str(&std::fs::read_to_string(picture.with_extension("layout.json")).unwrap()).unwrap();
        let image = image::open(&picture).unwrap().to_rgb8();
        let texts = report.texts();
        let title_shown = texts.iter().any(|t| t.starts_with(&title_start));
        if !texts.contains(&"紧急通知") || !title_shown {
            failures.push(format!("{view}: no urgent notice among {texts:?}"));
        }
        failures.extend(layout_problems(&report, &STANDARD).into_iter().chain(drawn_contrast_problems(&report, &image, &STANDARD)).map(|p| format!("{view}: {p}")));
        if view == "home" {
            // The band: a tappable node across the page under the header, in the urgent colour.
            let band = report.nodes.iter().find(|n| n.tappable && n.w > 1800.0 && n.y > 50.0 && n.y < 200.0);
            let band = band.unwrap_or_else(|| panic!("no band across the home screen"));
            let amber = image.get_pixel(8, (band.y + band.h / 2.0) as u32);
            assert!(close(amber, &URGENT_AMBER), "the band is amber, apart from the red header: {amber:?}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let attract: Report = serde_json::from_str(&std::fs::read_to_string(dir.path().join("attract.layout.json")).unwrap()).unwrap();
    // The loop shows one highlight at a time: its title under its 紧急通知 label. (By place on
    // screen: the report lists nodes by entity, and entities are numbered as they come.)
    let node = |wanted: &dyn Fn(&str) -> bool| attract.nodes.iter().find(|n| n.text.as_ref().is_some_and(|t| wanted(&t.value))).unwrap();
    let (label, title) = (node(&|t| t == "紧急通知"), node(&|t| t.starts_with(&title_start)));
    assert!(title.y > label.y && title.y - label.y < 200.0, "the attract loop shows it first: {:?}", attract.texts());

    // The band fits a portrait screen in 关怀模式 too.
    let portrait = tempfile::tempdir().unwrap();
    let mut args = vec!["--size", "1080x1920", "--care", "--out-dir", portrait.path().to_str().unwrap(), "--at", DURING_THE_URGENT_NOTICE];
    args.extend(["home", "search", "documents"].iter().flat_map(|view| ["--screen", view]));
    render(Path::new(DEMO_CONFIG), &args, None);
    for view in ["home", "search", "documents"] {
        let picture = portrait.path().join(format!("{view}.png"));
        let report: Report = serde_json::from_str(&std::fs::read_to_string(picture.with_extension("layout.json")).unwrap()).unwrap();
        let image = image::open(&picture).unwrap().to_rgb8();
        assert!(report.texts().contains(&"紧急通知"), "portrait {view}");
        let problems: Vec<String> = layout_problems(&report, &CARE).into_iter().chain(drawn_contrast_problems(&report, &image, &CARE)).collect();
        assert!(problems.is_empty(), "portrait 关怀模式 {view}: {}", problems.join("\n"));
    }

    let after = dir.path().join("after.png");
    render(Path::new(DEMO_CONFIG), &["--size", "1920x1080", "--at", AFTER_THE_URGENT_NOTICE, "--screen", "home", "-o", after.to_str().unwrap()], None);
    let report: Report = serde_json::from_str(&std::fs::read_to_string(after.with_extension("layout.json")).unwrap()).unwrap();
    assert!(!report.texts().contains(&"紧急通知"), "gone when it expires: {:?}", report.texts());
}

const URGENT_AMBER: Rgb<u8> = Rgb([255, 213, 79]);
const HEADER_RED: Rgb<u8> = Rgb([168, 22, 27]);
const BACKGROUND: Rgb<u8> = Rgb([244, 246, 249]);
const ACCENT_TEXT: Rgb<u8> = Rgb([154, 18, 23]);

fn close(a: &Rgb<u8>, b: &Rgb<u8>) -> bool {
    a.0.iter().zip(b.0).all(|(x, y)| x.abs_diff(y) <= 6)
}

fn share_of(image: &RgbImage, y_range: std::ops::Range<u32>, colour: Rgb<u8>) -> f64 {
    let pixels: Vec<_> = y_range.flat_map(|y| (0..image.width()).map(move |x| (x, y))).collect();
    let hits = pixels.iter().filter(|(x, y)| close(image.get_pixel(*x, *y), &colour)).count();
    hits as f64 / pixels.len() as f64
}

fn write_config(dir: &Path, bundle: &str) -> PathBuf {
    let path = dir.join("screen.toml");
    let handoff = "[handoff]\nbase_url = \"https://gk.example.cn\"\nsecret = \"00112233445566778899aabbccddeeff\"\n";
    std::fs::write(&path, format!("[kiosk]\nid = \"t-1\"\n[content]\nbundle = \"{bundle}\"\n{handoff}")).unwrap();
    path
}

#[test]
fn refused_bundle_falls_back_to_the_demo_content() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "no-such-bundle");
    let out = dir.path().join("home.png");
    render(&config, &["--screen", "home", "--size", "1280x720", "-o", out.to_str().unwrap()], None);
    let image = image::open(&out).unwrap().to_rgb8();
    assert!(share_of(&image, 0..10, HEADER_RED) > 0.9, "home screen of the demo bundle");
    let report: Report = serde_json::from_str(&std::fs::read_to_string(out.with_extension("layout.json")).unwrap()).unwrap();
    let texts = report.texts();
    let demo = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &CheckOptions::at_local_now()).content.site;
    assert!(texts.contains(&demo.demo_label.as_deref().unwrap()), "the 示例数据 label is shown: {texts:?}");
    assert!(texts.iter().any(|t| t.starts_with(&demo.hall)), "the demo hall's title is shown: {texts:?}");
}

#[test]
fn without_any_valid_bundle_the_screen_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::os::unix::fs::symlink(std::fs::canonicalize("assets/fonts").unwrap(), assets.join("fonts")).unwrap();
    let config = write_config(dir.path(), "missing");
    let out = dir.path().join("screen.png");
    render(&config, &["--size", "1280x720", "-o", out.to_str().unwrap()], Some(dir.path()));
    let image = image::open(&out).unwrap().to_rgb8();
    assert!(share_of(&image, 0..100, BACKGROUND) > 0.99, "no header without content");
    let notice = share_of(&image, 250..470, ACCENT_TEXT);
    assert!(notice > 0.001, "the out-of-service notice is drawn ({notice})");
}

/// The drawn check sees what the declared one cannot: dark text whose declared background is
/// white, drawn over a dark gradient.
#[test]
fn text_over_a_dark_gradient_fails_the_drawn_contrast_though_its_declared_background_is_white() {
    let report: Report = serde_json::from_value(serde_json::json!({
        "width": 100.0, "height": 50.0,
        "nodes": [{
            "id": 1, "parent": null, "x": 20.0, "y": 10.0, "w": 60.0, "h": 20.0,
            "in_scroll": false, "tappable": false, "qr": null,
            "text": { "value": "政务公开", "font_px": 28.0, "laid_w": 60.0, "laid_h": 20.0, "color": [0.1, 0.1, 0.1], "background": [1.0, 1.0, 1.0] }
        }]
    }))
    .unwrap();
    assert!(layout_problems(&report, &STANDARD).is_empty(), "the declared colours pass");
    // The glyphs: a stroke of the text's colour inside its box.
    let ink = |x: u32, y: u32| (30..60).contains(&x) && (18..22).contains(&y);
    let drawn_on = |background: &dyn Fn(u32) -> Rgb<u8>| {
        RgbImage::from_fn(100, 50, |x, y| if ink(x, y) { Rgb([26, 26, 26]) } else { background(x) })
    };
    let gradient = drawn_on(&|x| Rgb([20 + (x / 3) as u8, 30, 60]));
    let problems = drawn_contrast_problems(&report, &gradient, &STANDARD);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("政务公开"), "{problems:?}");
    let white = drawn_on(&|_| Rgb([255, 255, 255]));
    assert!(drawn_contrast_problems(&report, &white, &STANDARD).is_empty());
    let covered = RgbImage::from_pixel(100, 50, Rgb([200, 30, 30]));
    assert!(drawn_contrast_problems(&report, &covered, &STANDARD).is_empty(), "no ink shows: covered, not drawn");
}
