//! The 紧急通知 band under a screen's header, tapped to read the notice.

use bevy::prelude::*;

use super::text::{Ui, fit, label};
use crate::kiosk::navigation::{Navigate, NavigateOnTap, Route, Screen};

/// The band's height, or nothing when no urgent notice is current: lists leave room for it.
pub fn urgent_banner_height(ui: &Ui) -> f32 {
    if ui.urgent.0.is_some() { ui.theme.tap_height() } else { 0.0 }
}

/// Marks the band, to take it away in place when the notice expires.
#[derive(Component)]
pub struct UrgentBand;

/// Spawns the band as the last child of `parent` when an urgent notice is current.
pub fn spawn_urgent_banner(commands: &mut Commands, parent: Entity, ui: &Ui) -> Option<Entity> {
    let urgent = ui.urgent.0.as_ref()?;
    let theme = &ui.theme;
    let colors = &theme.colors;
    let read = "点击查看";
    let room = (theme.content_width() - 48.0) / theme.body() - read.chars().count() as f32 - 7.0;
    let band = commands.spawn((
        ChildOf(parent),
        UrgentBand,
        Button,
        NavigateOnTap(Navigate::To(Route::opening(Screen::Notices, urgent.index))),
        Node {
            height: px(theme.tap_height()),
            padding: UiRect::axes(px(theme.margin()), px(8)),
            column_gap: px(theme.gap()),
            align_items: AlignItems::Center,
            flex_shrink: 0.0,
            overflow: Overflow::clip(),
            ..default()
        },
        BackgroundColor(colors.urgent),
        children![
            label("紧急通知", ui, theme.body(), colors.on_urgent, true),
            (label(fit(&urgent.title, room), ui, theme.body(), colors.on_urgent, false), Node { flex_grow: 1.0, ..default() }),
            label(format!("{read} ›"), ui, theme.body(), colors.on_urgent, true),
        ],
    ));
    Some(band.id())
}
