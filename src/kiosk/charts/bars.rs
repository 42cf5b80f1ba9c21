//! Bar charts: horizontal (long category names), vertical (a few years), and stacked (several
//! series per category). Bars grow from zero when the page appears.

use bevy::prelude::*;

use super::{legend, motion::{Axis, Grow}, text_width};
use gongkai_core::{dashboards::{Group, Slice}, number_format};
use crate::kiosk::widgets::{Ui, fit, label};

pub fn horizontal_bars(commands: &mut Commands, parent: Entity, bars: &[Slice], size: Vec2, ui: &Ui) -> Entity {
    let theme = &ui.theme;
    let text_px = theme.caption();
    let row_h = (text_px * 1.9).round();
    let shown = bars.len().min(((size.y + 8.0) / (row_h + 8.0)).floor() as usize);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let label_w = bars.iter().map(|b| text_width(&b.label, text_px)).fold(0.0, f32::max).min(size.x * 0.4);
    let value_w = bars.iter().map(|b| text_width(&b.text, text_px)).fold(0.0, f32::max);
    let column = commands
        .spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, row_gap: px(8), width: px(size.x), ..default() }))
        .id();
    for (i, bar) in bars.iter().take(shown).enumerate() {
        let row = commands
            .spawn((ChildOf(column), Node { height: px(row_h), align_items: AlignItems::Center, column_gap: px(12), ..default() }))
            .id();
        commands.spawn((
            ChildOf(row),
            Node { width: px(label_w), flex_shrink: 0.0, justify_content: JustifyContent::FlexEnd, ..default() },
            children![label(fit(&bar.label, label_w / text_px), ui, text_px, theme.colors.text, false)],
        ));
        let track = commands
            .spawn((ChildOf(row), Node { flex_grow: 1.0, height: px(row_h * 0.55), ..default() }, BackgroundColor(theme.colors.track)))
            .id();
        commands.spawn((
            ChildOf(track),
            Node { width: px(0), height: percent(100), ..default() },
            BackgroundColor(theme.series(i)),
            Grow::to(Axis::Width, share(bar.value, max)),
        ));
        commands.spawn((
            ChildOf(row),
            Node { width: px(value_w), flex_shrink: 0.0, ..default() },
            children![label(bar.text.as_str(), ui, text_px, theme.colors.text, true)],
        ));
    }
    column
}

pub fn vertical_bars(commands: &mut Commands, parent: Entity, bars: &[Slice], size: Vec2, ui: &Ui) -> Entity {
    let theme = &ui.theme;
    let text_px = theme.caption();
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let (plot, labels) = columns_frame(commands, parent, size, ui);
    let cell = size.x / bars.len().max(1) as f32;
    for bar in bars {
        let column = bar_column(commands, plot, cell);
        commands.spawn((ChildOf(column), label(fit(&bar.text, cell / text_px), ui, text_px, theme.colors.text, true)));
        let area = bar_area(commands, column);
        commands.spawn((
            ChildOf(area),
            Node { width: percent(60), height: px(0), ..default() },
            BackgroundColor(theme.series(0)),
            Grow::to(Axis::Height, share(bar.value, max)),
        ));
        category_label(commands, labels, &bar.label, cell, ui);
    }
    plot
}

pub fn stacked_bars(commands: &mut Commands, parent: Entity, series: &[String], groups: &[Group], size: Vec2, ui: &Ui) -> Entity {
    let theme = &ui.theme;
    let text_px = theme.caption();
    let totals: Vec<f64> = groups.iter().map(|g| g.values.iter().sum()).collect();
    let max = totals.iter().copied().fold(0.0, f64::max);
    let column = commands.spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, row_gap: px(8), ..default() })).id();
    let legend_h = legend(commands, column, series, size.x, ui);
    let (plot, labels) = columns_frame(commands, column, Vec2::new(size.x, size.y - legend_h - 8.0), ui);
    let cell = size.x / groups.len().max(1) as f32;
    for (group, total) in groups.iter().zip(&totals) {
        let bar = bar_column(commands, plot, cell);
        commands.spawn((ChildOf(bar), label(fit(&number_format::compact(*total as u64), cell / text_px), ui, text_px, theme.colors.text, true)));
        let area = bar_area(commands, bar);
        let stack = commands
            .spawn((
                ChildOf(area),
                Node { width: percent(60), height: px(0), flex_direction: FlexDirection::ColumnReverse, ..default() },
                Grow::to(Axis::Height, share(*total, max)),
            ))
            .id();
        for (s, value) in group.values.iter().enumerate() {
            commands.spawn((
                ChildOf(stack),
                Node { width: percent(100), height: percent(share(*value, *total)), flex_shrink: 0.0, ..default() },
                BackgroundColor(theme.series(s)),
            ));
        }
        category_label(commands, labels, &group.label, cell, ui);
    }
    column
}

/// `value` as a percentage of `max`; zero when there is nothing to compare with.
fn share(value: f64, max: f64) -> f32 {
    if max > 0.0 { (100.0 * value / max) as f32 } else { 0.0 }
}

/// A row of bar columns over a row of category labels (up to two lines), filling `size`.
fn columns_frame(commands: &mut Commands, parent: Entity, size: Vec2, ui: &Ui) -> (Entity, Entity) {
    let text_px = ui.theme.caption();
    let labels_h = (text_px * 2.5).round();
    let frame = commands
        .spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, width: px(size.x), height: px(size.y.max(labels_h + 40.0)), ..default() }))
        .id();
    let plot = commands
        .spawn((
            ChildOf(frame),
            Node { flex_grow: 1.0, min_height: px(0), align_items: AlignItems::Stretch, border: UiRect::bottom(px(2)), ..default() },
            BorderColor::all(ui.theme.colors.text_muted),
        ))
        .id();
    let labels = commands.spawn((ChildOf(frame), Node { height: px(labels_h), flex_shrink: 0.0, ..default() })).id();
    (plot, labels)
}

fn bar_column(commands: &mut Commands, plot: Entity, cell: f32) -> Entity {
    commands
        .spawn((ChildOf(plot), Node { width: px(cell), flex_direction: FlexDirection::Column, align_items: AlignItems::Center, ..default() }))
        .id()
}

/// The part of a bar column the bar grows in, under its value.
fn bar_area(commands: &mut Commands, column: Entity) -> Entity {
    commands
        .spawn((
            ChildOf(column),
            Node {
                flex_grow: 1.0,
                min_height: px(0),
                width: percent(100),
                flex_direction: FlexDirection::Column,
                justify_content: JustifyContent::FlexEnd,
                align_items: AlignItems::Center,
                ..default()
            },
        ))
        .id()
}

fn category_label(commands: &mut Commands, labels: Entity, text: &str, cell: f32, ui: &Ui) {
    let text_px = ui.theme.caption();
    commands.spawn((
        ChildOf(labels),
        Node { width: px(cell), justify_content: JustifyContent::Center, padding: UiRect::top(px(4)), overflow: Overflow::clip(), ..default() },
        children![label(fit(text, cell / text_px), ui, text_px, ui.theme.colors.text, false)],
    ));
}
