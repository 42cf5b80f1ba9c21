//! 搜索: an on-screen keyboard (pinyin initials A–Z, digits, 删除, 清空) and the results of
//! every kind, searched on every key with the same index as `gongkai search`. Before anything
//! is typed it offers 热门搜索 and the sections to browse.

use bevy::prelude::*;

use super::detail_layout::split;
use gongkai_core::{
    library::{Library, Position},
    search::{RecordInfo, RecordKind, SearchQuery, SearchTally},
};
use crate::kiosk::{
    Navigation, Shown,
    hall_clock::HallClock,
    idle::VisitorLeft,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    scroll::scroll_area,
    widgets::{ButtonStyle, Ui, button, chip, label, paged_list, section_heading, spawn_chip_bar, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.init_resource::<SearchText>()
        .init_resource::<HotSearches>()
        .add_systems(OnEnter(Screen::Search), spawn)
        .add_systems(Update, forget.run_if(on_message::<VisitorLeft>))
        .add_observer(type_key)
        .add_observer(search_on_tap)
        .add_observer(count_opened_search);
}

/// What the visitor has typed.
#[derive(Resource, Default, Debug)]
pub struct SearchText(pub String);

/// The searches that led to a result today on this kiosk, for 热门搜索 when the content sets none.
#[derive(Resource, Default, Debug)]
struct HotSearches(SearchTally);

/// On a 热门搜索 chip: tapping it searches for the text.
#[derive(Component)]
struct SearchOnTap(String);

/// On a result row: opening it counts the search.
#[derive(Component)]
struct OpensResult;

const HOT_SHOWN: usize = 8;

/// The sections a visitor can start from without typing.
const SECTIONS: [(Screen, &str); 9] = [
    (Screen::Documents, "政府信息"),
    (Screen::Guides, "办事指南"),
    (Screen::Interpretations, "政策解读"),
    (Screen::Notices, "通知公告"),
    (Screen::Consultations, "意见征集"),
    (Screen::KeyWork, "重点工作"),
    (Screen::AdminRecords, "行政权力"),
    (Screen::Community, "居(村)务公开"),
    (Screen::Catalogue, "公开目录"),
];

#[derive(Component, Clone, Copy)]
enum Key {
    Char(char),
    Backspace,
    Clear,
}

const MAX_QUERY: usize = 24;
/// Results fetched per keystroke; the list pages through them.
const RESULT_LIMIT: usize = 200;

fn spawn(
    mut commands: Commands,
    shown: Res<Shown>,
    navigation: Res<Navigation>,
    text: Res<SearchText>,
    hot: Res<HotSearches>,
    clock: Res<HallClock>,
    ui: Ui,
) {
    let Some(library) = shown.0.clone() else { return };
    let theme = &ui.theme;
    let body = spawn_page(&mut commands, Screen::Search, "搜索", &ui);
    // The keyboard goes under the results on portrait screens.
    let halves = commands.spawn((ChildOf(body), split(&ui, FlexDirection::ColumnReverse))).id();
    let keyboard_height = spawn_keyboard(&mut commands, halves, &ui);
    let results = commands
        .spawn((ChildOf(halves), Node { flex_grow: 1.0, flex_direction: FlexDirection::Column, row_gap: px(12), min_height: px(0), ..default() }))
        .id();
    let shown_text = if text.0.is_empty() { "请用右侧键盘输入拼音首字母或数字".to_string() } else { format!("搜索：{}", text.0) };
    let shown_text = if theme.portrait { shown_text.replace("右侧", "下方") } else { shown_text };
    commands.spawn((ChildOf(results), label(shown_text, &ui, theme.heading(), theme.colors.text, true)));
    if text.0.is_empty() {
        let content_hot = &library.content.site.hot_searches;
        let hot = if content_hot.is_empty() { hot.0.most_searched(clock.now().date(), HOT_SHOWN) } else { content_hot.clone() };
        spawn_starting_points(&mut commands, results, &hot, &ui);
        return;
    }
    let found = library.search.search(&SearchQuery { text: &text.0, limit: RESULT_LIMIT, ..default() });
    let total = if found.total_is_estimate { format!("约 {} 条结果", found.total) } else { format!("共 {} 条结果", found.total) };
    commands.spawn((ChildOf(results), label(total, &ui, theme.body(), theme.colors.text_muted, false)));
    let reserved = theme.heading() * 1.5 + theme.body() * 1.5 + 24.0 + if theme.portrait { keyboard_height + theme.gap() } else { 0.0 };
    let hits = found.hits;
    paged_list(&mut commands, results, &ui, navigation.current, hits.len(), reserved, |i| {
        let info = library.search.record(hits[i].record);
        let position = library.locate(info.kind, info.id);
        let go = position.map_or(Navigate::Refresh, |p| Navigate::To(route_to(p)));
        (info.title.to_string(), result_detail(&library, info, position), (NavigateOnTap(go), OpensResult))
    });
}

/// 热门搜索 chips, then a chip for each section, scrolling when they do not fit.
fn spawn_starting_points(commands: &mut Commands, parent: Entity, hot: &[String], ui: &Ui) {
    let parent = commands.spawn((ChildOf(parent), scroll_area())).id();
    if !hot.is_empty() {
        commands.spawn((ChildOf(parent), section_heading("热门搜索", ui)));
        let chips = spawn_chip_bar(commands, parent);
        for search in hot {
            commands.spawn((ChildOf(chips), chip(search.clone(), false, ui), SearchOnTap(search.clone())));
        }
    }
    commands.spawn((ChildOf(parent), section_heading("分类浏览", ui)));
    let chips = spawn_chip_bar(commands, parent);
    for (screen, name) in SECTIONS {
        commands.spawn((ChildOf(chips), chip(name, false, ui), NavigateOnTap(Navigate::To(Route::to(screen)))));
    }
}

/// Where a search result opens.
fn route_to(position: Position) -> Route {
    match position {
        Position::Document(i) => Route::opening(Screen::Reader, i),
        Position::CatalogueItem { domain, item } => Route { domain: Some(domain), open: Some(item), ..Route::to(Screen::Catalogue) },
        Position::Guide(i) => Route::opening(Screen::Guides, i),
        Position::Interpretation(i) => Route::opening(Screen::Interpretations, i),
        Position::KeyWork(i) => Route::opening(Screen::KeyWork, i),
        Position::Notice(i) => Route::opening(Screen::Notices, i),
        Position::Consultation(i) => Route::opening(Screen::Consultations, i),
        Position::CommunityPost { community, post } => Route { domain: Some(community), open: Some(post), ..Route::to(Screen::Community) },
        Position::AdminRecord(i) => Route::opening(Screen::AdminRecords, i),
    }
}

/// The line under a result: its kind, and for a part what it belongs to.
fn result_detail(library: &Library, info: RecordInfo, position: Option<Position>) -> String {
    let content = &library.content;
    let owner = match (info.kind, position) {
        (RecordKind::Attachment, Some(Position::Document(i))) => content.documents.get(i).map(|d| format!("《{}》", d.title)),
        (RecordKind::Milestone, Some(Position::KeyWork(i))) => content.key_work.get(i).map(|k| k.title.clone()),
        (RecordKind::CommunityPost, Some(Position::CommunityPost { community, .. })) => content.communities.get(community).map(|c| c.name.clone()),
        _ => None,
    };
    owner.map_or_else(|| info.kind.label().to_string(), |owner| format!("{} · {owner}", info.kind.label()))
}

/// Spawns the keyboard and returns its height.
fn spawn_keyboard(commands: &mut Commands, parent: Entity, ui: &Ui) -> f32 {
    let theme = &ui.theme;
    let key_side = theme.tap_height();
    // Portrait keyboards use the width; 关怀模式 keys are larger, so fewer fit a row.
    let fitting = ((theme.content_width() + 8.0) / (key_side + 16.0)).floor() as usize;
    let columns = if theme.portrait { fitting.clamp(6, 10) } else { 7 };
    let keys: Vec<(String, Key)> = ('A'..='Z')
        .chain('0'..='9')
        .map(|c| (c.to_string(), Key::Char(c)))
        .chain([("删除".to_string(), Key::Backspace), ("清空".to_string(), Key::Clear)])
        .collect();
    let rows = keys.len().div_ceil(columns);
    let grid = commands
        .spawn((
            ChildOf(parent),
            Node {
                display: Display::Grid,
                grid_template_columns: RepeatedGridTrack::px(columns as u16, key_side + 8.0),
                grid_auto_rows: vec![GridTrack::px(key_side)],
                row_gap: px(10),
                column_gap: px(8),
                flex_shrink: 0.0,
                align_self: AlignSelf::Center,
                ..default()
            },
        ))
        .id();
    for (text, key) in keys {
        let wide = !matches!(key, Key::Char(_));
        let mut node = Node { padding: UiRect::all(px(4)), ..default() };
        if wide {
            node.grid_column = GridPlacement::span(2);
        }
        commands.spawn((ChildOf(grid), button(text, ui, ButtonStyle::Secondary), key)).insert(node_merge(node, key_side));
    }
    rows as f32 * (key_side + 10.0)
}

/// Keys are square buttons; wide keys span two columns.
fn node_merge(node: Node, side: f32) -> Node {
    Node {
        min_height: px(side),
        justify_content: JustifyContent::Center,
        align_items: AlignItems::Center,
        border: UiRect::all(px(2)),
        border_radius: BorderRadius::all(px(10)),
        ..node
    }
}

fn type_key(click: On<Pointer<Click>>, keys: Query<&Key>, mut text: ResMut<SearchText>, mut navigate: MessageWriter<Navigate>) {
    let Ok(key) = keys.get(click.entity) else { return };
    match *key {
        Key::Char(c) if text.0.chars().count() < MAX_QUERY => text.0.push(c.to_ascii_lowercase()),
        Key::Char(_) => return,
        Key::Backspace => {
            text.0.pop();
        }
        Key::Clear => text.0.clear(),
    }
    navigate.write(Navigate::Replace(Route::to(Screen::Search)));
}

fn search_on_tap(click: On<Pointer<Click>>, chips: Query<&SearchOnTap>, mut text: ResMut<SearchText>, mut navigate: MessageWriter<Navigate>) {
    let Ok(SearchOnTap(search)) = chips.get(click.entity) else { return };
    text.0.clone_from(search);
    navigate.write(Navigate::Replace(Route::to(Screen::Search)));
}

fn count_opened_search(click: On<Pointer<Click>>, rows: Query<(), With<OpensResult>>, text: Res<SearchText>, clock: Res<HallClock>, mut hot: ResMut<HotSearches>) {
    if rows.contains(click.entity) {
        hot.0.record(&text.0, clock.now().date());
    }
}

fn forget(mut text: ResMut<SearchText>) {
    text.0.clear();
}
