//! 截图 for the fleet page: the kiosk's window, with what a visitor typed painted over,
//! scaled to a thumbnail PNG, signed with the kiosk's key and posted to `SCREENSHOT_PATH` by
//! a thread of its own. The upload answers the 截图 command it was taken for.
//!
//! The signature covers the picture's SHA-256, sent in a header, so the hub checks who sends
//! before it reads the body.

use std::{
    io::Cursor,
    sync::mpsc::{Receiver, Sender, channel},
    thread,
    time::Duration,
};

use hmac::Mac;
use sha2::{Digest, Sha256};
use image::{ImageFormat, ImageReader, RgbImage, codecs::png::PngEncoder, imageops::FilterType};

use super::{
    KIOSK_HEADER, PushSettings, SIGNATURE_HEADER,
    listener::answer,
    push::{MAX_AGE_MS, mac},
};

pub const SCREENSHOT_PATH: &str = "/api/screenshot";
/// When the frame was captured, in Unix milliseconds: the hub keeps only the latest.
pub const TAKEN_AT_HEADER: &str = "x-gongkai-taken-at";
/// The 截图 command the capture answers; absent for a periodic one.
pub const COMMAND_HEADER: &str = "x-gongkai-command";
/// The picture's SHA-256, hex.
pub const CONTENT_SHA256_HEADER: &str = "x-gongkai-content-sha256";
/// A thumbnail's longer side at most, in pixels: a 1920×1080 screen becomes 640×360.
pub const MAX_SIDE: u32 = 640;
/// The largest upload the hub reads: a thumbnail of noise at `MAX_SIDE` on both sides fits.
pub const MAX_SCREENSHOT_BYTES: usize = 1536 * 1024;
/// What covers a visitor's input: flat grey, as no screen of the kiosk is drawn.
pub const BLANK: [u8; 3] = [128, 128, 128];
const CONTEXT: &[u8] = b"gongkai-screenshot-v1\n";

/// An area of the window in physical pixels (the capture's own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PixelRect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// What the screen's thread hands the uploader.
#[derive(Debug, Clone)]
pub enum Capture {
    Frame(FrameCapture),
    /// A capture for `command` that could not be made: answered as failed.
    Failed { command: i64, reason: String },
}

/// One captured frame.
#[derive(Debug, Clone)]
pub struct FrameCapture {
    /// The 截图 command it answers, if any.
    pub command: Option<i64>,
    pub taken_at_ms: i64,
    pub width: u32,
    pub height: u32,
    /// RGB, 3 bytes a pixel, rows from the top.
    pub rgb: Vec<u8>,
    /// Where a visitor's input was on screen: painted over before anything else.
    pub blanked: Vec<PixelRect>,
}

/// The capture with its `blanked` areas painted over, scaled to fit `MAX_SIDE`, as PNG.
pub fn thumbnail(capture: &FrameCapture) -> Result<Vec<u8>, String> {
    let mut frame = RgbImage::from_raw(capture.width, capture.height, capture.rgb.clone())
        .ok_or_else(|| format!("{} bytes are not a {}×{} RGB frame", capture.rgb.len(), capture.width, capture.height))?;
    for area in &capture.blanked {
        blank(&mut frame, area);
    }
    let scale = (MAX_SIDE as f32 / capture.width.max(capture.height) as f32).min(1.0);
    let (width, height) = (((capture.width as f32 * scale).round() as u32).max(1), ((capture.height as f32 * scale).round() as u32).max(1));
    let small = image::imageops::resize(&frame, width, height, FilterType::Triangle);
    let mut png = Vec::new();
    small.write_with_encoder(PngEncoder::new(&mut png)).map_err(|e| format!("PNG: {e}"))?;
    Ok(png)
}

/// Paints `area` (widened to whole pixels, cut to the frame) with `BLANK`.
fn blank(frame: &mut RgbImage, area: &PixelRect) {
    let clamp = |v: f32, limit: u32| (v.max(0.0) as u32).min(limit);
    let (left, top) = (clamp(area.x.floor(), frame.width()), clamp(area.y.floor(), frame.height()));
    let (right, bottom) = (clamp((area.x + area.width).ceil(), frame.width()), clamp((area.y + area.height).ceil(), frame.height()));
    for y in top..bottom {
        for x in left..right {
            frame.put_pixel(x, y, image::Rgb(BLANK));
        }
    }
}

fn mac_of(key: &[u8], kiosk: &str, taken_at: &str, command: &str, content_sha256: &str) -> hmac::Hmac<sha2::Sha256> {
    mac(key, CONTEXT, &[kiosk.as_bytes(), taken_at.as_bytes(), command.as_bytes(), content_sha256.as_bytes()])
}

/// The picture's SHA-256 as its header carries it.
pub fn content_sha256(png: &[u8]) -> String {
    hex::encode(Sha256::digest(png))
}

/// The signature header's value for an upload; `command` as its header says it ("" if none).
pub fn sign_screenshot(key: &[u8], kiosk: &str, taken_at_ms: i64, command: &str, png: &[u8]) -> String {
    hex::encode(mac_of(key, kiosk, &taken_at_ms.to_string(), command, &content_sha256(png)).finalize().into_bytes())
}

/// What a signed upload's headers say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenshotRequest {
    pub taken_at_ms: i64,
    pub command: Option<i64>,
    pub content_sha256: String,
}

/// Checks an upload's headers from `kiosk` before its body is read: the signature over them,
/// and the capture's age.
pub fn verify_screenshot_request(key: &[u8], kiosk: &str, taken_at: &str, command: &str, content_sha256: &str, signature: &str, now_ms: i64) -> Result<ScreenshotRequest, String> {
    let signature = hex::decode(signature.trim()).map_err(|_| "signature is not hex".to_string())?;
    mac_of(key, kiosk, taken_at, command, content_sha256).verify_slice(&signature).map_err(|_| "signature does not match".to_string())?;
    let taken_at_ms: i64 = taken_at.parse().map_err(|_| format!("{TAKEN_AT_HEADER}: {taken_at:?} is not milliseconds"))?;
    if (now_ms - taken_at_ms).abs() > MAX_AGE_MS {
        return Err(format!("taken at {taken_at_ms}: more than {} s from now", MAX_AGE_MS / 1000));
    }
    let command = match command {
        "" => None,
        id => Some(id.parse().map_err(|_| format!("{COMMAND_HEADER}: {id:?} is not a command id"))?),
    };
    Ok(ScreenshotRequest { taken_at_ms, command, content_sha256: content_sha256.to_string() })
}

/// Checks the body of a request whose headers passed: the picture they signed, a PNG of a
/// thumbnail's size at most. Returns its width and height.
pub fn check_thumbnail(request: &ScreenshotRequest, png: &[u8]) -> Result<(u32, u32), String> {
    if content_sha256(png) != request.content_sha256 {
        return Err("the body is not the picture the headers signed".into());
    }
    let reader = ImageReader::with_format(Cursor::new(png), ImageFormat::Png);
    let (width, height) = reader.into_dimensions().map_err(|e| format!("not a PNG: {e}"))?;
    if width.max(height) > MAX_SIDE || width == 0 || height == 0 {
        return Err(format!("{width}×{height}: a thumbnail is at most {MAX_SIDE} pixels a side"));
    }
    Ok((width, height))
}

/// Starts the thread that makes and uploads thumbnails, one capture at a time, for as long as
/// the process runs. A capture for a command that cannot be uploaded is answered as failed,
/// with the reason; a periodic one is simply dropped.
pub fn start_uploader(settings: PushSettings) -> Sender<Capture> {
    let (captures, received) = channel();
    let spawned = thread::Builder::new().name("screenshot".into()).spawn(move || upload_each(&settings, &received));
    if let Err(e) = spawned {
        eprintln!("screenshot uploader not started: {e}");
    }
    captures
}

fn upload_each(settings: &PushSettings, captures: &Receiver<Capture>) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build();
    let (Ok(runtime), Ok(client)) = (runtime, client) else { return };
    while let Ok(capture) = captures.recv() {
        let failed = match capture {
            Capture::Failed { command, reason } => Some((command, reason)),
            Capture::Frame(frame) => {
                let sent = match thumbnail(&frame) {
                    Ok(png) => runtime.block_on(upload(&client, settings, &frame, png)),
                    Err(e) => Err(format!("截图无法生成：{e}")),
                };
                frame.command.zip(sent.err())
            }
        };
        if let Some((command, reason)) = failed {
            runtime.block_on(answer(&client, settings, command, false, &reason));
        }
    }
}

async fn upload(client: &reqwest::Client, settings: &PushSettings, capture: &FrameCapture, png: Vec<u8>) -> Result<(), String> {
    let command = capture.command.map(|id| id.to_string()).unwrap_or_default();
    let signature = sign_screenshot(&settings.key, &settings.kiosk_id, capture.taken_at_ms, &command, &png);
    let mut request = client
        .post(format!("{}{SCREENSHOT_PATH}", settings.hub_url.trim_end_matches('/')))
        .header(KIOSK_HEADER, &settings.kiosk_id)
        .header(TAKEN_AT_HEADER, capture.taken_at_ms.to_string())
        .header(CONTENT_SHA256_HEADER, content_sha256(&png))
        .header(SIGNATURE_HEADER, signature)
        .header(reqwest::header::CONTENT_TYPE, "image/png");
    if !command.is_empty() {
        request = request.header(COMMAND_HEADER, &command);
    }
    let response = request.body(png).send().await.map_err(|e| format!("截图无法上传：{e}"))?;
    if response.status().is_success() {
        return Ok(());
    }
    let status = response.status();
    let said: String = response.text().await.unwrap_or_default().chars().take(200).collect();
    Err(format!("截图上传被拒绝（{status}）：{said}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(width: u32, height: u32, blanked: Vec<PixelRect>) -> FrameCapture {
        // A gradient: every pixel differs from the grey that blanks.
        let rgb = (0..width * height).flat_map(|i| [(i % 251) as u8, 200, (i / width % 97) as u8]).collect();
        FrameCapture { command: None, taken_at_ms: 0, width, height, rgb, blanked }
    }

    fn decoded(png: &[u8]) -> RgbImage {
        image::load_from_memory_with_format(png, ImageFormat::Png).unwrap().to_rgb8()
    }

    #[test]
    fn a_frame_is_scaled_to_fit_and_keeps_its_shape() {
        for ((width, height), expected) in [((1920, 1080), (640, 360)), ((1080, 1920), (360, 640)), ((320, 200), (320, 200))] {
            let small = decoded(&thumbnail(&capture(width, height, vec![])).unwrap());
            assert_eq!(small.dimensions(), expected, "{width}×{height}");
        }
        let wrong = FrameCapture { rgb: vec![0; 10], ..capture(4, 4, vec![]) };
        assert!(thumbnail(&wrong).unwrap_err().contains("4×4"));
    }

    #[test]
    fn a_visitors_input_is_grey_in_the_thumbnail_and_nothing_else_is() {
        // The right half of the top quarter, and one area partly off the frame.
        let areas = vec![
            PixelRect { x: 960.0, y: 0.0, width: 960.0, height: 270.0 },
            PixelRect { x: -50.0, y: 1000.5, width: 150.0, height: 500.0 },
        ];
        let small = decoded(&thumbnail(&capture(1920, 1080, areas)).unwrap());
        let grey = |x: u32, y: u32| small.get_pixel(x, y).0 == BLANK;
        assert!((321..640).all(|x| (0..89).all(|y| grey(x, y))), "the input's area is all grey");
        assert!((0..32).all(|x| (334..360).all(|y| grey(x, y))), "cut to the frame");
        assert!((0..319).all(|x| (0..89).all(|y| !grey(x, y))), "beside it nothing is");
        assert!((0..640).all(|x| (91..333).all(|y| !grey(x, y))), "below it nothing is");
    }

    #[test]
    fn only_a_signed_fresh_thumbnail_is_taken() {
        let key = b"0123456789abcdef";
        let png = thumbnail(&capture(1280, 720, vec![])).unwrap();
        let now = 1_700_000_000_000;
        let hash = content_sha256(&png);
        let signed = sign_screenshot(key, "hall-1", now - 1000, "7", &png);
        let request = verify_screenshot_request(key, "hall-1", &(now - 1000).to_string(), "7", &hash, &signed, now).unwrap();
        assert_eq!(request, ScreenshotRequest { taken_at_ms: now - 1000, command: Some(7), content_sha256: hash.clone() });
        assert_eq!(check_thumbnail(&request, &png), Ok((640, 360)));
        let verify = |kiosk: &str, command: &str, hash: &str, key: &[u8]| verify_screenshot_request(key, kiosk, &(now - 1000).to_string(), command, hash, &signed, now);
        assert!(verify("hall-2", "7", &hash, key).is_err(), "another kiosk's name");
        assert!(verify("hall-1", "8", &hash, key).is_err(), "another command");
        assert!(verify("hall-1", "7", &content_sha256(b"other"), key).is_err(), "another picture");
        assert!(verify("hall-1", "7", &hash, b"another key here").is_err());
        let refused = |taken_at: i64, command: &str, png: &[u8]| {
            verify_screenshot_request(key, "hall-1", &taken_at.to_string(), command, &content_sha256(png), &sign_screenshot(key, "hall-1", taken_at, command, png), now)
        };
        assert!(refused(now - 400_000, "", &png).unwrap_err().contains("300 s"));
        assert!(refused(now, "x", &png).unwrap_err().contains("command id"));
        let not_png = refused(now, "", b"GIF89a not a png").unwrap();
        assert!(check_thumbnail(&not_png, b"GIF89a not a png").unwrap_err().contains("not a PNG"));
        assert!(check_thumbnail(&request, &thumbnail(&capture(1280, 720, vec![PixelRect { x: 0.0, y: 0.0, width: 9.0, height: 9.0 }])).unwrap()).unwrap_err().contains("not the picture"));
        let mut too_wide = Vec::new();
        RgbImage::new(641, 10).write_with_encoder(PngEncoder::new(&mut too_wide)).unwrap();
        assert!(check_thumbnail(&refused(now, "", &too_wide).unwrap(), &too_wide).unwrap_err().contains("641×10"));
    }
}
