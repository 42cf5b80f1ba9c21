//! 行政权力运行结果: the published decisions newest first, filtered by kind with chips, and one
//! decision with its 文书号, party, matter, result and authority. Natural persons appear only
//! in the masked form the content holds.

use bevy::prelude::*;

use gongkai_core::{
    content::model::{AdminKind, AdminRecord, label_of},
    library::Library,
};
use crate::kiosk::{
    Navigation, Shown,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    scroll::scroll_area,
    widgets::{Ui, chip, chip_rows, chip_rows_height, field_row, paged_list, paragraph, spawn_chip_bar, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::AdminRecords), spawn);
}

/// `domain` holds the chosen kind, by its place among the kinds the content has.
fn spawn(mut commands: Commands, shown: Res<Shown>, navigation: Res<Navigation>, ui: Ui) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let all = &library.content.admin_results.records;
    let body = spawn_page(&mut commands, Screen::AdminRecords, "行政权力运行结果", &ui);
    if let Some(record) = route.open.and_then(|i| all.get(i)) {
        spawn_record(&mut commands, body, &ui, &library, record);
        return;
    }
    let mut kinds: Vec<AdminKind> = all.iter().map(|r| r.kind).collect();
    kinds.sort();
    kinds.dedup();
    let chosen = route.domain.and_then(|k| kinds.get(k).copied());
    let labels: Vec<String> = kinds.iter().map(label_of).collect();
    let chips = spawn_chip_bar(&mut commands, body);
    commands.spawn((ChildOf(chips), chip("全部", chosen.is_none(), &ui), NavigateOnTap(Navigate::Replace(Route::to(Screen::AdminRecords)))));
    for (k, (kind, label)) in kinds.iter().zip(&labels).enumerate() {
        let go = Navigate::Replace(Route { domain: Some(k), ..Route::to(Screen::AdminRecords) });
        commands.spawn((ChildOf(chips), chip(label.clone(), chosen == Some(*kind), &ui), NavigateOnTap(go)));
    }
    let mut shown_records: Vec<usize> = (0..all.len()).filter(|&i| chosen.is_none_or(|k| all[i].kind == k)).collect();
    shown_records.sort_by_key(|&i| std::cmp::Reverse(all[i].decided_on));
    let rows = chip_rows(std::iter::once("全部").chain(labels.iter().map(String::as_str)), &ui);
    let reserved = chip_rows_height(rows, &ui);
    paged_list(&mut commands, body, &ui, route, shown_records.len(), reserved, |n| {
        let r = &all[shown_records[n]];
        let detail = format!("{} · {} · {} · {}", label_of(&r.kind), r.party.name, r.decision_no, r.decided_on.format("%Y-%m-%d"));
        (r.matter.clone(), detail, NavigateOnTap(Navigate::To(Route::opening(Screen::AdminRecords, shown_records[n]))))
    });
}

fn spawn_record(commands: &mut Commands, body: Entity, ui: &Ui, library: &Library, r: &AdminRecord) {
    let theme = &ui.theme;
    let area = commands.spawn((ChildOf(body), scroll_area())).id();
    commands.spawn((ChildOf(area), paragraph(&r.matter, ui, theme.heading(), theme.colors.text)));
    let fields = [
        ("类别", if r.kind == AdminKind::Other { "其他行政权力".into() } else { format!("行政{}", label_of(&r.kind)) }),
        ("决定文书号", r.decision_no.clone()),
        ("行政相对人", format!("{}（{}）", r.party.name, label_of(&r.party.party_type))),
        ("处理结果", r.result.clone()),
        ("决定日期", r.decided_on.format("%Y年%m月%d日").to_string()),
        ("决定机关", library.department_name(&r.authority).to_string()),
    ];
    for (name, value) in fields {
        commands.spawn((ChildOf(area), field_row(name, &value, ui)));
    }
}
