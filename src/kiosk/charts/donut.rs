//! A donut of shares with the total in its hole and a legend of names, counts and shares.

use bevy::prelude::*;

use super::{motion::Sweep, size_to_fit, swatch, text_width};
use gongkai_core::{dashboards::Slice, number_format};
use crate::kiosk::widgets::{Ui, fit, label};

pub fn donut(commands: &mut Commands, parent: Entity, slices: &[Slice], centre: &str, size: Vec2, ui: &Ui) -> Entity {
    let theme = &ui.theme;
    let colors = &theme.colors;
    let text_px = theme.caption();
    let total: f64 = slices.iter().map(|s| s.value).sum();
    let value_w = slices.iter().map(|s| text_width(&s.text, text_px)).fold(0.0, f32::max);
    let share_w = text_width("100%", text_px);
    // The legend keeps room for four characters of each name; the donut takes the rest.
    let legend_min = 5.0 * text_px + value_w + share_w + text_px * 0.7 + 3.0 * 8.0;
    let diameter = size.y.min(size.x * 0.45).min(size.x - legend_min - 24.0).max(80.0);
    let row = commands
        .spawn((ChildOf(parent), Node { width: px(size.x), height: px(size.y), align_items: AlignItems::Center, column_gap: px(24), ..default() }))
        .id();
    let mut end = 0.0;
    let segments = slices
        .iter()
        .enumerate()
        .map(|(i, s)| {
            end += if total > 0.0 { (s.value / total) as f32 } else { 0.0 };
            (theme.series(i), end)
        })
        .collect();
    let sweep = Sweep::new(segments, colors.track);
    let ring = commands
        .spawn((
            ChildOf(row),
            Node {
                width: px(diameter),
                height: px(diameter),
                flex_shrink: 0.0,
                border_radius: BorderRadius::all(percent(50)),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..default()
            },
            sweep.gradient(0.0),
            sweep,
        ))
        .id();
    let hole = diameter * 0.58;
    let middle = commands
        .spawn((
            ChildOf(ring),
            Node { width: px(hole), height: px(hole), border_radius: BorderRadius::all(percent(50)), justify_content: JustifyContent::Center, align_items: AlignItems::Center, ..default() },
            BackgroundColor(colors.surface),
        ))
        .id();
    // The total only where it fits in readable type; the legend has every count anyway.
    if let Some(centre_px) = size_to_fit(centre, hole * 0.9, &[theme.heading(), theme.body(), theme.caption()]) {
        commands.spawn((ChildOf(middle), label(centre, ui, centre_px, colors.text, true)));
    }
    let legend_w = size.x - diameter - 24.0;
    let row_h = text_px * 1.5;
    let shown = slices.len().min((size.y / row_h).floor() as usize);
    let legend = commands.spawn((ChildOf(row), Node { flex_direction: FlexDirection::Column, width: px(legend_w), row_gap: px(text_px * 0.25), ..default() })).id();
    for (i, slice) in slices.iter().take(shown).enumerate() {
        let line = commands.spawn((ChildOf(legend), Node { align_items: AlignItems::Center, column_gap: px(8), ..default() })).id();
        commands.spawn((ChildOf(line), swatch(theme.series(i), text_px * 0.7)));
        let name_w = (legend_w - value_w - share_w - text_px * 0.7 - 3.0 * 8.0).max(text_px);
        commands.spawn((
            ChildOf(line),
            Node { width: px(name_w), flex_shrink: 0.0, ..default() },
            children![label(fit(&slice.label, name_w / text_px), ui, text_px, colors.text, false)],
        ));
        commands.spawn((ChildOf(line), Node { width: px(value_w), flex_shrink: 0.0, ..default() }, children![label(slice.text.as_str(), ui, text_px, colors.text, true)]));
        let share = if total > 0.0 { number_format::percent(slice.value / total, 0) } else { "—".into() };
        commands.spawn((ChildOf(line), Node { width: px(share_w), flex_shrink: 0.0, ..default() }, children![label(share, ui, text_px, colors.text_muted, false)]));
    }
    row
}
