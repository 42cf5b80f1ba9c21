//! Colours, type sizes and fonts of the touch kiosk, in one place.
//! Sizes are for a 1920×1080 screen; `UiScale` adapts them to the actual window.

use bevy::{prelude::*, window::WindowResized};

use crate::content::font_coverage::{BOLD_FONT_ASSET, FONT_ASSET};

pub fn plugin(app: &mut App) {
    app.init_resource::<UiFonts>()
        .insert_resource(ClearColor(palette::BACKGROUND))
        .add_systems(Update, scale_to_window.run_if(on_message::<WindowResized>));
}

/// Text/background pairs keep at least 4.5:1 contrast (WCAG AA for body text).
pub mod palette {
    use bevy::color::Color;

    pub const BACKGROUND: Color = Color::srgb(0.957, 0.965, 0.976);
    pub const SURFACE: Color = Color::WHITE;
    /// Header band: white text on it is 8:1.
    pub const PRIMARY: Color = Color::srgb(0.659, 0.086, 0.106);
    pub const ON_PRIMARY: Color = Color::WHITE;
    pub const TEXT: Color = Color::srgb(0.102, 0.141, 0.200);
    pub const TEXT_MUTED: Color = Color::srgb(0.290, 0.333, 0.408);
    pub const DEMO_BADGE: Color = Color::srgb(1.0, 0.953, 0.839);
    pub const ON_DEMO_BADGE: Color = Color::srgb(0.478, 0.294, 0.0);
}

/// Type sizes in pixels at 1080p.
pub mod size {
    pub const TITLE: f32 = 48.0;
    pub const HEADING: f32 = 40.0;
    pub const BODY: f32 = 28.0;
    pub const CAPTION: f32 = 24.0;
    pub const GAP: f32 = 24.0;
    pub const RADIUS: f32 = 16.0;
    /// The design height the sizes above are for.
    pub const DESIGN_HEIGHT: f32 = 1080.0;
    pub const DESIGN_WIDTH: f32 = 1920.0;
}

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

fn scale_to_window(windows: Query<&Window>, mut ui_scale: ResMut<UiScale>) {
    if let Some(window) = windows.iter().next() {
        let scale = (window.width() / size::DESIGN_WIDTH).min(window.height() / size::DESIGN_HEIGHT);
        let scale = scale.max(0.25);
        if ui_scale.0 != scale {
            ui_scale.0 = scale;
        }
    }
}
