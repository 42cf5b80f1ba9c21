//! 通知公告: the notices in force, newest first with urgent ones on top, and one notice with
//! its issuer, dates and text. A notice found by search that has expired says so.

use bevy::prelude::*;

use gongkai_core::{content::model::{Notice, NoticeLevel}, dashboards};
use crate::kiosk::{
    Navigation, Shown,
    hall_clock::HallClock,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    scroll::scroll_area,
    widgets::{Ui, field_row, paged_list, paragraph, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Notices), spawn);
}

fn spawn(mut commands: Commands, shown: Res<Shown>, navigation: Res<Navigation>, clock: Res<HallClock>, ui: Ui) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let all = &library.content.notices;
    let now = clock.now();
    let body = spawn_page(&mut commands, Screen::Notices, "通知公告", &ui);
    if let Some(notice) = route.open.and_then(|i| all.get(i)) {
        spawn_notice(&mut commands, body, &ui, notice, now);
        return;
    }
    let mut current: Vec<&Notice> = dashboards::current_notices(all, now).collect();
    current.sort_by_key(|n| n.level != NoticeLevel::Urgent);
    paged_list(&mut commands, body, &ui, route, current.len(), 0.0, |i| {
        let notice = current[i];
        let index = all.iter().position(|n| n.id == notice.id).unwrap_or(0);
        (notice.display_title(), published_line(notice), NavigateOnTap(Navigate::To(Route::opening(Screen::Notices, index))))
    });
}

fn published_line(notice: &Notice) -> String {
    format!("{} · {} 发布", notice.issuer, notice.published_at.format("%Y年%-m月%-d日 %H:%M"))
}

fn spawn_notice(commands: &mut Commands, body: Entity, ui: &Ui, notice: &Notice, now: chrono::NaiveDateTime) {
    let theme = &ui.theme;
    let ink = theme.colors.text;
    let area = commands.spawn((ChildOf(body), scroll_area())).id();
    commands.spawn((ChildOf(area), paragraph(notice.display_title(), ui, theme.heading(), ink)));
    commands.spawn((ChildOf(area), field_row("发布", &published_line(notice), ui)));
    let validity = match notice.expires_at {
        Some(end) if now >= end => format!("已于 {} 失效", end.format("%Y年%-m月%-d日 %H:%M")),
        Some(end) => format!("有效期至 {}", end.format("%Y年%-m月%-d日 %H:%M")),
        None => "长期有效".to_string(),
    };
    commands.spawn((ChildOf(area), field_row("有效期", &validity, ui)));
    for line in notice.body.split('\n').filter(|l| !l.trim().is_empty()) {
        commands.spawn((ChildOf(area), paragraph(line, ui, theme.body(), ink)));
    }
}
