//! 政民互动: QR codes to the 意见建议 form and to the 满意度评价 of this hall.

use bevy::prelude::*;

use gongkai_core::handoff::Target;
use crate::kiosk::{Shown, navigation::Screen, widgets::{QrMaker, Ui, paragraph, qr_card, spawn_page}};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Interaction), spawn);
}

fn spawn(mut commands: Commands, shown: Res<Shown>, ui: Ui, mut qr: QrMaker) {
    let Some(library) = shown.0.clone() else { return };
    let body = spawn_page(&mut commands, Screen::Interaction, "政民互动", &ui);
    let theme = &ui.theme;
    let intro = format!(
        "欢迎您对政务公开工作提出意见建议，可匿名提交。办理结果可凭查询码查看。咨询电话：{}",
        library.content.site.hotline
    );
    commands.spawn((ChildOf(body), paragraph(intro, &ui, theme.body(), theme.colors.text)));
    let cards = commands
        .spawn((
            ChildOf(body),
            Node {
                flex_grow: 1.0,
                justify_content: JustifyContent::SpaceEvenly,
                align_items: AlignItems::Center,
                flex_direction: if theme.portrait { FlexDirection::Column } else { FlexDirection::Row },
                row_gap: px(theme.gap()),
                ..default()
            },
        ))
        .id();
    qr_card(&mut commands, cards, &Target::Opinion, "扫码提交意见建议", &ui, &mut qr);
    qr_card(&mut commands, cards, &Target::Satisfaction, "扫码评价本次服务", &ui, &mut qr);
}
