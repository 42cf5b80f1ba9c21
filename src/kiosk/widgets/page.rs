//! The frame of every screen but the attract loop: a header with 返回, the screen's title,
//! 关怀模式 and 首页 always in the same places, the urgent-notice band while one is current, and
//! a body that fills the rest.

use bevy::prelude::*;

use super::{
    button::{ButtonStyle, button},
    text::{Ui, fit, label},
    urgent_banner::spawn_urgent_banner,
};
use crate::kiosk::{
    care_mode::ToggleCareOnTap,
    navigation::{Navigate, NavigateOnTap, Screen},
};

/// A button's horizontal padding and border, both sides.
const BUTTON_PADDING: f32 = 2.0 * (28.0 + 2.0);

/// The full-window column of a screen: its header first, then the urgent band if any.
#[derive(Component)]
pub struct PageRoot;

/// The full-window column every screen hangs from, despawned when `screen` is left.
pub fn screen_root(screen: Screen, ui: &Ui) -> impl Bundle {
    (
        PageRoot,
        DespawnOnExit(screen),
        Node { width: percent(100), height: percent(100), flex_direction: FlexDirection::Column, ..default() },
        BackgroundColor(ui.theme.colors.background),
    )
}

/// Spawns the page frame for `screen`, scoped to it, and returns the body to fill.
pub fn spawn_page(commands: &mut Commands, screen: Screen, title: &str, ui: &Ui) -> Entity {
    let theme = &ui.theme;
    let colors = &theme.colors;
    let care_label = if theme.care { "标准模式" } else { "关怀模式" };
    // The title gets what the three buttons leave; it is cut rather than pushed off screen.
    let care_chars = care_label.chars().count() as f32;
    let buttons = (2.0 + care_chars + 2.0) * theme.body() + 3.0 * BUTTON_PADDING;
    let title_room = (theme.width - 2.0 * theme.margin() - buttons - 3.0 * theme.gap()) / theme.title();
    let root = commands.spawn(screen_root(screen, ui)).id();
    let header = commands
        .spawn((
            ChildOf(root),
            Node {
                padding: UiRect::axes(px(theme.margin()), px(16)),
                column_gap: px(theme.gap()),
                align_items: AlignItems::Center,
                flex_shrink: 0.0,
                ..default()
            },
            BackgroundColor(colors.primary),
        ))
        .id();
    commands.spawn((ChildOf(header), button("返回", ui, ButtonStyle::Secondary), NavigateOnTap(Navigate::Back)));
    commands.spawn((
        ChildOf(header),
        Node { flex_grow: 1.0, overflow: Overflow::clip(), ..default() },
        children![label(fit(title, title_room), ui, theme.title(), colors.on_primary, true)],
    ));
    commands.spawn((ChildOf(header), button(care_label, ui, ButtonStyle::Secondary), ToggleCareOnTap));
    commands.spawn((ChildOf(header), button("首页", ui, ButtonStyle::Secondary), NavigateOnTap(Navigate::Home)));
    spawn_urgent_banner(commands, root, ui);
    commands
        .spawn((
            ChildOf(root),
            Node {
                flex_grow: 1.0,
                flex_direction: FlexDirection::Column,
                padding: UiRect::axes(px(theme.margin()), px(theme.gap())),
                row_gap: px(theme.gap()),
                overflow: Overflow::clip(),
                min_height: px(0),
                ..default()
            },
        ))
        .id()
}
