//! 重点工作: the list by category (chips) with status and progress, and one task with its
//! lead and partner departments, target, progress bar and milestones.

use std::collections::BTreeSet;

use bevy::prelude::*;

use gongkai_core::{content::model::{KeyWork, label_of}, library::Library, number_format};
use crate::kiosk::{
    Navigation, Shown,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    scroll::scroll_area,
    widgets::{Ui, chip, chip_rows_height, field_row, paged_list, paragraph, progress_bar, section_heading, spawn_chip_bar, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::KeyWork), spawn);
}

fn spawn(mut commands: Commands, shown: Res<Shown>, navigation: Res<Navigation>, ui: Ui) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let all = &library.content.key_work;
    let body = spawn_page(&mut commands, Screen::KeyWork, "重点工作", &ui);
    if let Some(task) = route.open.and_then(|i| all.get(i)) {
        spawn_task(&mut commands, body, &ui, &library, task);
        return;
    }
    // `domain` holds the chosen category here: the chips are the categories in the content.
    let categories: Vec<&str> = all.iter().map(|k| k.category.as_str()).collect::<BTreeSet<_>>().into_iter().collect();
    let chosen = route.domain.and_then(|c| categories.get(c).copied());
    let chips = spawn_chip_bar(&mut commands, body);
    commands.spawn((ChildOf(chips), chip("全部", chosen.is_none(), &ui), NavigateOnTap(Navigate::Replace(Route::to(Screen::KeyWork)))));
    for (c, name) in categories.iter().enumerate() {
        let go = Navigate::Replace(Route { domain: Some(c), ..Route::to(Screen::KeyWork) });
        commands.spawn((ChildOf(chips), chip(*name, chosen == Some(*name), &ui), NavigateOnTap(go)));
    }
    let shown_tasks: Vec<usize> = (0..all.len()).filter(|&i| chosen.is_none_or(|c| all[i].category == c)).collect();
    let theme = &ui.theme;
    let chip_rows = if theme.portrait { 3.0 } else { 2.0 };
    let reserved = chip_rows_height(chip_rows, &ui);
    paged_list(&mut commands, body, &ui, route, shown_tasks.len(), reserved, |i| {
        let task = &all[shown_tasks[i]];
        let lead = library.department_name(&task.lead);
        let progress = number_format::percent(f64::from(task.progress) / 100.0, 0);
        let detail = format!("{} · {} · 进度 {progress} · 牵头：{lead}", task.category, label_of(&task.status));
        (task.title.clone(), detail, NavigateOnTap(Navigate::To(Route::opening(Screen::KeyWork, shown_tasks[i]))))
    });
}

fn spawn_task(commands: &mut Commands, body: Entity, ui: &Ui, library: &Library, task: &KeyWork) {
    let theme = &ui.theme;
    let area = commands.spawn((ChildOf(body), scroll_area())).id();
    commands.spawn((ChildOf(area), paragraph(&task.title, ui, theme.heading(), theme.colors.text)));
    commands.spawn((ChildOf(area), progress_bar(task.progress, ui)));
    let partners: Vec<&str> = task.co.iter().map(|id| library.department_name(id)).collect();
    let fields = [
        ("类别", task.category.clone()),
        ("状态", label_of(&task.status)),
        ("牵头单位", library.department_name(&task.lead).to_string()),
        ("配合单位", if partners.is_empty() { "无".into() } else { partners.join("、") }),
        ("目标任务", task.target.clone()),
        ("更新日期", task.updated_on.format("%Y年%m月%d日").to_string()),
    ];
    for (name, value) in fields {
        commands.spawn((ChildOf(area), field_row(name, &value, ui)));
    }
    commands.spawn((ChildOf(area), section_heading("节点", ui)));
    for milestone in &task.milestones {
        let mark = if milestone.done { "已完成" } else { "未完成" };
        let text = format!("{} {}（{}）", milestone.date.format("%Y-%m-%d"), milestone.title, mark);
        let color = if milestone.done { theme.colors.progress } else { theme.colors.text };
        commands.spawn((ChildOf(area), paragraph(text, ui, theme.body(), color)));
    }
}
