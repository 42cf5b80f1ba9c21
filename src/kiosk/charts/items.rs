//! A list of titles, each with a line of detail under it (notices, 居务公开 posts): as many as
//! fit, each title cut to one line.

use bevy::prelude::*;

use gongkai_core::dashboards::Item;
use crate::kiosk::widgets::{Ui, fit, label};

pub fn item_list(commands: &mut Commands, parent: Entity, items: &[Item], size: Vec2, ui: &Ui) -> Entity {
    let theme = &ui.theme;
    let colors = &theme.colors;
    let (title_px, meta_px) = (theme.body(), theme.caption());
    let item_h = title_px * 1.25 + meta_px * 1.25 + 16.0;
    let shown = items.len().min((size.y / item_h).floor() as usize);
    let list = commands.spawn((ChildOf(parent), Node { flex_direction: FlexDirection::Column, row_gap: px(16), width: px(size.x), ..default() })).id();
    if items.is_empty() {
        commands.spawn((ChildOf(list), label("暂无", ui, title_px, colors.text_muted, false)));
    }
    for item in items.iter().take(shown) {
        commands.spawn((
            ChildOf(list),
            Node { flex_direction: FlexDirection::Column, ..default() },
            children![
                label(fit(&item.title, size.x / title_px), ui, title_px, colors.text, true),
                label(fit(&item.meta, size.x / meta_px), ui, meta_px, colors.text_muted, false),
            ],
        ));
    }
    list
}
