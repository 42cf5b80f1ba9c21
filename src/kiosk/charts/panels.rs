//! A whole dashboard in a given area, arranged for the screen's shape: a strip gets its
//! headline figures only; landscape a row of figures over a grid of panels; ultra-wide the
//! figures in a column beside every panel in one row; portrait the figures two by two over
//! the panels stacked.

use bevy::prelude::*;

use super::{kpi_counter, qr_card_height, qr_cards_fitting, spawn_chart};
use gongkai_core::{dashboards::{Chart, Dashboard, Panel}, wall::LayoutClass};
use crate::kiosk::widgets::{QR_CARD_WIDTH, QrMaker, Ui, fit, label};

const GAP: f32 = 24.0;
const PADDING: f32 = 20.0;

/// Fills `parent` (a node of `area` logical pixels) with `dashboard`.
pub fn spawn_dashboard(
    commands: &mut Commands,
    parent: Entity,
    dashboard: &Dashboard,
    area: Vec2,
    class: LayoutClass,
    ui: &Ui,
    qr: &mut QrMaker,
) {
    let theme = &ui.theme;
    let kpi_h = (theme.figure() * 1.2 + theme.caption() * 1.3 + 4.0).ceil();
    let kpi_w = 300.0;
    match class {
        LayoutClass::Strip => {
            let fits = ((area.x + GAP) / (kpi_w + GAP)).floor().max(1.0) as usize;
            let row = commands.spawn((ChildOf(parent), Node { column_gap: px(GAP), align_items: AlignItems::Center, justify_content: JustifyContent::SpaceEvenly, width: px(area.x), height: px(area.y), ..default() })).id();
            for kpi in dashboard.kpis.iter().take(fits) {
                kpi_counter(commands, row, kpi, theme.figure(), theme.caption(), ui);
            }
        }
        LayoutClass::Landscape | LayoutClass::Portrait => {
            let portrait = class == LayoutClass::Portrait;
            let kpi_rows = if portrait { dashboard.kpis.len().div_ceil(2) } else { 1 }.min(dashboard.kpis.len());
            let kpis_h = kpi_rows as f32 * kpi_h + kpi_rows.saturating_sub(1) as f32 * GAP;
            let column = commands.spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, row_gap: px(GAP), width: px(area.x), height: px(area.y), ..default() })).id();
            if !dashboard.kpis.is_empty() {
                let row = commands
                    .spawn((ChildOf(column), Node { flex_wrap: FlexWrap::Wrap, row_gap: px(GAP), justify_content: JustifyContent::SpaceEvenly, width: px(area.x), height: px(kpis_h), flex_shrink: 0.0, ..default() }))
                    .id();
                for kpi in &dashboard.kpis {
                    let cell = commands.spawn((ChildOf(row), Node { width: percent(if portrait { 50.0 } else { 100.0 / dashboard.kpis.len() as f32 }), justify_content: JustifyContent::Center, ..default() })).id();
                    kpi_counter(commands, cell, kpi, theme.figure(), theme.caption(), ui);
                }
            }
            let used = if dashboard.kpis.is_empty() { 0.0 } else { kpis_h + GAP };
            let n = dashboard.panels.len();
            let columns = match (portrait, n) {
                (true, 0..=3) | (false, 1) => 1,
                (true, _) => 2,
                (false, 2..=3) => n,
                (false, _) => n.div_ceil(2),
            };
            panel_grid(commands, column, &dashboard.panels, Vec2::new(area.x, area.y - used), columns, ui, qr);
        }
        LayoutClass::UltraWide => {
            let row = commands.spawn((ChildOf(parent), Node { column_gap: px(GAP), width: px(area.x), height: px(area.y), ..default() })).id();
            let figures = commands
                .spawn((ChildOf(row), Node { flex_direction: FlexDirection::Column, justify_content: JustifyContent::SpaceEvenly, width: px(kpi_w + 60.0), flex_shrink: 0.0, ..default() }))
                .id();
            for kpi in &dashboard.kpis {
                kpi_counter(commands, figures, kpi, theme.figure(), theme.caption(), ui);
            }
            let rest = Vec2::new(area.x - kpi_w - 60.0 - GAP, area.y);
            panel_grid(commands, row, &dashboard.panels, rest, dashboard.panels.len().max(1), ui, qr);
        }
    }
}

/// Panels in rows of `columns`, sharing `area` evenly (a short last row gets wider panels).
/// Rows too low to read are not drawn: with less room (larger text) the first panels stay.
fn panel_grid(commands: &mut Commands, parent: Entity, panels: &[Panel], area: Vec2, columns: usize, ui: &Ui, qr: &mut QrMaker) {
    let theme = &ui.theme;
    let min_row_h = theme.body() * 9.0;
    let fitting_rows = (((area.y + GAP) / (min_row_h + GAP)).floor() as usize).max(1);
    let panels = &panels[..panels.len().min(fitting_rows * columns)];
    let heights = row_heights(panels, columns, area, min_row_h, ui);
    let grid = commands.spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, row_gap: px(GAP), width: px(area.x), height: px(area.y), ..default() })).id();
    for (chunk, row_h) in panels.chunks(columns).zip(heights) {
        let row = commands.spawn((ChildOf(grid), Node { column_gap: px(GAP), height: px(row_h), flex_shrink: 0.0, ..default() })).id();
        for (panel, panel_w) in chunk.iter().zip(row_widths(chunk, area.x)) {
            let frame = commands
                .spawn((
                    ChildOf(row),
                    Node {
                        width: px(panel_w),
                        height: px(row_h),
                        flex_direction: FlexDirection::Column,
                        padding: UiRect::all(px(PADDING)),
                        row_gap: px(12),
                        border_radius: BorderRadius::all(px(theme.radius())),
                        overflow: Overflow::clip(),
                        ..default()
                    },
                    BackgroundColor(theme.colors.surface),
                ))
                .id();
            let title_px = theme.body();
            commands.spawn((ChildOf(frame), label(fit(&panel.title, (panel_w - 2.0 * PADDING) / title_px), ui, title_px, theme.colors.accent_text, true)));
            let chart = Vec2::new(panel_w - 2.0 * PADDING, row_h - 2.0 * PADDING - title_px * 1.25 - 12.0);
            spawn_chart(commands, frame, &panel.chart, chart, ui, qr);
        }
    }
}

/// The height of each row of panels: even, except that a column of panels gives QR cards
/// the rows of cards they need (as far as the others keep `min_row_h`).
fn row_heights(panels: &[Panel], columns: usize, area: Vec2, min_row_h: f32, ui: &Ui) -> Vec<f32> {
    let rows = panels.len().div_ceil(columns).max(1);
    let room = area.y - GAP * (rows - 1) as f32;
    let mut heights = vec![room / rows as f32; rows];
    if columns != 1 {
        return heights;
    }
    let card_area = Vec2::new(area.x - 2.0 * PADDING, f32::INFINITY);
    let wanted = panels.iter().position(|p| matches!(&p.chart, Chart::Consultations(cards) if !cards.is_empty())).map(|i| {
        let Chart::Consultations(cards) = &panels[i].chart else { unreachable!() };
        let (across, _) = qr_cards_fitting(card_area, ui);
        let card_rows = cards.len().div_ceil(across) as f32;
        let cards_h = card_rows * qr_card_height(ui) + (card_rows - 1.0) * GAP;
        (i, cards_h + ui.theme.body() * 1.25 + 12.0 + 2.0 * PADDING + 4.0)
    });
    if let Some((i, wanted)) = wanted {
        let given = wanted.max(heights[i]).min(room - (rows - 1) as f32 * min_row_h);
        let others = if rows > 1 { (room - given) / (rows - 1) as f32 } else { 0.0 };
        for (row, height) in heights.iter_mut().enumerate() {
            *height = if row == i { given } else { others };
        }
    }
    heights
}

/// The narrowest a panel beside a wide one gets, logical pixels.
const MIN_PANEL_W: f32 = 480.0;

/// The widths of one row's panels: QR cards get the width all of them need (as far as the
/// others keep `MIN_PANEL_W`), so no open consultation is left off; the rest share evenly.
fn row_widths(panels: &[Panel], width: f32) -> Vec<f32> {
    let room = width - GAP * (panels.len() - 1) as f32;
    let even = room / panels.len() as f32;
    let wanted = |panel: &Panel| match &panel.chart {
        Chart::Consultations(cards) if !cards.is_empty() => {
            Some(cards.len() as f32 * (QR_CARD_WIDTH + GAP) - GAP + 2.0 * PADDING)
        }
        _ => None,
    };
    let Some((wide, want)) = panels.iter().enumerate().find_map(|(i, p)| wanted(p).map(|w| (i, w))) else {
        return vec![even; panels.len()];
    };
    let others = panels.len() - 1;
    let wide_w = want.max(even).min(room - others as f32 * MIN_PANEL_W).max(even.min(want));
    let other_w = if others > 0 { (room - wide_w) / others as f32 } else { 0.0 };
    (0..panels.len()).map(|i| if i == wide { wide_w } else { other_w }).collect()
}
