//! A line chart with a value axis (round ticks, grid lines) and labelled points: one line per
//! series, drawn as rotated thin nodes between the points, with a legend above.

use bevy::prelude::*;

use super::{legend, text_width};
use gongkai_core::{dashboards::{Series, axis_ticks}, number_format};
use crate::kiosk::widgets::{Ui, label};

/// Line thickness and point size, logical pixels.
const STROKE: f32 = 4.0;
const DOT: f32 = 12.0;

pub fn line_chart(commands: &mut Commands, parent: Entity, x_labels: &[String], series: &[Series], size: Vec2, ui: &Ui) -> Entity {
    let theme = &ui.theme;
    let text_px = theme.caption();
    let line_h = (text_px * 1.25).round();
    let column = commands.spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, row_gap: px(8), width: px(size.x), ..default() })).id();
    let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
    let legend_h = legend(commands, column, &names, size.x, ui);

    let max = series.iter().flat_map(|s| &s.values).copied().fold(0.0, f64::max);
    let ticks = axis_ticks(max);
    let top = ticks.last().copied().unwrap_or(1.0);
    let axis_w = ticks.iter().map(|t| text_width(&number_format::compact(*t as u64), text_px)).fold(0.0, f32::max) + 8.0;
    let body_h = (size.y - legend_h - 8.0 - line_h - 8.0).max(2.0 * line_h);
    // Inside the body the plot keeps half a line above and below for the axis labels.
    let plot = Vec2::new(size.x - axis_w, body_h - line_h);
    let inset = DOT;
    let y_of = |value: f64| line_h / 2.0 + inset + (plot.y - 2.0 * inset) * (1.0 - (value / top) as f32);
    let x_of = |i: usize| (i as f32 + 0.5) * plot.x / x_labels.len().max(1) as f32;

    let body = commands.spawn((ChildOf(column), Node { width: px(size.x), height: px(body_h), ..default() })).id();
    // Labels on as many ticks as have room for them; grid lines on all.
    let tick_spacing = (plot.y - 2.0 * inset) / (ticks.len() - 1).max(1) as f32;
    let label_every = (line_h * 1.1 / tick_spacing).ceil().max(1.0) as usize;
    for (i, tick) in ticks.iter().enumerate() {
        let y = y_of(*tick);
        if i % label_every == 0 {
            commands.spawn((
            ChildOf(body),
            Node { position_type: PositionType::Absolute, left: px(0), top: px(y - line_h / 2.0), width: px(axis_w - 8.0), height: px(line_h), justify_content: JustifyContent::FlexEnd, ..default() },
            children![label(number_format::compact(*tick as u64), ui, text_px, theme.colors.text_muted, false)],
            ));
        }
        commands.spawn((
            ChildOf(body),
            Node { position_type: PositionType::Absolute, left: px(axis_w), top: px(y - 0.5), width: px(plot.x), height: px(1), ..default() },
            BackgroundColor(theme.colors.track),
        ));
    }
    for (s, line) in series.iter().enumerate() {
        let color = theme.series(s);
        let points: Vec<Vec2> = line.values.iter().enumerate().map(|(i, v)| Vec2::new(axis_w + x_of(i), y_of(*v))).collect();
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let length = a.distance(b);
            let middle = (a + b) / 2.0;
            commands.spawn((
                ChildOf(body),
                centred_at(middle, Vec2::new(length, STROKE)),
                UiTransform::from_rotation(Rot2::radians((b.y - a.y).atan2(b.x - a.x))),
                BackgroundColor(color),
            ));
        }
        for point in points {
            commands.spawn((
                ChildOf(body),
                Node { border_radius: BorderRadius::all(percent(50)), ..centred_at(point, Vec2::splat(DOT)) },
                BackgroundColor(color),
            ));
        }
    }
    // Every label that fits: with many points only every second or third is written.
    let widest = x_labels.iter().map(|l| text_width(l, text_px)).fold(0.0, f32::max);
    let spacing = plot.x / x_labels.len().max(1) as f32;
    let every = (widest / spacing).ceil().max(1.0) as usize;
    let labels = commands.spawn((ChildOf(column), Node { width: px(size.x), height: px(line_h), ..default() })).id();
    for (i, text) in x_labels.iter().enumerate().filter(|(i, _)| (x_labels.len() - 1 - i) % every == 0) {
        let left = (axis_w + x_of(i) - widest / 2.0).clamp(0.0, size.x - widest);
        commands.spawn((
            ChildOf(labels),
            Node { position_type: PositionType::Absolute, left: px(left), width: px(widest), justify_content: JustifyContent::Center, ..default() },
            children![label(text.as_str(), ui, text_px, theme.colors.text, false)],
        ));
    }
    column
}

/// A node of `size` placed with its centre at `centre` in its parent.
fn centred_at(centre: Vec2, size: Vec2) -> Node {
    Node {
        position_type: PositionType::Absolute,
        left: px(centre.x - size.x / 2.0),
        top: px(centre.y - size.y / 2.0),
        width: px(size.x),
        height: px(size.y),
        ..default()
    }
}
