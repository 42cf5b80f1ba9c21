//! 依申请公开: what an application needs, how it is handled and in what time, and a QR code
//! to the application form on the phone (条例 第二十九条、第三十三条).

use bevy::prelude::*;

use super::detail_layout::{DetailLayout, spawn_detail_layout};
use gongkai_core::handoff::Target;
use crate::kiosk::{Shown, navigation::Screen, widgets::{QrMaker, Ui, paragraph, qr_card, section_heading, spawn_page}};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Apply), spawn);
}

const NEEDS: [&str; 4] = [
    "申请人的姓名或者名称、身份证明、联系方式；",
    "申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；",
    "申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
    "申请以书面形式提出；书面确有困难的，可以口头提出，由受理机关代为填写。",
];

const HANDLING: [&str; 4] = [
    "能够当场答复的，当场予以答复。",
    "不能当场答复的，自收到申请之日起 20 个工作日内予以答复；需要延长的，经负责人同意并告知申请人，延长期限最长不超过 20 个工作日。",
    "申请内容不明确的，在收到申请之日起 7 个工作日内一次性告知补正，答复期限自收到补正的申请之日起计算。",
    "征求第三方和其他机关意见所需时间不计算在答复期限内。",
];

fn spawn(mut commands: Commands, shown: Res<Shown>, ui: Ui, mut qr: QrMaker) {
    let Some(library) = shown.0.clone() else { return };
    let body = spawn_page(&mut commands, Screen::Apply, "依申请公开", &ui);
    let DetailLayout { text, side } = spawn_detail_layout(&mut commands, body, &ui);
    let theme = &ui.theme;
    let ink = theme.colors.text;
    commands.spawn((ChildOf(text), section_heading("申请需要提供", &ui)));
    for (n, line) in NEEDS.iter().enumerate() {
        commands.spawn((ChildOf(text), paragraph(format!("{}. {line}", n + 1), &ui, theme.body(), ink)));
    }
    commands.spawn((ChildOf(text), section_heading("办理时限", &ui)));
    for line in HANDLING {
        commands.spawn((ChildOf(text), paragraph(line, &ui, theme.body(), ink)));
    }
    let site = &library.content.site;
    let office = format!("受理机构：{}　地址：{}　电话：{}", site.office, site.address, site.hotline);
    commands.spawn((ChildOf(text), paragraph(office, &ui, theme.body(), ink)));
    qr_card(&mut commands, side, &Target::Apply(None), "扫码填写政府信息公开申请", &ui, &mut qr);
}
