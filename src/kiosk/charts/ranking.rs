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
    let natural: Vec<f32> = columns
        .iter()
        .enumerate()
        .map(|(c, name)| rows.iter().filter_map(|r| r.get(c)).map(|cell| text_width(cell, text_px)).fold(text_width(name, text_px), f32::max))
        .collect();
    let gap = 16.0;
    let widths = column_widths(natural, size.x, gap, text_px);
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

/// Widths for columns whose widest cells are `natural` wide, within `width`: what is left
/// goes to the widest column; when short, the long columns give up the same share (their
/// cells are cut), and when even that leaves a long column under three characters the last
/// columns are left off.
fn column_widths(mut natural: Vec<f32>, width: f32, gap: f32, text_px: f32) -> Vec<f32> {
    let short = 4.0 * text_px;
    loop {
        let room = width - gap * natural.len().saturating_sub(1) as f32;
        let used: f32 = natural.iter().sum();
        if used <= room {
            if let Some(widest) = natural.iter().cloned().enumerate().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(i, _)| i) {
                natural[widest] += room - used;
            }
            return natural;
        }
        let fixed: f32 = natural.iter().filter(|w| **w <= short).sum();
        let long = natural.iter().filter(|w| **w > short).count() as f32;
        if fixed + long * 3.0 * text_px <= room || natural.len() <= 2 {
            let factor = ((room - fixed) / (used - fixed)).max(0.0);
            for w in natural.iter_mut().filter(|w| **w > short) {
                *w *= factor;
            }
            return natural;
        }
        natural.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::column_widths;

    #[test]
    fn columns_share_what_there_is_and_the_last_ones_go_when_too_narrow() {
        assert_eq!(column_widths(vec![50.0, 200.0, 100.0], 400.0, 10.0, 24.0), [50.0, 230.0, 100.0]);
        let squeezed = column_widths(vec![48.0, 500.0, 300.0], 600.0, 10.0, 24.0);
        assert_eq!(squeezed.len(), 3);
        assert!((squeezed.iter().sum::<f32>() - 580.0).abs() < 0.01 && squeezed[0] == 48.0);
        assert_eq!(column_widths(vec![48.0, 500.0, 300.0, 300.0], 200.0, 10.0, 24.0).len(), 2);
    }
}
