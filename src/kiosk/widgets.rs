//! Reusable pieces of kiosk UI, as bundles.

use bevy::prelude::*;

use super::theme::{UiFonts, palette, size};

/// Text in the kiosk font.
pub fn text(value: impl Into<String>, font: &Handle<Font>, px: f32, color: Color) -> impl Bundle {
    (
        Text::new(value),
        TextFont { font: font.clone().into(), font_size: FontSize::Px(px), ..default() },
        TextColor(color),
    )
}

/// A large section tile: title and a one-line summary.
pub fn tile(title: &str, summary: String, fonts: &UiFonts) -> impl Bundle {
    (
        Node {
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::Center,
            padding: UiRect::all(px(size::GAP)),
            row_gap: px(8),
            border_radius: BorderRadius::all(px(size::RADIUS)),
            min_height: px(160),
            ..default()
        },
        BackgroundColor(palette::SURFACE),
        children![
            text(title, &fonts.bold, size::HEADING, palette::PRIMARY),
            text(summary, &fonts.regular, size::BODY, palette::TEXT_MUTED),
        ],
    )
}

/// The 示例数据 badge shown on every screen of demo content.
pub fn demo_badge(label: &str, fonts: &UiFonts) -> impl Bundle {
    (
        Node {
            padding: UiRect::axes(px(16), px(6)),
            border_radius: BorderRadius::all(px(8)),
            ..default()
        },
        BackgroundColor(palette::DEMO_BADGE),
        children![text(label, &fonts.bold, size::CAPTION, palette::ON_DEMO_BADGE)],
    )
}
