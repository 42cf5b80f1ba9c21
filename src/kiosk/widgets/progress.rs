//! A horizontal progress bar with its percentage.

use bevy::prelude::*;

use super::text::{Ui, label};
use gongkai_core::number_format;

pub fn progress_bar(percent_done: f32, ui: &Ui) -> impl Bundle {
    let done = percent_done.clamp(0.0, 100.0);
    let colors = &ui.theme.colors;
    (
        Node { align_items: AlignItems::Center, column_gap: px(16), width: percent(100), ..default() },
        children![
            (
                Node {
                    flex_grow: 1.0,
                    height: px(18),
                    border_radius: BorderRadius::all(px(9)),
                    ..default()
                },
                BackgroundColor(colors.track),
                children![(
                    Node { width: percent(done), height: percent(100), border_radius: BorderRadius::all(px(9)), ..default() },
                    BackgroundColor(colors.progress),
                )],
            ),
            label(number_format::percent(f64::from(done) / 100.0, 0), ui, ui.theme.body(), colors.text, true),
        ],
    )
}
