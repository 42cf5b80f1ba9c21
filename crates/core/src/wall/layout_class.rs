//! Which layout a wall of a given size gets. Walls differ in shape more than in size, so each
//! aspect-ratio class has its own arrangement instead of one design scaled to fit.

/// The shape of a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LayoutClass {
    /// 4:1 and wider (1920×270, 1536×384): one row of headline figures.
    Strip,
    /// Around 16:9 (1920×1080, 3840×2160): a grid of panels.
    Landscape,
    /// Around 32:9 (3840×1080, 7680×2160): every panel side by side.
    UltraWide,
    /// Taller than wide (1080×1920): panels stacked.
    Portrait,
}

impl LayoutClass {
    pub fn of(width: u32, height: u32) -> Self {
        let aspect = width as f32 / height.max(1) as f32;
        if aspect >= 4.0 {
            Self::Strip
        } else if aspect >= 2.5 {
            Self::UltraWide
        } else if aspect >= 1.0 {
            Self::Landscape
        } else {
            Self::Portrait
        }
    }

    /// The short side the layout is designed at, in logical pixels: the screen is scaled so
    /// its short side has this many, keeping type sizes in the same proportion to the height.
    pub fn design_short_side(self) -> f32 {
        match self {
            Self::Strip => 270.0,
            _ => 1080.0,
        }
    }

    /// The smallest text allowed, in physical pixels of a screen whose short side is
    /// `short_side` pixels: an LED module's pixel is large, so this is the size at which
    /// a character is still legible from the back of a hall.
    pub fn min_text_px(self, short_side: f32) -> f32 {
        match self {
            // A strip is read while walking past: a quarter of its height at least for the
            // figures, and no line under 24 px.
            Self::Strip => (short_side / 270.0 * 24.0).max(20.0),
            _ => short_side / 1080.0 * 24.0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Strip => "strip",
            Self::Landscape => "landscape",
            Self::UltraWide => "ultra-wide",
            Self::Portrait => "portrait",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LayoutClass::{self, *};

    #[test]
    fn every_wall_of_the_brief_gets_its_class() {
        for (w, h, class) in [
            (1920, 270, Strip),
            (1536, 384, Strip),
            (1920, 1080, Landscape),
            (3840, 2160, Landscape),
            (1024, 768, Landscape),
            (3840, 1080, UltraWide),
            (7680, 2160, UltraWide),
            (2560, 1080, Landscape),
            (1080, 1920, Portrait),
            (1080, 1080, Landscape),
        ] {
            assert_eq!(LayoutClass::of(w, h), class, "{w}x{h}");
        }
    }

    #[test]
    fn a_strip_starts_at_4_to_1() {
        assert_eq!(LayoutClass::of(1599, 400), UltraWide);
        assert_eq!(LayoutClass::of(1600, 400), Strip);
        assert_eq!(LayoutClass::of(100, 0), Strip, "a zero height does not divide by zero");
    }

    #[test]
    fn minimum_text_grows_with_the_screen() {
        assert_eq!(Landscape.min_text_px(1080.0), 24.0);
        assert_eq!(UltraWide.min_text_px(2160.0), 48.0);
        assert_eq!(Strip.min_text_px(270.0), 24.0);
        assert!(Strip.min_text_px(384.0) > 24.0);
    }
}
