//! 意见征集: open consultations first with the days left and a QR code to give feedback,
//! then closed ones with the feedback the government published.

use bevy::prelude::*;

use super::detail_layout::{DetailLayout, spawn_detail_layout};
use gongkai_core::{content::model::{Consultation, ConsultationStatus}, handoff::Target};
use crate::kiosk::{
    Navigation, Shown,
    hall_clock::HallClock,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    widgets::{QrMaker, Ui, field_row, paged_list, paragraph, qr_card, section_heading, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Consultations), spawn);
}

fn spawn(mut commands: Commands, shown: Res<Shown>, navigation: Res<Navigation>, clock: Res<HallClock>, ui: Ui, mut qr: QrMaker) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let all = &library.content.consultations;
    let today = clock.now().date();
    let body = spawn_page(&mut commands, Screen::Consultations, "意见征集", &ui);
    let Some(open) = route.open.and_then(|i| all.get(i)) else {
        let mut order: Vec<usize> = (0..all.len()).collect();
        order.sort_by_key(|&i| (all[i].status_on(today) != ConsultationStatus::Open, std::cmp::Reverse(all[i].close_on)));
        paged_list(&mut commands, body, &ui, route, order.len(), 0.0, |n| {
            let c = &all[order[n]];
            (c.title.clone(), status_line(c, today), NavigateOnTap(Navigate::To(Route::opening(Screen::Consultations, order[n]))))
        });
        return;
    };
    let DetailLayout { text, side } = spawn_detail_layout(&mut commands, body, &ui);
    let theme = &ui.theme;
    let ink = theme.colors.text;
    commands.spawn((ChildOf(text), paragraph(&open.title, &ui, theme.heading(), ink)));
    commands.spawn((ChildOf(text), field_row("征集单位", library.department_name(&open.department), &ui)));
    commands.spawn((ChildOf(text), field_row("征集时间", &status_line(open, today), &ui)));
    commands.spawn((ChildOf(text), paragraph(&open.summary, &ui, theme.body(), ink)));
    match (open.status_on(today), &open.feedback) {
        (_, Some(feedback)) => {
            commands.spawn((ChildOf(text), section_heading("意见采纳情况", &ui)));
            let counts = format!("{} 发布：共收到意见 {} 条，采纳 {} 条。", feedback.published_on.format("%Y年%m月%d日"), feedback.received, feedback.adopted);
            commands.spawn((ChildOf(text), paragraph(counts, &ui, theme.body(), ink)));
            commands.spawn((ChildOf(text), paragraph(&feedback.summary, &ui, theme.body(), ink)));
        }
        (ConsultationStatus::Open, None) => {
            qr_card(&mut commands, side, &Target::Consultation(open.id.clone()), "扫码提意见：可逐条发表意见", &ui, &mut qr);
        }
        _ => {
            commands.spawn((ChildOf(text), paragraph("征集已结束，意见采纳情况整理后公布。", &ui, theme.body(), ink)));
        }
    }
    if !open.articles.is_empty() {
        commands.spawn((ChildOf(text), section_heading("征求意见稿", &ui)));
        for article in &open.articles {
            commands.spawn((ChildOf(text), paragraph(format!("{}　{}", article.no, article.text), &ui, theme.body(), ink)));
        }
    }
}

fn status_line(c: &Consultation, today: chrono::NaiveDate) -> String {
    let span = format!("{} 至 {}", c.open_on.format("%Y-%m-%d"), c.close_on.format("%Y-%m-%d"));
    match c.status_on(today) {
        ConsultationStatus::Open => format!("正在征集 · 还剩 {} 天 · {span}", (c.close_on - today).num_days() + 1),
        ConsultationStatus::Closed if c.feedback.is_some() => format!("已结束 · 已公布采纳情况 · {span}"),
        ConsultationStatus::Closed => format!("已结束 · {span}"),
        ConsultationStatus::Upcoming => format!("即将开始 · {span}"),
    }
}
