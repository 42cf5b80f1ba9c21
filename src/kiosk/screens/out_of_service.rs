//! Shown only when no content passed the checker: a plain notice instead of a blank screen.

use bevy::prelude::*;

use super::Screen;
use crate::kiosk::{
    theme::{UiFonts, palette, size},
    widgets::text,
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::OutOfService), spawn);
}

fn spawn(mut commands: Commands, fonts: Res<UiFonts>) {
    commands.spawn((
        DespawnOnExit(Screen::OutOfService),
        Node {
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            row_gap: px(size::GAP),
            ..default()
        },
        children![
            text("政务公开专区", &fonts.bold, size::TITLE, palette::PRIMARY),
            text("内容正在更新，暂停查询。请咨询服务窗口工作人员。", &fonts.regular, size::HEADING, palette::TEXT),
        ],
    ));
}
