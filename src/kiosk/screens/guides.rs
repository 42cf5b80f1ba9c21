//! 办事指南: the list, and one guide with its conditions, materials, steps, time limit, fee,
//! window and phone, and a QR code to do it online on the phone.

use bevy::prelude::*;

use super::detail_layout::{DetailLayout, spawn_detail_layout};
use gongkai_core::{content::model::ServiceGuide, handoff::Target};
use crate::kiosk::{
    Navigation, Shown,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    printing::{PrintOnTap, Printing, print_button},
    widgets::{QrMaker, Ui, field_row, paged_list, paragraph, qr_card, section_heading, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Guides), spawn);
}

fn spawn(
    mut commands: Commands,
    shown: Res<Shown>,
    navigation: Res<Navigation>,
    printing: Option<Res<Printing>>,
    ui: Ui,
    mut qr: QrMaker,
) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let guides = &library.content.service_guides;
    let body = spawn_page(&mut commands, Screen::Guides, "办事指南", &ui);
    let Some(guide) = route.open.and_then(|i| guides.get(i)) else {
        paged_list(&mut commands, body, &ui, route, guides.len(), 0.0, |i| {
            let g = &guides[i];
            let detail = format!("{} · 办理时限：{}", library.department_name(&g.department), g.time_limit);
            (g.title.clone(), detail, NavigateOnTap(Navigate::To(Route::opening(Screen::Guides, i))))
        });
        return;
    };
    let DetailLayout { text, side } = spawn_detail_layout(&mut commands, body, &ui);
    spawn_guide(&mut commands, text, &ui, guide, library.department_name(&guide.department));
    let caption = if guide.online_url.is_some() { "手机办理：扫码在线申办" } else { "扫码带走：手机上查看办事指南" };
    qr_card(&mut commands, side, &Target::Guide(guide.id.clone()), caption, &ui, &mut qr);
    if let Some(index) = route.open {
        print_button(&mut commands, side, &ui, printing.as_deref(), PrintOnTap::Guide(index));
    }
}

fn spawn_guide(commands: &mut Commands, area: Entity, ui: &Ui, guide: &ServiceGuide, department: &str) {
    let theme = &ui.theme;
    let text = theme.colors.text;
    commands.spawn((ChildOf(area), paragraph(&guide.title, ui, theme.heading(), text)));
    let numbered = |items: &[String]| -> Vec<String> {
        items.iter().enumerate().map(|(n, item)| format!("{}. {item}", n + 1)).collect()
    };
    commands.spawn((ChildOf(area), section_heading("办理条件", ui)));
    for line in numbered(&guide.conditions) {
        commands.spawn((ChildOf(area), paragraph(line, ui, theme.body(), text)));
    }
    commands.spawn((ChildOf(area), section_heading("申请材料", ui)));
    for (n, material) in guide.materials.iter().enumerate() {
        commands.spawn((ChildOf(area), paragraph(format!("{}. {}（{}）", n + 1, material.name, material.copies), ui, theme.body(), text)));
    }
    commands.spawn((ChildOf(area), section_heading("办理流程", ui)));
    for line in numbered(&guide.steps) {
        commands.spawn((ChildOf(area), paragraph(line, ui, theme.body(), text)));
    }
    for (name, value) in [
        ("办理时限", guide.time_limit.as_str()),
        ("收费标准", guide.fee.as_str()),
        ("办理窗口", guide.window.as_str()),
        ("咨询电话", guide.phone.as_str()),
        ("主管部门", department),
    ] {
        commands.spawn((ChildOf(area), field_row(name, value, ui)));
    }
}
