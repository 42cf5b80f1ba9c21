//! Home: site name, date and time, a large tile for every section with what it holds, search,
//! and the hall's address, hours and hotline.

use bevy::prelude::*;
use chrono::{Datelike, Local, NaiveDateTime};

use gongkai_core::{content::model::{ConsultationStatus, KeyWorkStatus}, dashboards::current_notices, library::Library, number_format};
use crate::kiosk::{
    Shown, care_mode::ToggleCareOnTap,
    hall_clock::HallClock,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    widgets::{ButtonStyle, Ui, button, fit, label, screen_root, spawn_urgent_banner},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Home), spawn)
        .add_systems(Update, update_clock.run_if(in_state(Screen::Home)));
}

#[derive(Component)]
struct Clock;

fn spawn(mut commands: Commands, shown: Res<Shown>, clock: Res<HallClock>, ui: Ui) {
    let Some(library) = shown.0.clone() else { return };
    let content = &library.content;
    let site = &content.site;
    let theme = &ui.theme;
    let colors = &theme.colors;
    let root = commands.spawn(screen_root(Screen::Home, &ui)).id();
    let header = commands
        .spawn((
            ChildOf(root),
            Node {
                padding: UiRect::axes(px(theme.margin()), px(20)),
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::Center,
                column_gap: px(theme.gap()),
                row_gap: px(8),
                flex_wrap: FlexWrap::Wrap,
                flex_shrink: 0.0,
                ..default()
            },
            BackgroundColor(colors.primary),
        ))
        .id();
    let title_room = theme.content_width() / theme.title() - 1.0;
    let title = commands
        .spawn((ChildOf(header), Node { column_gap: px(theme.gap()), align_items: AlignItems::Center, ..default() }))
        .id();
    commands.spawn((
        ChildOf(title),
        label(fit(&format!("{} · 政务公开专区", site.hall), title_room - 4.0), &ui, theme.title(), colors.on_primary, true),
    ));
    if let Some(badge) = &site.demo_label {
        commands.spawn((
            ChildOf(title),
            Node { padding: UiRect::axes(px(16), px(6)), border_radius: BorderRadius::all(px(8)), ..default() },
            BackgroundColor(colors.badge),
            children![label(badge.clone(), &ui, theme.caption(), colors.on_badge, true)],
        ));
    }
    commands.spawn((ChildOf(header), Clock, label(clock_text(), &ui, theme.body(), colors.on_primary, false)));
    spawn_urgent_banner(&mut commands, root, &ui);

    let actions = commands
        .spawn((
            ChildOf(root),
            Node {
                padding: UiRect::new(px(theme.margin()), px(theme.margin()), px(theme.gap()), px(0)),
                column_gap: px(theme.gap()),
                flex_shrink: 0.0,
                ..default()
            },
        ))
        .id();
    // A column stretches the search button across the room the 关怀模式 button leaves.
    let search = commands
        .spawn((ChildOf(actions), Node { flex_grow: 1.0, flex_direction: FlexDirection::Column, ..default() }))
        .id();
    commands.spawn((
        ChildOf(search),
        button("搜索：标题、文号、拼音首字母", &ui, ButtonStyle::Primary),
        NavigateOnTap(Navigate::To(Route::to(Screen::Search))),
    ));
    let care_label = if theme.care { "标准模式" } else { "关怀模式" };
    commands.spawn((ChildOf(actions), button(care_label, &ui, ButtonStyle::Secondary), ToggleCareOnTap));

    let columns = if theme.portrait { 2 } else { 4 };
    let grid = commands
        .spawn((
            ChildOf(root),
            Node {
                flex_grow: 1.0,
                display: Display::Grid,
                grid_template_columns: RepeatedGridTrack::flex(columns, 1.0),
                grid_auto_rows: vec![GridTrack::flex(1.0)],
                row_gap: px(theme.gap()),
                column_gap: px(theme.gap()),
                padding: UiRect::axes(px(theme.margin()), px(theme.gap())),
                min_height: px(0),
                ..default()
            },
        ))
        .id();
    let tile_room = theme.content_width() / columns as f32 - 2.0 * theme.gap();
    for (screen, title, summary) in section_summaries(&library, clock.now()) {
        commands.spawn((
            ChildOf(grid),
            Button,
            NavigateOnTap(Navigate::To(Route::to(screen))),
            Node {
                flex_direction: FlexDirection::Column,
                justify_content: JustifyContent::Center,
                padding: UiRect::axes(px(theme.gap()), px(8)),
                row_gap: px(6),
                border_radius: BorderRadius::all(px(theme.radius())),
                min_height: px(theme.tap_height()),
                overflow: Overflow::clip(),
                ..default()
            },
            BackgroundColor(colors.surface),
            children![
                label(title, &ui, theme.heading(), colors.accent_text, true),
                label(fit(&summary, tile_room / theme.body()), &ui, theme.body(), colors.text_muted, false),
            ],
        ));
    }

    let footer = format!("{}　办公时间：{}　咨询电话：{}", site.address, site.hours, site.hotline);
    let footer_room = 2.0 * theme.content_width() / theme.caption();
    commands.spawn((
        ChildOf(root),
        Node { padding: UiRect::axes(px(theme.margin()), px(16)), flex_shrink: 0.0, ..default() },
        children![label(fit(&footer, footer_room), &ui, theme.caption(), colors.text, false)],
    ));
}

/// Each section with a line saying what it holds right now.
fn section_summaries(library: &Library, now: NaiveDateTime) -> Vec<(Screen, &'static str, String)> {
    let content = &library.content;
    let today = now.date();
    let done = content.key_work.iter().filter(|k| k.status == KeyWorkStatus::Done).count();
    let open = content.consultations.iter().filter(|c| c.status_on(today) == ConsultationStatus::Open).count();
    let to_come = library.to_come();
    let items: usize = content.catalogue.domains.iter().map(|d| d.items.len()).sum();
    vec![
        (Screen::Dashboard, "数据看板", format!("{} 项重点工作 · {} 年统计", content.key_work.len(), content.disclosure_stats.len())),
        (Screen::Catalogue, "公开目录", format!("{} 个领域 · {items} 个公开事项", content.catalogue.domains.len())),
        (Screen::Documents, "政府信息", format!("{} 件政府文件", number_format::grouped(to_come.documents as u64))),
        (Screen::Interpretations, "政策解读", format!("{} 篇 · 图解 {} 篇", to_come.interpretations, to_come.illustrated)),
        (Screen::KeyWork, "重点工作", format!("{} 项 · 已完成 {done} 项", content.key_work.len())),
        (Screen::Guides, "办事指南", format!("{} 个事项", content.service_guides.len())),
        (Screen::Notices, "通知公告", format!("现行 {} 条", current_notices(&content.notices, now).count())),
        (Screen::Consultations, "意见征集", format!("正在征集 {open} 项")),
        (Screen::AdminRecords, "行政权力", format!("{} 条决定公示", number_format::grouped(content.admin_results.records.len() as u64))),
        (Screen::Community, "居(村)务公开", format!("{} 个社区（村）", content.communities.len())),
        (Screen::Apply, "依申请公开", "申请方式 · 办理时限".to_string()),
        (Screen::Interaction, "政民互动", "意见建议 · 满意度评价".to_string()),
    ]
}

pub fn clock_text() -> String {
    const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    let now = Local::now();
    let weekday = WEEKDAYS[now.weekday().num_days_from_monday() as usize];
    format!("{} 星期{weekday} {}", now.format("%Y年%m月%d日"), now.format("%H:%M"))
}

/// Re-lays out the clock text only when the minute changes.
fn update_clock(mut clocks: Query<&mut Text, With<Clock>>) {
    let now = clock_text();
    for mut clock in &mut clocks {
        if clock.0 != now {
            clock.0.clone_from(&now);
        }
    }
}
