//! 数据看板 on the kiosk: the key figures built from the content (key work by category,
//! disclosure requests by year, administrative results) as bars and counters. The LED wall
//! issue replaces these with the shared chart widgets.

use std::collections::BTreeMap;

use bevy::prelude::*;

use crate::{
    content::model::KeyWorkStatus,
    number_format::grouped,
    kiosk::{
        Shown,
        navigation::Screen,
        scroll::scroll_area,
        widgets::{Ui, field_row, label, progress_bar, section_heading, spawn_page},
    },
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Dashboard), spawn);
}

fn spawn(mut commands: Commands, shown: Res<Shown>, ui: Ui) {
    let Some(library) = shown.0.clone() else { return };
    let content = &library.content;
    let body = spawn_page(&mut commands, Screen::Dashboard, "数据看板", &ui);
    let area = commands.spawn((ChildOf(body), scroll_area())).id();
    let theme = &ui.theme;

    commands.spawn((ChildOf(area), section_heading("重点工作完成情况", &ui)));
    let mut by_category: BTreeMap<&str, (f32, usize)> = BTreeMap::new();
    for task in &content.key_work {
        let entry = by_category.entry(&task.category).or_default();
        entry.0 += task.progress;
        entry.1 += 1;
    }
    for (category, (sum, count)) in by_category {
        let row = commands.spawn((ChildOf(area), Node { column_gap: px(16), align_items: AlignItems::Center, ..default() })).id();
        commands.spawn((
            ChildOf(row),
            label(format!("{category}（{count} 项）"), &ui, theme.body(), theme.colors.text, false),
            Node { width: px(12.0 * theme.body()), flex_shrink: 0.0, ..default() },
        ));
        commands.spawn((ChildOf(row), Node { flex_grow: 1.0, ..default() }, children![progress_bar(sum / count as f32, &ui)]));
    }
    let delayed: Vec<&str> =
        content.key_work.iter().filter(|k| k.status == KeyWorkStatus::Delayed).map(|k| k.title.as_str()).collect();
    if !delayed.is_empty() {
        commands.spawn((ChildOf(area), field_row("滞后事项", &delayed.join("；"), &ui)));
    }

    commands.spawn((ChildOf(area), section_heading("依申请公开（件）", &ui)));
    for year in &content.disclosure_stats {
        let requests = &year.requests;
        let text = format!(
            "新收 {}，上年结转 {}，结转下年 {}",
            grouped(requests.received.into()),
            grouped(requests.carried_over.into()),
            grouped(requests.carried_forward.into())
        );
        commands.spawn((ChildOf(area), field_row(&format!("{} 年", year.year), &text, &ui)));
    }

    commands.spawn((ChildOf(area), section_heading("行政权力运行结果", &ui)));
    let mut by_kind: BTreeMap<String, u32> = BTreeMap::new();
    for month in &content.admin_results.monthly {
        for (kind, count) in &month.counts {
            *by_kind.entry(crate::content::model::label_of(kind)).or_default() += count;
        }
    }
    for (kind, count) in by_kind {
        commands.spawn((ChildOf(area), field_row(&kind, &format!("{} 件", grouped(count.into())), &ui)));
    }
}
