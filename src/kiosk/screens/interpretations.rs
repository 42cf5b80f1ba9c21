//! 政策解读: the list, and one 解读 with its text, questions and answers, and 图解 images that
//! fit the screen, zoom on a tap and pan with a finger (`zoom`).

use bevy::prelude::*;

use super::detail_layout::{DetailLayout, spawn_detail_layout};
use gongkai_core::{content::model::Interpretation, handoff::Target, library::Library};
use crate::kiosk::{
    Navigation, Shown,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    widgets::{ButtonStyle, QrMaker, Ui, button, still_loading, label, paged_list, paragraph, qr_card, section_heading, spawn_page},
    zoom::spawn_zoomable_image,
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Interpretations), spawn);
}

fn spawn(mut commands: Commands, shown: Res<Shown>, navigation: Res<Navigation>, ui: Ui, mut qr: QrMaker) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let list = &library.content.interpretations;
    let body = spawn_page(&mut commands, Screen::Interpretations, "政策解读", &ui);
    if !library.is_complete() {
        commands.spawn((ChildOf(body), still_loading(&library, &ui)));
        return;
    }
    let Some(open) = route.open.and_then(|i| list.get(i)) else {
        paged_list(&mut commands, body, &ui, route, list.len(), 0.0, |i| {
            let item = &list[i];
            let kind = if item.is_illustrated() { "图解" } else { "文字解读" };
            let detail = format!("{kind} · {} · {}", item.author, item.published_on.format("%Y-%m-%d"));
            (item.title.clone(), detail, NavigateOnTap(Navigate::To(Route::opening(Screen::Interpretations, i))))
        });
        return;
    };
    let DetailLayout { text, side } = spawn_detail_layout(&mut commands, body, &ui);
    spawn_text(&mut commands, text, &ui, &library, open, qr.images());
    if let Some(document) = library.document(&open.document) {
        let target = Target::Document(open.document.clone());
        qr_card(&mut commands, side, &target, "扫码带走：手机上阅读原文件", &ui, &mut qr);
        commands.spawn((
            ChildOf(side),
            button("查看原文件", &ui, ButtonStyle::Primary),
            NavigateOnTap(Navigate::To(Route::opening(Screen::Reader, document))),
        ));
    }
}

fn spawn_text(commands: &mut Commands, area: Entity, ui: &Ui, library: &Library, item: &Interpretation, images: &mut Assets<Image>) {
    let theme = &ui.theme;
    let colors = &theme.colors;
    commands.spawn((ChildOf(area), paragraph(&item.title, ui, theme.heading(), colors.text)));
    let byline = format!("{} · {}", item.author, item.published_on.format("%Y年%m月%d日"));
    commands.spawn((ChildOf(area), label(byline, ui, theme.body(), colors.text_muted, false)));
    for illustration in &item.images {
        match library.image(&illustration.file) {
            Ok(rgba) => {
                let frame = Node { width: percent(100), flex_shrink: 0.0, ..default() };
                spawn_zoomable_image(commands, area, rgba, frame, images);
                commands.spawn((ChildOf(area), paragraph(format!("{}（轻触放大）", illustration.caption), ui, theme.body(), colors.text_muted)));
            }
            Err(problem) => warn!("{problem}"),
        }
    }
    for line in item.text.split('\n').filter(|l| !l.trim().is_empty()) {
        commands.spawn((ChildOf(area), paragraph(format!("　　{}", line.trim()), ui, theme.body(), colors.text)));
    }
    if !item.qa.is_empty() {
        commands.spawn((ChildOf(area), section_heading("问答", ui)));
        for qa in &item.qa {
            commands.spawn((ChildOf(area), paragraph(format!("问：{}", qa.q), ui, theme.body(), colors.accent_text)));
            commands.spawn((ChildOf(area), paragraph(format!("答：{}", qa.a), ui, theme.body(), colors.text)));
        }
    }
}
