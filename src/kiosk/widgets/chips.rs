//! Chips: a wrapping row of buttons that choose a filter, the chosen one filled.

use bevy::prelude::*;

use super::{
    button::{ButtonStyle, button},
    text::Ui,
};

/// Spawns the wrapping row under `parent` and returns it, for the chips to go in.
pub fn spawn_chip_bar(commands: &mut Commands, parent: Entity) -> Entity {
    commands
        .spawn((ChildOf(parent), Node { column_gap: px(12), row_gap: px(12), flex_wrap: FlexWrap::Wrap, flex_shrink: 0.0, ..default() }))
        .id()
}

/// One chip; `chosen` fills it.
pub fn chip(text: impl Into<String>, chosen: bool, ui: &Ui) -> impl Bundle {
    button(text, ui, if chosen { ButtonStyle::Primary } else { ButtonStyle::Secondary })
}

/// The height `rows` rows of chips take, for the list under them.
pub fn chip_rows_height(rows: f32, ui: &Ui) -> f32 {
    rows * (ui.theme.tap_height() + 12.0)
}
