//! A headline figure: its digits roll into place, its unit beside, its name beneath.

use bevy::{prelude::*, text::LineHeight};

use super::motion::{Reel, RollingDigit};
use gongkai_core::dashboards::Kpi;
use crate::kiosk::widgets::{Ui, label};

/// Every digit's column, laid out once and moved by its transform.
const DIGIT_COLUMN: &str = "0\n1\n2\n3\n4\n5\n6\n7\n8\n9";

/// A counter with value type of `figure_px` and its name in `caption_px`.
pub fn kpi_counter(commands: &mut Commands, parent: Entity, kpi: &Kpi, figure_px: f32, caption_px: f32, ui: &Ui) -> Entity {
    let colors = &ui.theme.colors;
    let tile = commands
        .spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, align_items: AlignItems::Center, row_gap: px(4), ..default() }))
        .id();
    let line = (figure_px * 1.2).round();
    // Bottoms aligned, not baselines: a digit window's baseline is its column's last line.
    let figure = commands
        .spawn((ChildOf(tile), Node { align_items: AlignItems::FlexEnd, height: px(line), ..default() }))
        .id();
    for c in kpi.value.chars() {
        match c.to_digit(10) {
            Some(digit) => {
                let window = commands
                    .spawn((ChildOf(figure), Node { height: px(line), overflow: Overflow::clip(), align_items: AlignItems::FlexStart, ..default() }))
                    .id();
                commands.spawn((
                    ChildOf(window),
                    label(DIGIT_COLUMN, ui, figure_px, colors.accent_text, true),
                    LineHeight::Px(line),
                    Reel,
                    UiTransform::default(),
                    RollingDigit { target: digit as u8, line, progress: 0.0 },
                ));
            }
            None => {
                commands.spawn((ChildOf(figure), label(c.to_string(), ui, figure_px, colors.accent_text, true), LineHeight::Px(line)));
            }
        }
    }
    commands.spawn((
        ChildOf(figure),
        Node { padding: UiRect::bottom(px((line - figure_px) / 2.0)), ..default() },
        children![label(format!(" {}", kpi.unit), ui, caption_px, colors.text_muted, false)],
    ));
    commands.spawn((ChildOf(tile), label(kpi.label.as_str(), ui, caption_px, colors.text, false)));
    tile
}
