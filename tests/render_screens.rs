//! Renders every kiosk view in a real window under Xvfb (Mesa llvmpipe, no GPU), landscape
//! and portrait, standard and 关怀模式, and checks each picture with the layout report that
//! `gongkai render` writes beside it:
//! - the picture is not blank;
//! - every QR code on screen decodes to the link the report says it carries;
//! - no text overflows its box, its parent or the screen;
//! - every tappable node is at least 64 px high (at 1080p);
//! - type sizes and text/background contrast are within the limits of each mode.
#![cfg(feature = "kiosk")]

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    process::Command,
};

use image::{Rgb, RgbImage};
use serde::Deserialize;

/// `xvfb-run -a` picks a free display racily: start one X server at a time.
static ONE_XVFB_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

const DEMO_CONFIG: &str = "kiosk-config/hall-touch.toml";

/// Runs `gongkai render ARGS` under Xvfb.
fn render(config: &Path, args: &[&str], asset_root: Option<&Path>) {
    let _one_at_a_time = ONE_XVFB_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut command = Command::new("xvfb-run");
    command
        .args(["-a", "-s", "-screen 0 1920x1920x24", "timeout", "300"])
        .arg(env!("CARGO_BIN_EXE_gongkai"))
        .arg("render")
        .args(args)
        .arg("--config")
        .arg(config);
    if let Some(root) = asset_root {
        command.env("BEVY_ASSET_ROOT", root);
    }
    let output = command.output().unwrap_or_else(|e| {
        panic!("cannot run xvfb-run ({e}); install xvfb, xauth, mesa-vulkan-drivers (see .ci/run)")
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    let problems: Vec<&str> = stderr.lines().filter(|l| !l.contains("ICU4X")).collect();
    assert!(output.status.success(), "render failed:\n{}", problems.join("\n"));
}

#[derive(Deserialize)]
struct Report {
    width: f32,
    height: f32,
    nodes: Vec<NodeReport>,
}

#[derive(Deserialize)]
struct NodeReport {
    id: u64,
    parent: Option<u64>,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    in_scroll: bool,
    tappable: bool,
    text: Option<TextReport>,
    qr: Option<String>,
}

#[derive(Deserialize)]
struct TextReport {
    value: String,
    font_px: f32,
    laid_w: f32,
    laid_h: f32,
    color: [f32; 3],
    background: [f32; 3],
}

/// The limits of one look.
struct Limits {
    /// Smallest text anywhere (captions, secondary lines).
    min_text_px: f32,
    /// Smallest reading text (everything in a scrolling text area).
    min_body_px: f32,
    min_contrast: f32,
}

const STANDARD: Limits = Limits { min_text_px: 24.0, min_body_px: 28.0, min_contrast: 4.5 };
const CARE: Limits = Limits { min_text_px: 34.0, min_body_px: 40.0, min_contrast: 7.0 };
/// Smallest tap target height, in 1080p pixels.
const MIN_TAP_PX: f32 = 64.0;
/// Layout rounding.
const SLACK: f32 = 1.0;

fn luminance(c: [f32; 3]) -> f32 {
    let linear = |v: f32| if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
    0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2])
}

fn contrast(a: [f32; 3], b: [f32; 3]) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Everything wrong with one view, as readable lines.
fn layout_problems(report: &Report, limits: &Limits) -> Vec<String> {
    let by_id: HashMap<u64, &NodeReport> = report.nodes.iter().map(|n| (n.id, n)).collect();
    let mut problems = Vec::new();
    for node in &report.nodes {
        let name = node.text.as_ref().map_or_else(|| format!("node {}", node.id), |t| format!("{:?}", t.value));
        let inside = |outer: (f32, f32, f32, f32)| {
            node.x >= outer.0 - SLACK
                && node.y >= outer.1 - SLACK
                && node.x + node.w <= outer.0 + outer.2 + SLACK
                && node.y + node.h <= outer.1 + outer.3 + SLACK
        };
        if node.w <= 0.0 || node.h <= 0.0 {
            continue;
        }
        if node.in_scroll {
            if node.x < -SLACK || node.x + node.w > report.width + SLACK {
                problems.push(format!("{name} sticks out sideways ({} + {} of {})", node.x, node.w, report.width));
            }
        } else {
            if !inside((0.0, 0.0, report.width, report.height)) {
                problems.push(format!("{name} is off screen at {},{} size {}x{}", node.x, node.y, node.w, node.h));
            }
            if let Some(parent) = node.parent.and_then(|p| by_id.get(&p))
                && !inside((parent.x, parent.y, parent.w, parent.h))
            {
                problems.push(format!("{name} overflows its parent ({},{} {}x{} in {},{} {}x{})", node.x, node.y, node.w, node.h, parent.x, parent.y, parent.w, parent.h));
            }
        }
        if node.tappable && node.h < MIN_TAP_PX - SLACK {
            problems.push(format!("{name} is a tap target only {} px high", node.h));
        }
        if let Some(text) = &node.text {
            if text.value.trim().is_empty() {
                continue;
            }
            if text.laid_w > node.w + SLACK || text.laid_h > node.h + SLACK {
                problems.push(format!("{name} is laid out {}x{} in a {}x{} box", text.laid_w, text.laid_h, node.w, node.h));
            }
            let min = if node.in_scroll { limits.min_body_px } else { limits.min_text_px };
            if text.font_px < min {
                problems.push(format!("{name} is {} px, below {min}", text.font_px));
            }
            let ratio = contrast(text.color, text.background);
            if ratio < limits.min_contrast {
                problems.push(format!("{name} has contrast {ratio:.2}, below {}", limits.min_contrast));
            }
        }
    }
    problems
}

/// Every QR the report names decodes, from the picture, to its link.
fn qr_problems(report: &Report, image: &RgbImage) -> Vec<String> {
    let scale = image.width() as f32 / report.width;
    let mut problems = Vec::new();
    for node in report.nodes.iter().filter(|n| n.qr.is_some()) {
        let expected = node.qr.as_deref().unwrap_or_default();
        // The quiet zone is inside the node; add a margin of page around it anyway.
        let margin = 8.0;
        let x0 = ((node.x - margin) * scale).max(0.0) as u32;
        let y0 = ((node.y - margin) * scale).max(0.0) as u32;
        let side_w = (((node.w + 2.0 * margin) * scale) as u32).min(image.width() - x0);
        let side_h = (((node.h + 2.0 * margin) * scale) as u32).min(image.height() - y0);
        let crop = image::imageops::crop_imm(image, x0, y0, side_w, side_h).to_image();
        let luma = image::DynamicImage::ImageRgb8(crop).to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(luma.width() as usize, luma.height() as usize, |x, y| {
            luma.get_pixel(x as u32, y as u32).0[0]
        });
        let decoded: Vec<String> = prepared.detect_grids().iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect();
        if decoded != [expected.to_string()] {
            problems.push(format!("QR at {},{} decodes to {decoded:?}, expected {expected}", node.x, node.y));
        }
    }
    problems
}

/// A blank or single-colour frame is the one thing a kiosk must never show.
fn blank_problem(image: &RgbImage) -> Option<String> {
    let mut counts: HashMap<Rgb<u8>, usize> = HashMap::new();
    for pixel in image.pixels().step_by(7) {
        *counts.entry(*pixel).or_default() += 1;
    }
    let total: usize = counts.values().sum();
    let commonest = counts.values().max().copied().unwrap_or(0);
    (counts.len() < 16 || commonest as f64 > 0.97 * total as f64)
        .then(|| format!("looks blank: {} colours, commonest covers {:.1}%", counts.len(), 100.0 * commonest as f64 / total as f64))
}

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
    assert!(pictures.len() >= 20, "every view rendered: {pictures:?}");
    let mut failures = Vec::new();
    let mut qr_codes = HashMap::new();
    for picture in &pictures {
        let view = picture.file_stem().unwrap().to_string_lossy().into_owned();
        let report: Report = serde_json::from_str(&std::fs::read_to_string(picture.with_extension("layout.json")).unwrap()).unwrap();
        let image = image::open(picture).unwrap().to_rgb8();
        let expected_size: Vec<u32> = size.split('x').map(|v| v.parse().unwrap()).collect();
        assert_eq!(image.dimensions(), (expected_size[0], expected_size[1]), "{view}");
        qr_codes.insert(view.clone(), report.nodes.iter().filter(|n| n.qr.is_some()).count());
        let problems = layout_problems(&report, limits)
            .into_iter()
            .chain(qr_problems(&report, &image))
            .chain(blank_problem(&image));
        failures.extend(problems.map(|p| format!("{view}: {p}")));
    }
    // 扫码带走 / 手机办理 / 扫码提意见 / the forms: the views that hand over to a phone.
    for (view, expected) in [("reader", 1), ("interpretation", 1), ("guide", 1), ("consultation-open", 1), ("apply", 1), ("interaction", 2)] {
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
