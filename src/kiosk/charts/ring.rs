//! A progress ring: the share swept round from the top, the percentage in the middle.

use bevy::prelude::*;

use super::{motion::Sweep, size_to_fit};
use gongkai_core::number_format;
use crate::kiosk::widgets::{Ui, label};

pub fn progress_ring(commands: &mut Commands, parent: Entity, ratio: f64, caption: &str, size: Vec2, ui: &Ui) -> Entity {
    let theme = &ui.theme;
    let colors = &theme.colors;
    let caption_room = theme.caption() * 1.6;
    let diameter = (size.y - caption_room).min(size.x).max(80.0);
    let column = commands
        .spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, align_items: AlignItems::Center, row_gap: px(8), width: px(size.x), ..default() }))
        .id();
    let sweep = Sweep::new(vec![(colors.progress, ratio.clamp(0.0, 1.0) as f32)], colors.track);
    let ring = commands
        .spawn((
            ChildOf(column),
            Node {
                width: px(diameter),
                height: px(diameter),
                border_radius: BorderRadius::all(percent(50)),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                flex_shrink: 0.0,
                ..default()
            },
            sweep.gradient(0.0),
            sweep,
        ))
        .id();
    let hole = diameter * 0.74;
    let figure = number_format::percent(ratio, 1);
    let figure_px = size_to_fit(&figure, hole * 0.9, &[theme.figure(), theme.heading(), theme.body(), theme.caption()]);
    let centre = commands
        .spawn((
            ChildOf(ring),
            Node {
                width: px(hole),
                height: px(hole),
                border_radius: BorderRadius::all(percent(50)),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..default()
            },
            BackgroundColor(colors.surface),
        ))
        .id();
    // A ring too small for its figure in readable type shows it in the caption instead.
    let caption = match figure_px {
        Some(px) => {
            commands.spawn((ChildOf(centre), label(figure, ui, px, colors.text, true)));
            caption.to_string()
        }
        None => format!("{figure} {caption}"),
    };
    commands.spawn((ChildOf(column), label(crate::kiosk::widgets::fit(&caption, size.x / theme.caption()), ui, theme.caption(), colors.text_muted, false)));
    column
}
