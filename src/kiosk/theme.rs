//! Colours, type sizes and fonts of the kiosk, in one place, for both the normal and the
//! 关怀模式 (larger text, stronger contrast) look.
//!
//! Sizes are logical pixels at 1080p: `UiScale` is the short side of the window over 1080 (over
//! 270 for a strip), so body text is 28 px on a 1080-pixel-high landscape screen and on a
//! 1080-pixel-wide portrait one alike. Layouts read `Theme::portrait` and `Theme::class` to
//! change shape instead of shrinking.

use bevy::{prelude::*, window::WindowResized};

use gongkai_core::{content::font_coverage::{BOLD_FONT_ASSET, FONT_ASSET}, wall::LayoutClass};

pub fn plugin(app: &mut App) {
    app.init_resource::<UiFonts>()
        .insert_resource(Theme::default())
        .insert_resource(ClearColor(Palette::NORMAL.background))
        .add_systems(PreUpdate, fit_to_window.run_if(on_message::<WindowResized>))
        .add_systems(Startup, fit_to_window);
}

/// 关怀模式 text is this much larger.
pub const CARE_TEXT_FACTOR: f32 = 1.43;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub background: Color,
    pub surface: Color,
    /// Header band and primary buttons; `on_primary` text on it.
    pub primary: Color,
    pub on_primary: Color,
    pub text: Color,
    pub text_muted: Color,
    /// Text on `surface` in the primary hue (links, secondary buttons).
    pub accent_text: Color,
    pub badge: Color,
    pub on_badge: Color,
    pub track: Color,
    pub progress: Color,
    pub warning_text: Color,
    pub overlay: Color,
    /// 紧急通知: a kiosk's band (set apart from the red header) and a wall's takeover.
    pub urgent: Color,
    pub on_urgent: Color,
}

impl Palette {
    /// Every text/background pair at least 4.5:1.
    pub const NORMAL: Palette = Palette {
        background: Color::srgb(0.957, 0.965, 0.976),
        surface: Color::WHITE,
        primary: Color::srgb(0.659, 0.086, 0.106),
        on_primary: Color::WHITE,
        text: Color::srgb(0.102, 0.141, 0.200),
        text_muted: Color::srgb(0.290, 0.333, 0.408),
        accent_text: Color::srgb(0.604, 0.071, 0.090),
        badge: Color::srgb(1.0, 0.953, 0.839),
        on_badge: Color::srgb(0.478, 0.294, 0.0),
        track: Color::srgb(0.863, 0.878, 0.902),
        progress: Color::srgb(0.114, 0.435, 0.290),
        warning_text: Color::srgb(0.620, 0.180, 0.0),
        overlay: Color::srgba(0.05, 0.07, 0.10, 0.88),
        urgent: Color::srgb(1.0, 0.835, 0.310),
        on_urgent: Color::srgb(0.160, 0.080, 0.0),
    };

    /// The LED wall: light text on deep blue, every text/background pair at least 4.5:1.
    pub const WALL: Palette = Palette {
        background: Color::srgb(0.027, 0.071, 0.149),
        surface: Color::srgb(0.055, 0.122, 0.239),
        primary: Color::srgb(0.043, 0.102, 0.204),
        on_primary: Color::srgb(0.937, 0.957, 0.988),
        text: Color::srgb(0.937, 0.957, 0.988),
        text_muted: Color::srgb(0.690, 0.757, 0.855),
        accent_text: Color::srgb(1.0, 0.804, 0.341),
        badge: Color::srgb(0.722, 0.075, 0.094),
        on_badge: Color::WHITE,
        track: Color::srgb(0.133, 0.216, 0.361),
        progress: Color::srgb(0.188, 0.812, 0.659),
        warning_text: Color::srgb(1.0, 0.600, 0.451),
        overlay: Color::srgba(0.02, 0.04, 0.09, 0.92),
        urgent: Color::srgb(0.627, 0.063, 0.078),
        on_urgent: Color::WHITE,
    };

    /// Every text/background pair at least 7:1 (WCAG AAA).
    pub const CARE: Palette = Palette {
        background: Color::srgb(0.898, 0.910, 0.925),
        surface: Color::WHITE,
        primary: Color::srgb(0.471, 0.027, 0.043),
        on_primary: Color::WHITE,
        text: Color::BLACK,
        text_muted: Color::srgb(0.176, 0.192, 0.220),
        accent_text: Color::srgb(0.471, 0.027, 0.043),
        badge: Color::srgb(1.0, 0.953, 0.839),
        on_badge: Color::srgb(0.329, 0.196, 0.0),
        track: Color::srgb(0.780, 0.800, 0.830),
        progress: Color::srgb(0.059, 0.310, 0.196),
        warning_text: Color::srgb(0.439, 0.118, 0.0),
        overlay: Color::srgba(0.0, 0.0, 0.0, 0.92),
        urgent: Color::srgb(1.0, 0.835, 0.310),
        on_urgent: Color::BLACK,
    };
}

/// Sizes and colours for the current look and window shape.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct Theme {
    pub care: bool,
    pub portrait: bool,
    /// The window's shape; walls lay out by it.
    pub class: LayoutClass,
    /// The window in logical pixels (after `UiScale`).
    pub width: f32,
    pub height: f32,
    pub colors: Palette,
}

impl Default for Theme {
    fn default() -> Self {
        Self { care: false, portrait: false, class: LayoutClass::Landscape, width: 1920.0, height: 1080.0, colors: Palette::NORMAL }
    }
}

impl Theme {
    fn text(&self, base: f32) -> f32 {
        if self.care { (base * CARE_TEXT_FACTOR).round() } else { base }
    }
    pub fn title(&self) -> f32 {
        self.text(44.0)
    }
    pub fn heading(&self) -> f32 {
        self.text(36.0)
    }
    pub fn body(&self) -> f32 {
        self.text(28.0)
    }
    pub fn caption(&self) -> f32 {
        self.text(24.0)
    }
    /// Headline figures on dashboards and walls.
    pub fn figure(&self) -> f32 {
        self.text(60.0)
    }
    /// The colour of a chart's `index`th series or category, distinct on light and dark.
    pub fn series(&self, index: usize) -> Color {
        SERIES[index % SERIES.len()]
    }
    /// Height of buttons and list rows: at least 64 px at 1080p for a fingertip.
    pub fn tap_height(&self) -> f32 {
        (self.body() * 2.6).max(72.0)
    }
    pub fn gap(&self) -> f32 {
        24.0
    }
    pub fn margin(&self) -> f32 {
        if self.portrait { 32.0 } else { 48.0 }
    }
    pub fn radius(&self) -> f32 {
        14.0
    }
    /// Characters of body text that fit across `width` logical pixels.
    pub fn chars_across(&self, width: f32, font_px: f32) -> usize {
        (width / font_px).floor().max(1.0) as usize
    }
    /// The content width inside the page margins.
    pub fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin()
    }

    pub fn with_care(&self, care: bool) -> Self {
        let colors = if care { Palette::CARE } else { Palette::NORMAL };
        Self { care, colors, ..self.clone() }
    }
}

const SERIES: [Color; 6] = [
    Color::srgb(0.145, 0.525, 0.878),
    Color::srgb(0.937, 0.631, 0.082),
    Color::srgb(0.086, 0.671, 0.573),
    Color::srgb(0.886, 0.290, 0.290),
    Color::srgb(0.576, 0.427, 0.867),
    Color::srgb(0.467, 0.737, 0.239),
];

/// The CJK font (all text uses it: Bevy has no fallback chain and it covers Latin too).
#[derive(Resource, Clone)]
pub struct UiFonts {
    pub regular: Handle<Font>,
    pub bold: Handle<Font>,
}

impl FromWorld for UiFonts {
    fn from_world(world: &mut World) -> Self {
        let assets = world.resource::<AssetServer>();
        Self { regular: assets.load(FONT_ASSET), bold: assets.load(BOLD_FONT_ASSET) }
    }
}

fn fit_to_window(windows: Query<&Window>, mut ui_scale: ResMut<UiScale>, mut theme: ResMut<Theme>) {
    let Some(window) = windows.iter().next() else { return };
    let (width, height) = (window.width(), window.height());
    let class = LayoutClass::of(width as u32, height as u32);
    let scale = (width.min(height) / class.design_short_side()).max(0.25);
    if ui_scale.0 != scale {
        ui_scale.0 = scale;
    }
    let (width, height) = (width / scale, height / scale);
    let portrait = height > width;
    if (theme.width, theme.height, theme.portrait, theme.class) != (width, height, portrait, class) {
        theme.width = width;
        theme.height = height;
        theme.portrait = portrait;
        theme.class = class;
    }
}
