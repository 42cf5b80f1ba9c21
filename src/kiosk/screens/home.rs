//! Home: site name, date and time, a tile per section with what it holds, hall details.

use bevy::prelude::*;
use chrono::{Datelike, Local};

use super::Screen;
use crate::{
    content::model::{Content, ConsultationStatus, KeyWorkStatus},
    kiosk::{
        ShownContent,
        theme::{UiFonts, palette, size},
        widgets::{demo_badge, text, tile},
    },
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Home), spawn)
        .add_systems(Update, update_clock.run_if(in_state(Screen::Home)));
}

#[derive(Component)]
struct Clock;

fn spawn(mut commands: Commands, shown: Res<ShownContent>, fonts: Res<UiFonts>) {
    let Some(content) = shown.0.clone() else { return };
    let site = &content.site;
    commands
        .spawn((
            DespawnOnExit(Screen::Home),
            Node {
                width: percent(100),
                height: percent(100),
                flex_direction: FlexDirection::Column,
                ..default()
            },
        ))
        .with_children(|root| {
            root.spawn((
                Node {
                    padding: UiRect::axes(px(48), px(24)),
                    justify_content: JustifyContent::SpaceBetween,
                    align_items: AlignItems::Center,
                    column_gap: px(size::GAP),
                    ..default()
                },
                BackgroundColor(palette::PRIMARY),
            ))
            .with_children(|header| {
                header
                    .spawn(Node { column_gap: px(size::GAP), align_items: AlignItems::Center, ..default() })
                    .with_children(|title| {
                        title.spawn(text(
                            format!("{} · 政务公开专区", site.hall),
                            &fonts.bold,
                            size::TITLE,
                            palette::ON_PRIMARY,
                        ));
                        if let Some(label) = &site.demo_label {
                            title.spawn(demo_badge(label, &fonts));
                        }
                    });
                header.spawn((Clock, text(clock_text(), &fonts.regular, size::BODY, palette::ON_PRIMARY)));
            });

            root.spawn(Node {
                flex_grow: 1.0,
                display: Display::Grid,
                grid_template_columns: RepeatedGridTrack::flex(3, 1.0),
                grid_auto_rows: vec![GridTrack::flex(1.0)],
                row_gap: px(size::GAP),
                column_gap: px(size::GAP),
                padding: UiRect::all(px(48)),
                ..default()
            })
            .with_children(|grid| {
                for (title, summary) in section_summaries(&content) {
                    grid.spawn(tile(title, summary, &fonts));
                }
            });

            root.spawn(Node { padding: UiRect::axes(px(48), px(20)), ..default() }).with_children(|footer| {
                footer.spawn(text(
                    format!("{}　办公时间：{}　咨询电话：{}", site.address, site.hours, site.hotline),
                    &fonts.regular,
                    size::CAPTION,
                    palette::TEXT,
                ));
            });
        });
}

/// Each section with a line saying what it holds right now.
fn section_summaries(content: &Content) -> Vec<(&'static str, String)> {
    let today = Local::now().date_naive();
    let done = content.key_work.iter().filter(|k| k.status == KeyWorkStatus::Done).count();
    let open = content
        .consultations
        .iter()
        .filter(|c| c.status_on(today) == ConsultationStatus::Open)
        .count();
    let illustrated = content.interpretations.iter().filter(|i| i.is_illustrated()).count();
    let items: usize = content.catalogue.domains.iter().map(|d| d.items.len()).sum();
    vec![
        ("数据看板", format!("{} 项重点工作 · {} 年统计", content.key_work.len(), content.disclosure_stats.len())),
        ("公开目录", format!("{} 个领域 · {items} 个公开事项", content.catalogue.domains.len())),
        ("政府信息", format!("{} 件政府文件", content.documents.len())),
        ("政策解读", format!("{} 篇 · 图解 {illustrated} 篇", content.interpretations.len())),
        ("重点工作", format!("{} 项 · 已完成 {done} 项", content.key_work.len())),
        ("办事指南", format!("{} 个事项", content.service_guides.len())),
        ("意见征集", format!("正在征集 {open} 项")),
        ("依申请公开", "申请方式 · 办理时限".to_string()),
        ("政民互动", "意见建议 · 满意度评价".to_string()),
    ]
}

fn clock_text() -> String {
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
            clock.0 = now.clone();
        }
    }
}
