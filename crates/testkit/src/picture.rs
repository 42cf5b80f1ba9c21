//! Checks on pictures of the screen, rendered to a file or read back from an X server.

use std::collections::HashMap;

use image::{Rgb, RgbImage};

/// A blank or single-colour frame is the one thing a kiosk must never show.
pub fn blank_problem(image: &RgbImage) -> Option<String> {
    let mut counts: HashMap<Rgb<u8>, usize> = HashMap::new();
    for pixel in image.pixels().step_by(7) {
        *counts.entry(*pixel).or_default() += 1;
    }
    let total: usize = counts.values().sum();
    let commonest = counts.values().max().copied().unwrap_or(0);
    (counts.len() < 16 || commonest as f64 > 0.97 * total as f64)
        .then(|| format!("looks blank: {} colours, commonest covers {:.1}%", counts.len(), 100.0 * commonest as f64 / total as f64))
}

/// 32×32 blocks of pure black, by their top-left corner: an X server's bare root (Xvfb `-br`)
/// where the app does not cover it.
pub fn black_blocks(screen: &RgbImage) -> Vec<(u32, u32)> {
    let mut blocks = Vec::new();
    for by in (0..screen.height()).step_by(32) {
        for bx in (0..screen.width()).step_by(32) {
            let all_black = (by..(by + 32).min(screen.height()))
                .all(|y| (bx..(bx + 32).min(screen.width())).all(|x| screen.get_pixel(x, y).0 == [0, 0, 0]));
            if all_black {
                blocks.push((bx, by));
            }
        }
    }
    blocks
}

/// The share of sampled pixels (in `area` if given: x, y, width, height) that differ clearly
/// between two pictures of the same size; 1 when the sizes differ.
pub fn differing_share(a: &RgbImage, b: &RgbImage, area: Option<(u32, u32, u32, u32)>) -> f64 {
    if a.dimensions() != b.dimensions() {
        return 1.0;
    }
    let (x0, y0, w, h) = area.unwrap_or((0, 0, a.width(), a.height()));
    let (mut differing, mut sampled) = (0usize, 0usize);
    for y in (y0..(y0 + h).min(a.height())).step_by(3) {
        for x in (x0..(x0 + w).min(a.width())).step_by(3) {
            let (p, q) = (a.get_pixel(x, y).0, b.get_pixel(x, y).0);
            sampled += 1;
            if p.iter().zip(q).any(|(c, d)| c.abs_diff(d) > 40) {
                differing += 1;
            }
        }
    }
    differing as f64 / sampled.max(1) as f64
}

#[cfg(test)]
mod tests {
    use image::{Rgb, RgbImage};

    use super::*;

    #[test]
    fn a_window_short_of_the_screen_leaves_black_blocks() {
        let mut screen = RgbImage::from_pixel(128, 64, Rgb([0, 0, 0]));
        for (x, y, pixel) in screen.enumerate_pixels_mut() {
            if x < 64 {
                *pixel = Rgb([(x * 3) as u8, (y * 3) as u8, 200]);
            }
        }
        assert_eq!(black_blocks(&screen), vec![(64, 0), (96, 0), (64, 32), (96, 32)]);
        let other = RgbImage::from_pixel(128, 64, Rgb([0, 0, 0]));
        assert!((differing_share(&screen, &other, None) - 0.5).abs() < 0.05);
        assert_eq!(differing_share(&screen, &other, Some((64, 0, 64, 64))), 0.0);
        assert!(blank_problem(&other).is_some() && blank_problem(&screen).is_none());
    }
}

/// Share of `screen` in the touch theme's urgent-band yellow (#FFD54F, give or take the
/// rounding of a software renderer).
pub fn urgent_band_share(screen: &RgbImage) -> f64 {
    let band = |p: &Rgb<u8>| p.0[0] >= 250 && (205..=221).contains(&p.0[1]) && (71..=87).contains(&p.0[2]);
    screen.pixels().filter(|p| band(p)).count() as f64 / f64::from(screen.width() * screen.height())
}
