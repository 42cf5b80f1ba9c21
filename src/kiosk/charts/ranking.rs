//! A table that shows the rows that fit and, when there are more, moves up one row at a time
//! and starts again from the top.

use bevy::prelude::*;

use super::{motion::{Axis, Reel, Scroll}, text_width};
use crate::kiosk::widgets::{Ui, fit, label};

/// Seconds each row rests before the table moves on.
const PAUSE_S: f32 = 2.5;

pub fn ranking(commands: &mut Commands, parent: Entity, columns: &[String], rows: &[Vec<String>], size: Vec2, ui: &Ui) -> Entity {
    let theme = &ui.theme;
    let colors = &theme.colors;
    let text_px = theme.caption();
    let row_h = (text_px * 1.8).round();
    // Each column as wide as its widest cell, the rest given to the widest column.
    let mut widths: Vec<f32> = columns
        .iter()
        .enumerate()
        .map(|(c, name)| rows.iter().filter_map(|r| r.get(c)).map(|cell| text_width(cell, text_px)).fold(text_width(name, text_px), f32::max))
        .collect();
    let gap = 16.0;
    let room = size.x - gap * (columns.len().saturating_sub(1)) as f32;
    let used: f32 = widths.iter().sum();
    if let Some(widest) = widths.iter().cloned().enumerate().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(i, _)| i) {
        widths[widest] = (widths[widest] + room - used).max(text_px * 2.0);
    }
    let table = commands.spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, width: px(size.x), ..default() })).id();
    let spawn_row = |commands: &mut Commands, parent: Entity, cells: &[String], header: bool| {
        let row = commands
            .spawn((ChildOf(parent), Node { height: px(row_h), flex_shrink: 0.0, align_items: AlignItems::Center, column_gap: px(gap), ..default() }))
            .id();
        for (cell, width) in cells.iter().zip(&widths) {
            let color = if header { colors.text_muted } else { colors.text };
            commands.spawn((
                ChildOf(row),
                Node { width: px(*width), flex_shrink: 0.0, ..default() },
                children![label(fit(cell, width / text_px), ui, text_px, color, header)],
            ));
        }
    };
    spawn_row(commands, table, columns, true);
    if rows.is_empty() {
        commands.spawn((ChildOf(table), label("无", ui, text_px, colors.text_muted, false)));
        return table;
    }
    let visible = (((size.y - row_h) / row_h).floor() as usize).clamp(1, rows.len());
    let window = commands
        .spawn((ChildOf(table), Node { height: px(visible as f32 * row_h), overflow: Overflow::clip(), flex_direction: FlexDirection::Column, ..default() }))
        .id();
    let reel = commands.spawn((ChildOf(window), Node { flex_direction: FlexDirection::Column, flex_shrink: 0.0, ..default() }, Reel)).id();
    for row in rows {
        spawn_row(commands, reel, row, false);
    }
    if rows.len() > visible {
        // The first rows again after the last, so the wrap back to the top is seamless.
        for row in &rows[..visible] {
            spawn_row(commands, reel, row, false);
        }
        let period = rows.len() as f32 * row_h;
        commands.entity(reel).insert((UiTransform::default(), Scroll::stepped(Axis::Height, row_h * 2.0, period, row_h, PAUSE_S)));
    }
    table
}
