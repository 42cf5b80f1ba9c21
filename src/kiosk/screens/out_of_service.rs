//! Shown when no bundle passed the checker: a plain notice instead of a blank screen.

use bevy::prelude::*;

use crate::kiosk::{
    navigation::Screen,
    widgets::{Ui, label},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::OutOfService), spawn);
}

fn spawn(mut commands: Commands, ui: Ui) {
    let theme = &ui.theme;
    commands.spawn((
        DespawnOnExit(Screen::OutOfService),
        Node {
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            row_gap: px(theme.gap()),
            ..default()
        },
        BackgroundColor(theme.colors.background),
        children![
            label("政务公开专区", &ui, theme.title(), theme.colors.accent_text, true),
            label("内容正在更新，暂停查询。请咨询服务窗口工作人员。", &ui, theme.heading(), theme.colors.text, false),
        ],
    ));
}
