//! Chips: a wrapping row of buttons that choose a filter, the chosen one filled.

use bevy::prelude::*;

use super::{
    button::{ButtonStyle, button},
    text::{Ui, text_width_em},
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

/// How many rows chips with these labels wrap into across the page (a chip is its text, in
/// bold ems, plus the button's padding and the gap).
pub fn chip_rows<'a>(labels: impl IntoIterator<Item = &'a str>, ui: &Ui) -> f32 {
    let theme = &ui.theme;
    let room = theme.content_width();
    let mut rows = 1.0;
    let mut used = 0.0;
    for label in labels {
        let width = text_width_em(label) * theme.body() + 60.0 + 12.0;
        if used > 0.0 && used + width > room {
            rows += 1.0;
            used = 0.0;
        }
        used += width;
    }
    rows
}
