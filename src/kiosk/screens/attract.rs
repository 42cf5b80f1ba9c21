//! The attract loop: highlights that change every few seconds (an urgent notice first, key
//! data, an open consultation, a notice) and 轻触屏幕开始. Any touch opens the home screen.

use bevy::prelude::*;
use chrono::NaiveDateTime;

use super::home::clock_text;
use gongkai_core::{content::model::{ConsultationStatus, KeyWorkStatus, NoticeLevel}, library::Library, number_format};
use crate::kiosk::{
    Shown,
    hall_clock::HallClock,
    navigation::{Navigate, NavigateOnTap, Screen},
    urgent_notice::UrgentNotice,
    widgets::{Ui, fit, label},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Attract), spawn)
        .add_systems(Update, rotate.run_if(in_state(Screen::Attract)));
}

/// A multiple of the 5 s the screen sleeps between updates at rest.
const SECONDS_PER_HIGHLIGHT: f32 = 10.0;

#[derive(Component)]
struct Highlight {
    lines: Vec<(String, String)>,
    shown: usize,
    /// When the loop began, so that it always begins with the first line.
    began_s: f32,
}

#[derive(Component)]
struct HighlightTitle;

#[derive(Component)]
struct HighlightText;

fn spawn(mut commands: Commands, shown: Res<Shown>, clock: Res<HallClock>, time: Res<Time<Real>>, ui: Ui) {
    let Some(library) = shown.0.clone() else { return };
    let theme = &ui.theme;
    let site = &library.content.site;
    let lines = highlights(&library, clock.now(), &ui.urgent);
    let (first_title, first_text) = lines[0].clone();
    let room = theme.content_width() / theme.heading();
    commands.spawn((
        DespawnOnExit(Screen::Attract),
        Button,
        NavigateOnTap(Navigate::Home),
        Node {
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::SpaceEvenly,
            align_items: AlignItems::Center,
            padding: UiRect::all(px(theme.margin())),
            ..default()
        },
        BackgroundColor(theme.colors.primary),
        children![
            label(fit(&site.hall, room * theme.heading() / theme.title()), &ui, theme.title() * 1.3, theme.colors.on_primary, true),
            label("政务公开专区", &ui, theme.title(), theme.colors.on_primary, true),
            label(clock_text(), &ui, theme.body(), theme.colors.on_primary, false),
            (
                Highlight { lines, shown: 0, began_s: time.elapsed_secs() },
                Node {
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    row_gap: px(16),
                    padding: UiRect::all(px(40)),
                    width: percent(100),
                    border_radius: BorderRadius::all(px(theme.radius())),
                    ..default()
                },
                BackgroundColor(theme.colors.surface),
                children![
                    (HighlightTitle, label(first_title, &ui, theme.body(), theme.colors.accent_text, true)),
                    (HighlightText, label(fit(&first_text, 2.0 * room), &ui, theme.heading(), theme.colors.text, true)),
                ],
            ),
            label("轻触屏幕开始", &ui, theme.title(), theme.colors.on_primary, true),
        ],
    ));
}

/// What the loop shows, in turn: a current urgent notice first.
fn highlights(library: &Library, now: NaiveDateTime, urgent: &UrgentNotice) -> Vec<(String, String)> {
    let content = &library.content;
    let today = now.date();
    let done = content.key_work.iter().filter(|k| k.status == KeyWorkStatus::Done).count();
    let mut lines: Vec<(String, String)> = urgent.0.iter().map(|u| ("紧急通知".to_string(), u.title.clone())).collect();
    lines.push(("重点工作".to_string(), format!("{} 项重点工作，已完成 {done} 项", content.key_work.len())));
    if let Some(c) = content.consultations.iter().find(|c| c.status_on(today) == ConsultationStatus::Open) {
        let days = (c.close_on - today).num_days();
        lines.push((format!("正在征集意见 · 还剩 {days} 天"), c.title.clone()));
    }
    if let Some(n) = content.notices.iter().find(|n| n.is_active_at(now) && n.level == NoticeLevel::Normal) {
        lines.push(("通知公告".to_string(), n.title.clone()));
    }
    lines.push(("政府信息".to_string(), format!("本专区可查阅 {} 件政府文件", number_format::grouped(library.to_come().documents as u64))));
    lines
}

fn rotate(
    time: Res<Time<Real>>,
    clock: Res<HallClock>,
    mut highlights: Query<&mut Highlight>,
    mut titles: Query<&mut Text, (With<HighlightTitle>, Without<HighlightText>)>,
    mut texts: Query<&mut Text, (With<HighlightText>, Without<HighlightTitle>)>,
    ui: Ui,
) {
    // A screen shown as at one moment (`render --at`) is a still picture: its first line stays,
    // however long a busy machine takes to draw it.
    let Ok(mut highlight) = highlights.single_mut() else { return };
    if clock.fixed.is_some() {
        return;
    }
    let due = ((time.elapsed_secs() - highlight.began_s) / SECONDS_PER_HIGHLIGHT) as usize % highlight.lines.len();
    if due == highlight.shown {
        return;
    }
    highlight.shown = due;
    let (title, text) = &highlight.lines[due];
    let room = ui.theme.content_width() / ui.theme.heading();
    for mut t in &mut titles {
        t.0.clone_from(title);
    }
    for mut t in &mut texts {
        t.0 = fit(text, 2.0 * room);
    }
}
