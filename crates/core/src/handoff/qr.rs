//! QR codes for handoff links: level M, the smallest version that holds the link, drawn with
//! a 4-module quiet zone at a whole number of pixels per module so phones read them at a
//! glance even on a glossy touchscreen.

use qrcode::{Color, EcLevel, QrCode, Version};

/// The quiet zone the QR standard asks for, in modules.
pub const QUIET_ZONE: usize = 4;

/// The dark/light modules of one QR symbol.
#[derive(Debug, Clone)]
pub struct QrModules {
    width: usize,
    version: i16,
    dark: Vec<bool>,
}

/// Encodes `text` at error-correction level M.
pub fn qr_modules(text: &str) -> Result<QrModules, String> {
    let code = QrCode::with_error_correction_level(text, EcLevel::M)
        .map_err(|e| format!("cannot encode {} characters as a QR code: {e}", text.len()))?;
    let version = match code.version() {
        Version::Normal(v) | Version::Micro(v) => v,
    };
    let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
    Ok(QrModules { width: code.width(), version, dark })
}

/// Greyscale pixels of a QR symbol, quiet zone included.
#[derive(Debug, Clone)]
pub struct QrImage {
    /// Width and height in pixels.
    pub side: u32,
    /// One byte a pixel, 0 dark and 255 light, row by row.
    pub luma: Vec<u8>,
}

impl QrModules {
    /// Modules along one side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    pub fn version(&self) -> i16 {
        self.version
    }

    /// Modules along one side with the quiet zone on both sides.
    pub fn side_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Pixels per module so that the symbol, quiet zone included, fits `max_side` pixels
    /// (at least 1).
    pub fn pixels_per_module(&self, max_side: u32) -> u32 {
        (max_side / self.side_with_quiet_zone() as u32).max(1)
    }

    pub fn to_image(&self, pixels_per_module: u32) -> QrImage {
        let scale = pixels_per_module.max(1) as usize;
        let side = self.side_with_quiet_zone() * scale;
        let mut luma = vec![255u8; side * side];
        for y in 0..self.width {
            for x in 0..self.width {
                if !self.dark[y * self.width + x] {
                    continue;
                }
                let (left, top) = ((x + QUIET_ZONE) * scale, (y + QUIET_ZONE) * scale);
                for row in top..top + scale {
                    luma[row * side + left..row * side + left + scale].fill(0);
                }
            }
        }
        QrImage { side: side as u32, luma }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(image: &QrImage) -> String {
        let side = image.side as usize;
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| image.luma[y * side + x]);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn longest_links_fit_version_5_and_decode() {
        // The longest base URL the signer accepts with a 24-character kiosk id and content id.
        use crate::handoff::{LinkSigner, Target};
        let base = format!("HTTPS://{}.CN", "G".repeat(29));
        for id in ["a".repeat(24), "1".repeat(24), "a1".repeat(12), "doc-2024-0001-".repeat(2)[..24].to_string()] {
            let signer = LinkSigner::new(&base, &id, &[1; 16], 3600).unwrap();
            assert!(LinkSigner::new(&format!("{base}X"), &id, &[1; 16], 3600).is_err());
            let link = signer.link(&Target::Document(id.clone()), 1_795_000_000).unwrap();
            let modules = qr_modules(&link).unwrap();
            assert!(modules.version() <= 5, "version {} for {link}", modules.version());
            let image = modules.to_image(6);
            assert_eq!(image.side as usize, modules.side_with_quiet_zone() * 6);
            assert_eq!(decode(&image), link);
        }
    }

    #[test]
    fn quiet_zone_is_light_and_scale_is_whole() {
        let modules = qr_modules("HTTPS://X/H/O.K.1.A").unwrap();
        let ppm = modules.pixels_per_module(300);
        assert!(modules.side_with_quiet_zone() as u32 * ppm <= 300);
        let image = modules.to_image(ppm);
        let side = image.side as usize;
        let border = (QUIET_ZONE * ppm as usize) - 1;
        for i in 0..side {
            for (x, y) in [(i, border), (border, i), (i, side - 1 - border), (side - 1 - border, i)] {
                assert_eq!(image.luma[y * side + x], 255, "quiet zone pixel {x},{y}");
            }
        }
        // The top-left finder pattern starts right after the quiet zone.
        let first_dark = QUIET_ZONE * ppm as usize;
        assert_eq!(image.luma[first_dark * side + first_dark], 0);
    }
}
