//! Chart widgets drawn with Bevy UI nodes (bars, conic-gradient rings, rotated line segments),
//! shared by the kiosk's 数据看板 and the LED wall. Each takes chart data from `dashboards`
//! and the logical size it may fill, and never draws outside it.

mod bars;
mod donut;
mod items;
mod kpi;
mod line;
mod motion;
mod panels;
mod ranking;
mod ring;
mod ticker;

use bevy::prelude::*;

pub use kpi::kpi_counter;
pub use motion::{ChartMotion, Reel, plugin};
pub use panels::spawn_dashboard;
pub use ticker::{TickerBand, fill_ticker};

use super::widgets::{QR_CARD_WIDTH, QrMaker, Ui, fit, label, qr_card};
use gongkai_core::{dashboards::{BarDirection, Chart}, handoff::Target};

/// Draws `chart` under `parent` within `size` logical pixels.
pub fn spawn_chart(commands: &mut Commands, parent: Entity, chart: &Chart, size: Vec2, ui: &Ui, qr: &mut QrMaker) -> Entity {
    match chart {
        Chart::Ring { ratio, caption } => ring::progress_ring(commands, parent, *ratio, caption, size, ui),
        Chart::Bars { direction: BarDirection::Horizontal, bars } => bars::horizontal_bars(commands, parent, bars, size, ui),
        Chart::Bars { direction: BarDirection::Vertical, bars } => bars::vertical_bars(commands, parent, bars, size, ui),
        Chart::Stacked { series, groups } => bars::stacked_bars(commands, parent, series, groups, size, ui),
        Chart::Line { x_labels, series } => line::line_chart(commands, parent, x_labels, series, size, ui),
        Chart::Donut { slices, centre } => donut::donut(commands, parent, slices, centre, size, ui),
        Chart::Ranking { columns, rows } => ranking::ranking(commands, parent, columns, rows, size, ui),
        Chart::Items(list) => items::item_list(commands, parent, list, size, ui),
        Chart::Consultations(cards) => {
            let row = commands
                .spawn((ChildOf(parent), Node { column_gap: px(24), row_gap: px(24), flex_wrap: FlexWrap::Wrap, width: px(size.x), ..default() }))
                .id();
            let (across, down) = qr_cards_fitting(size, ui);
            let fits = across * down;
            if cards.is_empty() {
                commands.spawn((ChildOf(row), label("目前没有正在征集意见的事项", ui, ui.theme.body(), ui.theme.colors.text_muted, false)));
            }
            for card in cards.iter().take(fits.max(1)) {
                let caption = format!("{}\n{}", fit(&card.title, 1.8 * QR_CARD_WIDTH / ui.theme.body() - 2.0), card.caption);
                qr_card(commands, row, &Target::Consultation(card.id.clone()), &caption, ui, qr);
            }
            row
        }
    }
}

/// How many QR cards fit `size`: across and down.
pub fn qr_cards_fitting(size: Vec2, ui: &Ui) -> (usize, usize) {
    let across = ((size.x + 24.0) / (QR_CARD_WIDTH + 24.0)).floor().max(1.0) as usize;
    let down = ((size.y + 24.0) / (qr_card_height(ui) + 24.0)).floor().max(1.0) as usize;
    (across, down)
}

/// A QR card's height with a caption of up to three lines.
pub fn qr_card_height(ui: &Ui) -> f32 {
    QR_CARD_WIDTH - 80.0 + 2.0 * 20.0 + 12.0 + 3.0 * ui.theme.body() * 1.25
}

/// About how wide `text` is in the kiosk font: CJK characters a full em, `%` and capitals
/// nearly, other Latin characters a bit over half. Generous, so a box sized by it holds its
/// text even in bold.
pub fn text_width(text: &str, font_px: f32) -> f32 {
    let em = |c: char| match c {
        '%' | 'M' | 'W' | '@' => 0.95,
        'A'..='Z' => 0.75,
        _ if c.is_ascii() => 0.62,
        _ => 1.0,
    };
    text.chars().map(em).sum::<f32>() * font_px
}

/// The largest of `sizes` (largest first) at which `text` fits `room` logical pixels across.
fn size_to_fit(text: &str, room: f32, sizes: &[f32]) -> Option<f32> {
    sizes.iter().copied().find(|px| text_width(text, *px) <= room)
}

/// A colour square for legends.
fn swatch(color: Color, side: f32) -> impl Bundle {
    (Node { width: px(side), height: px(side), flex_shrink: 0.0, border_radius: BorderRadius::all(px(3)), ..default() }, BackgroundColor(color))
}

/// A legend row of series names; returns its height.
fn legend(commands: &mut Commands, parent: Entity, names: &[String], width: f32, ui: &Ui) -> f32 {
    let text_px = ui.theme.caption();
    let row = commands.spawn((ChildOf(parent), Node { column_gap: px(24), width: px(width), ..default() })).id();
    // As many names as fit on the line.
    let mut used = 0.0;
    for (i, name) in names.iter().enumerate() {
        // With a fifth to spare: the estimate is of the glyphs, not of the boxes around them.
        used += 1.2 * (text_px * 0.7 + 8.0 + text_width(name, text_px)) + if i > 0 { 24.0 } else { 0.0 };
        if used > width {
            break;
        }
        commands.spawn((
            ChildOf(row),
            Node { align_items: AlignItems::Center, column_gap: px(8), flex_shrink: 0.0, ..default() },
            children![swatch(ui.theme.series(i), text_px * 0.7), label(name.as_str(), ui, text_px, ui.theme.colors.text, false)],
        ));
    }
    (text_px * 1.25).round()
}
