//! Running `gongkai render` under Xvfb and checking what it drew: the picture against its
//! layout report (text that fits, sizes, contrast, tap targets), QR codes decoded from the
//! pixels, and no blank frame.

use std::{collections::HashMap, path::Path, process::Command};

use gongkai_core::{
    content::{
        check::{CheckOptions, check_bundle},
        model::Content,
    },
    handoff::{Target, verify},
};
use image::RgbImage;
use serde::Deserialize;

/// `xvfb-run -a` picks a free display racily: start one X server at a time.
static ONE_XVFB_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `gongkai render ARGS` under Xvfb.
pub fn render(config: &Path, args: &[&str], asset_root: Option<&Path>) {
    let _one_at_a_time = ONE_XVFB_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut command = Command::new("xvfb-run");
    command
        .args(["-a", "-s", "-screen 0 7680x2160x24", "timeout", "300"])
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
pub struct Report {
    pub width: f32,
    pub height: f32,
    pub nodes: Vec<NodeReport>,
}

impl Report {
    /// Every text on screen, in layout order.
    pub fn texts(&self) -> Vec<&str> {
        self.nodes.iter().filter_map(|n| n.text.as_ref().map(|t| t.value.as_str())).collect()
    }
}

#[derive(Deserialize)]
pub struct NodeReport {
    pub id: u64,
    pub parent: Option<u64>,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub in_scroll: bool,
    /// Moves through a clipping window by design (rolling digits, ticker, long tables).
    #[serde(default)]
    pub in_reel: bool,
    /// Clips its children (scroll areas, cut titles).
    #[serde(default)]
    pub clips: bool,
    pub tappable: bool,
    pub text: Option<TextReport>,
    pub qr: Option<String>,
}

#[derive(Deserialize)]
pub struct TextReport {
    pub value: String,
    pub font_px: f32,
    pub laid_w: f32,
    pub laid_h: f32,
    pub color: [f32; 3],
    pub background: [f32; 3],
}

/// The limits of one look.
pub struct Limits {
    /// Smallest text anywhere (captions, secondary lines).
    pub min_text_px: f32,
    /// Smallest reading text (everything in a scrolling text area).
    pub min_body_px: f32,
    pub min_contrast: f32,
}

pub const STANDARD: Limits = Limits { min_text_px: 24.0, min_body_px: 28.0, min_contrast: 4.5 };
pub const CARE: Limits = Limits { min_text_px: 34.0, min_body_px: 40.0, min_contrast: 7.0 };
/// Smallest tap target height, in 1080p pixels.
pub const MIN_TAP_PX: f32 = 64.0;
/// Layout rounding.
pub const SLACK: f32 = 1.0;

pub fn luminance(c: [f32; 3]) -> f32 {
    let linear = |v: f32| if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
    0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2])
}

pub fn contrast(a: [f32; 3], b: [f32; 3]) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Everything wrong with one view, as readable lines.
pub fn layout_problems(report: &Report, limits: &Limits) -> Vec<String> {
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
            if node.text.as_ref().is_some_and(|t| !t.value.trim().is_empty()) {
                problems.push(format!("{name} is squeezed to {}x{}", node.w, node.h));
            }
            continue;
        }
        if node.in_reel {
            // Its window is checked instead.
        } else if node.in_scroll {
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

/// Text against what is really drawn behind it: the declared text colour against the
/// picture's pixels inside the text's box, which catch gradients, images and overlays that
/// the declared background misses. The glyphs themselves and their smoothed edges cover well
/// under the lowest `INK_SHARE` of the box; the pixel at that rank, counted from the lowest
/// contrast, is background, and must meet the limit. Only the part of the box inside its
/// clipping ancestors is sampled; text in reels is left to the declared check, and text with
/// no pixel of its colour in its box is covered, not drawn.
pub fn drawn_contrast_problems(report: &Report, image: &RgbImage, limits: &Limits) -> Vec<String> {
    let by_id: HashMap<u64, &NodeReport> = report.nodes.iter().map(|n| (n.id, n)).collect();
    let scale = image.width() as f32 / report.width;
    let mut problems = Vec::new();
    for node in &report.nodes {
        let Some(text) = node.text.as_ref().filter(|t| !t.value.trim().is_empty()) else { continue };
        if node.in_reel || node.w <= 0.0 || node.h <= 0.0 {
            continue;
        }
        let Some(visible) = visible_part(node, &by_id) else { continue };
        let pixels: Vec<[f32; 3]> = pixels_in(visible, scale, image).collect();
        let is_ink = |p: &[f32; 3]| p.iter().zip(text.color).map(|(a, b)| (a - b).powi(2)).sum::<f32>().sqrt() < INK_MATCH;
        if pixels.len() < 16 || !pixels.iter().any(is_ink) {
            // No pixel of the text's colour shows: something drawn above covers it (an urgent
            // notice over the wall's page), so there is no text to read there.
            continue;
        }
        let mut ratios: Vec<f32> = pixels.iter().map(|pixel| contrast(text.color, *pixel)).collect();
        ratios.sort_by(f32::total_cmp);
        let ratio = ratios[(ratios.len() as f32 * INK_SHARE) as usize];
        if ratio < limits.min_contrast {
            problems.push(format!("{:?} is drawn with contrast {ratio:.2} against the pixels behind it, below {}", text.value, limits.min_contrast));
        }
    }
    problems
}

/// The largest share of a text's box that its glyphs, with their smoothed edges, may cover.
const INK_SHARE: f32 = 0.7;
/// Distance in sRGB (0–1 a channel) within which a pixel counts as drawn in the text's colour.
const INK_MATCH: f32 = 0.08;

/// `node`'s box cut to every clipping ancestor, in logical pixels; `None` when nothing shows.
fn visible_part(node: &NodeReport, by_id: &HashMap<u64, &NodeReport>) -> Option<(f32, f32, f32, f32)> {
    let ancestors = std::iter::successors(node.parent.and_then(|p| by_id.get(&p).copied()), |n| n.parent.and_then(|p| by_id.get(&p).copied()));
    let (mut x0, mut y0, mut x1, mut y1) = (node.x, node.y, node.x + node.w, node.y + node.h);
    for clip in ancestors.filter(|a| a.clips) {
        (x0, y0, x1, y1) = (x0.max(clip.x), y0.max(clip.y), x1.min(clip.x + clip.w), y1.min(clip.y + clip.h));
    }
    (x1 > x0 && y1 > y0).then_some((x0, y0, x1 - x0, y1 - y0))
}

/// The picture's pixels inside `rect` (logical pixels), as sRGB 0–1.
fn pixels_in(rect: (f32, f32, f32, f32), scale: f32, image: &RgbImage) -> impl Iterator<Item = [f32; 3]> + '_ {
    let (x0, y0) = ((rect.0 * scale).ceil().max(0.0) as u32, (rect.1 * scale).ceil().max(0.0) as u32);
    let x1 = (((rect.0 + rect.2) * scale).floor() as u32).min(image.width());
    let y1 = (((rect.1 + rect.3) * scale).floor() as u32).min(image.height());
    (y0..y1).flat_map(move |y| (x0..x1).map(move |x| image.get_pixel(x, y).0.map(|c| f32::from(c) / 255.0)))
}

/// What every QR code on a screen of one config must be, worked out from the config and the
/// content rather than from what the app reports about itself: a link under the config's
/// hub address, signed with its kiosk's key, to an item whose title the view shows.
pub struct QrExpectation {
    prefix: String,
    kiosk: String,
    secret: Vec<u8>,
    content: Content,
}

impl QrExpectation {
    pub fn for_config(config: &Path) -> Self {
        let config = gongkai_core::config::load(config).unwrap();
        let checked = check_bundle(&config.content.bundle, &CheckOptions::at_local_now());
        QrExpectation {
            prefix: format!("{}/H/", config.handoff.base_url.trim_end_matches('/').to_ascii_uppercase()),
            kiosk: config.kiosk.id.clone(),
            secret: config.handoff_secret(),
            content: checked.content,
        }
    }

    /// Why `link`, decoded from a view showing `texts`, is not a link that view should show.
    fn problem(&self, link: &str, texts: &[&str]) -> Option<String> {
        if !link.starts_with(&self.prefix) {
            return Some(format!("{link} is not under {}", self.prefix));
        }
        // Links are signed for the time of the render (`--at`); their lifetime is tested elsewhere.
        let verified = match verify(link, |kiosk| (kiosk == self.kiosk).then_some(&self.secret), i64::MIN) {
            Ok(verified) => verified,
            Err(refusal) => return Some(format!("{link} does not verify with {}'s key: {refusal}", self.kiosk)),
        };
        let content = &self.content;
        // The titles that show the item on screen: a document also stands behind its 解读.
        let titles: Vec<&str> = match &verified.target {
            Target::Document(id) | Target::Apply(Some(id)) => content
                .documents
                .iter()
                .filter(|d| &d.id == id)
                .map(|d| d.title.as_str())
                .chain(content.interpretations.iter().filter(|i| &i.document == id).map(|i| i.title.as_str()))
                .collect(),
            Target::Guide(id) => content.service_guides.iter().filter(|g| &g.id == id).map(|g| g.title.as_str()).collect(),
            Target::Consultation(id) => content.consultations.iter().filter(|c| &c.id == id).map(|c| c.title.as_str()).collect(),
            Target::Apply(None) | Target::Opinion | Target::Satisfaction => return None,
        };
        if titles.is_empty() {
            return Some(format!("{link} names {:?}, which is not in the content", verified.target));
        }
        let shown = titles.iter().any(|title| texts.iter().any(|text| shows_title(text, title)));
        (!shown).then(|| format!("{link} names {:?}, but the view shows none of {titles:?}", verified.target))
    }
}

/// Whether one line of `text` shows `title`: whole, or cut to fit with an ellipsis.
fn shows_title(text: &str, title: &str) -> bool {
    text.lines().any(|line| {
        line.contains(title) || line.strip_suffix('…').is_some_and(|cut| cut.chars().count() >= 4 && title.starts_with(cut))
    })
}

/// Every QR the report names decodes, from the picture, to its link, and that link is one
/// the view should show (see [`QrExpectation`]).
pub fn qr_problems(report: &Report, image: &RgbImage, expected: &QrExpectation) -> Vec<String> {
    let scale = image.width() as f32 / report.width;
    let texts = report.texts();
    let mut problems = Vec::new();
    for node in report.nodes.iter().filter(|n| n.qr.is_some()) {
        let reported = node.qr.as_deref().unwrap_or_default();
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
        let [link] = &decoded[..] else {
            problems.push(format!("QR at {},{} decodes to {decoded:?}", node.x, node.y));
            continue;
        };
        if link != reported {
            problems.push(format!("QR at {},{} decodes to {link}, but the app reports {reported}", node.x, node.y));
        }
        problems.extend(expected.problem(link, &texts).map(|p| format!("QR at {},{}: {p}", node.x, node.y)));
    }
    problems
}
