//! The news ticker: current notice titles running right to left along the bottom of a wall.

use bevy::prelude::*;

use super::{motion::{Axis, Reel, Scroll}, text_width};
use crate::kiosk::widgets::{Ui, label};

/// Logical pixels a second: about three characters, comfortable to read while walking.
const SPEED: f32 = 110.0;

/// Marks the ticker band, so it can be given new lines when the content changes.
#[derive(Component)]
pub struct TickerBand;

/// Spawns the ticker's moving text into `band` (a clipping row), replacing what it held.
pub fn fill_ticker(commands: &mut Commands, band: Entity, lines: &[String], text_px: f32, ui: &Ui) {
    commands.entity(band).despawn_related::<Children>();
    if lines.is_empty() {
        return;
    }
    let text = lines.join("　　◆　　");
    // Two copies side by side, each in a box as wide as the text and a gap, scroll by one box.
    let width = text_width(&text, text_px) + 6.0 * text_px;
    let reel = commands
        .spawn((ChildOf(band), Node { flex_shrink: 0.0, ..default() }, Reel, UiTransform::default(), Scroll::continuous(Axis::Width, SPEED, width)))
        .id();
    for _ in 0..2 {
        commands.spawn((
            ChildOf(reel),
            Node { width: px(width), flex_shrink: 0.0, ..default() },
            children![(label(text.as_str(), ui, text_px, ui.theme.colors.text, false), TextLayout::no_wrap())],
        ));
    }
}
