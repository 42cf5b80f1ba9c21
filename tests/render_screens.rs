//! Renders the kiosk in a real window under Xvfb (Mesa llvmpipe, no GPU) and inspects the
//! screenshots: the home screen is drawn, and a screen is never blank, even when its bundle
//! is refused or no bundle at all can be shown.
#![cfg(feature = "kiosk")]

use std::{path::Path, process::Command};

use image::{Rgb, RgbImage};

const HEADER_RED: Rgb<u8> = Rgb([168, 22, 27]);
const BACKGROUND: Rgb<u8> = Rgb([244, 246, 249]);

/// `xvfb-run -a` picks a free display racily: start one X server at a time.
static ONE_XVFB_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `gongkai render` under Xvfb and returns the image.
fn render(config: &Path, size: &str, asset_root: Option<&Path>) -> RgbImage {
    let _one_at_a_time = ONE_XVFB_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("screen.png");
    let mut command = Command::new("xvfb-run");
    command
        .args(["-a", "-s", "-screen 0 1920x1920x24", "timeout", "120"])
        .arg(env!("CARGO_BIN_EXE_gongkai"))
        .args(["render", "--size", size, "-o"])
        .arg(&out)
        .arg("--config")
        .arg(config);
    if let Some(root) = asset_root {
        command.env("BEVY_ASSET_ROOT", root);
    }
    let output = command.output().unwrap_or_else(|e| {
        panic!("cannot run xvfb-run ({e}); install xvfb, xauth, mesa-vulkan-drivers (see .ci/run)")
    });
    assert!(
        output.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    image::open(&out).unwrap().to_rgb8()
}

fn close(a: &Rgb<u8>, b: &Rgb<u8>) -> bool {
    a.0.iter().zip(b.0).all(|(x, y)| x.abs_diff(y) <= 6)
}

fn share_of(image: &RgbImage, y_range: std::ops::Range<u32>, colour: Rgb<u8>) -> f64 {
    let pixels: Vec<_> = y_range.flat_map(|y| (0..image.width()).map(move |x| (x, y))).collect();
    let hits = pixels.iter().filter(|(x, y)| close(image.get_pixel(*x, *y), &colour)).count();
    hits as f64 / pixels.len() as f64
}

fn write_config(dir: &Path, bundle: &str) -> std::path::PathBuf {
    let path = dir.join("screen.toml");
    std::fs::write(&path, format!("[kiosk]\nid = \"t-1\"\n[content]\nbundle = \"{bundle}\"\n")).unwrap();
    path
}

#[test]
fn home_screen_draws_header_tiles_and_text() {
    let image = render(Path::new("kiosk-config/hall-touch.toml"), "1920x1080", None);
    assert_eq!(image.dimensions(), (1920, 1080));
    assert!(share_of(&image, 0..20, HEADER_RED) > 0.9, "red header band across the top");
    // Text drawn in the header: white glyph pixels inside the band.
    let white_in_header = (20..100)
        .flat_map(|y| (0..1920).map(move |x| (x, y)))
        .filter(|(x, y)| close(image.get_pixel(*x, *y), &Rgb([255, 255, 255])))
        .count();
    assert!(white_in_header > 2000, "header text drawn ({white_in_header} white pixels)");
    // Tiles: white surfaces on the light background, with dark text on them.
    assert!(share_of(&image, 200..900, Rgb([255, 255, 255])) > 0.4, "tiles drawn");
    let dark_text = (200..900)
        .flat_map(|y| (0..1920).map(move |x| (x, y)))
        .filter(|(x, y)| image.get_pixel(*x, *y).0.iter().all(|c| *c < 120))
        .count();
    assert!(dark_text > 5000, "tile text drawn ({dark_text} dark pixels)");
}

#[test]
fn refused_bundle_falls_back_to_the_demo_content() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "no-such-bundle");
    let image = render(&config, "1280x720", None);
    assert!(share_of(&image, 0..10, HEADER_RED) > 0.9, "home screen of the demo bundle");
}

#[test]
fn without_any_valid_bundle_the_screen_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::os::unix::fs::symlink(std::fs::canonicalize("assets/fonts").unwrap(), assets.join("fonts")).unwrap();
    let config = write_config(dir.path(), "missing");
    let image = render(&config, "1280x720", Some(dir.path()));
    assert!(share_of(&image, 0..100, BACKGROUND) > 0.99, "no header without content");
    let red_text = share_of(&image, 250..470, HEADER_RED);
    assert!(red_text > 0.001, "the out-of-service notice is drawn ({red_text})");
}
