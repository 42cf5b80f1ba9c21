//! 搜索: an on-screen keyboard (pinyin initials A–Z, digits, 删除, 清空) or a 手写 pad with
//! its candidates and 联想, and the results of every kind, searched on every key with the same
//! index as `gongkai search`. Before anything is typed it offers 热门搜索 and the sections to
//! browse.

use bevy::prelude::*;

use super::detail_layout::split;
use gongkai_core::{
    library::{Library, Position},
    search::{RecordInfo, RecordKind, SearchQuery, SearchTally},
};
use crate::kiosk::{
    Navigation, Shown, Theme,
    hall_clock::HallClock,
    handwriting::{Handwriting, spawn_pad},
    idle::VisitorLeft,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    screen_capture::VisitorInput,
    scroll::scroll_area,
    widgets::{ButtonStyle, Ui, button, chip, still_loading, label, paged_list, section_heading, spawn_chip_bar, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.init_resource::<SearchText>()
        .init_resource::<HotSearches>()
        .add_systems(OnEnter(Screen::Search), spawn)
        .add_systems(Update, forget.run_if(on_message::<VisitorLeft>))
        .add_observer(type_key)
        .add_observer(write_char)
        .add_observer(switch_input)
        .add_observer(search_on_tap)
        .add_observer(count_opened_search);
}

/// What the visitor has typed.
#[derive(Resource, Default, Debug)]
pub struct SearchText(pub String);

/// The searches that led to a result today on this kiosk, for 热门搜索 when the content sets none.
#[derive(Resource, Default, Debug)]
struct HotSearches(SearchTally);

/// How the visitor enters the search: the keyboard or the 手写 pad.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    #[default]
    Keyboard,
    Handwriting,
}

/// 搜索 with the keyboard, or with the 手写 pad (held in the route's `domain`), so that 返回
/// from a result comes back to the same input.
pub fn route(mode: InputMode) -> Route {
    Route { domain: (mode == InputMode::Handwriting).then_some(1), ..Route::to(Screen::Search) }
}

fn mode_of(route: Route) -> InputMode {
    if route.domain.is_some() { InputMode::Handwriting } else { InputMode::Keyboard }
}

/// The search shown again after an input, from its first page of results and in the same mode.
pub fn refresh(navigation: &Navigation) -> Navigate {
    Navigate::Replace(navigation.current.at_page(0))
}

/// On a 拼音 or 手写 tab.
#[derive(Component)]
struct InputTab(InputMode);

/// On a candidate or 联想 chip: tapping it adds the character to the search.
#[derive(Component)]
struct WriteChar(char);

/// Candidates and 联想 offered at once.
const CHAR_CHOICES: usize = 5;

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
    /// Clears the 手写 pad.
    Rewrite,
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
    handwriting: Option<Res<Handwriting>>,
    ui: Ui,
) {
    let Some(library) = shown.0.clone() else { return };
    let theme = &ui.theme;
    let body = spawn_page(&mut commands, Screen::Search, "搜索", &ui);
    // The keyboard goes under the results on portrait screens.
    let halves = commands.spawn((ChildOf(body), split(&ui, FlexDirection::ColumnReverse))).id();
    let handwriting = handwriting.filter(|h| h.recogniser.is_some());
    let input = commands
        .spawn((
            ChildOf(halves),
            // As wide as the keyboard in either mode, so nothing moves when candidates appear.
            Node { width: px(keyboard_width(theme)), flex_direction: FlexDirection::Column, row_gap: px(12), flex_shrink: 0.0, align_items: AlignItems::Center, ..default() },
        ))
        .id();
    let mode = if handwriting.is_some() { mode_of(navigation.current) } else { InputMode::Keyboard };
    let mut keyboard_height = 0.0;
    if handwriting.is_some() {
        keyboard_height += spawn_mode_tabs(&mut commands, input, mode, &ui);
    }
    keyboard_height += match (mode, &handwriting) {
        (InputMode::Handwriting, Some(handwriting)) => spawn_handwriting(&mut commands, input, handwriting, &library, &text.0, &ui),
        _ => spawn_keyboard(&mut commands, input, &ui),
    };
    let results = commands
        .spawn((ChildOf(halves), Node { flex_grow: 1.0, flex_direction: FlexDirection::Column, row_gap: px(12), min_height: px(0), ..default() }))
        .id();
    // What was typed shows in the results as much as in the query line; what is being
    // written shows on the pad and in its candidates.
    if !text.0.is_empty() {
        commands.entity(results).insert(VisitorInput);
    }
    if mode == InputMode::Handwriting {
        commands.entity(input).insert(VisitorInput);
    }
    let hint = match mode {
        InputMode::Keyboard => "请用左侧键盘输入拼音首字母或数字",
        InputMode::Handwriting => "请在左侧手写板上写一个字，再点选",
    };
    let shown_text = if text.0.is_empty() { hint.to_string() } else { format!("搜索：{}", text.0) };
    let shown_text = if theme.portrait { shown_text.replace("左侧", "下方") } else { shown_text };
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
    if !library.is_complete() {
        commands.spawn((ChildOf(results), still_loading(&library, &ui)));
    }
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

/// 拼音 and 手写 tabs; returns their height.
fn spawn_mode_tabs(commands: &mut Commands, parent: Entity, mode: InputMode, ui: &Ui) -> f32 {
    let tabs = spawn_chip_bar(commands, parent);
    for (name, tab) in [("拼音", InputMode::Keyboard), ("手写", InputMode::Handwriting)] {
        commands.spawn((ChildOf(tabs), chip(name, tab == mode, ui), InputTab(tab)));
    }
    ui.theme.tap_height() + 12.0
}

/// The candidates for the ink on the pad, or 联想 for the last character written, then the
/// pad and its keys; returns their height.
fn spawn_handwriting(commands: &mut Commands, parent: Entity, handwriting: &Handwriting, library: &Library, text: &str, ui: &Ui) -> f32 {
    let theme = &ui.theme;
    // Five key rows, but no more than fits beside the results in 关怀模式's larger keys.
    let side = ((theme.tap_height() + 10.0) * 5.0).min(440.0);
    let (heading, choices) = match (&handwriting.recogniser, text.chars().last()) {
        (Some(recogniser), _) if !handwriting.ink.strokes.is_empty() => {
            ("候选", recogniser.recognise(&handwriting.ink, &library.title_chars, CHAR_CHOICES))
        }
        (_, Some(last)) => ("联想", library.title_chars.after(last, CHAR_CHOICES).to_vec()),
        _ => ("候选", Vec::new()),
    };
    // The row keeps its height while empty, so the pad under it never moves.
    let row = commands
        .spawn((ChildOf(parent), Node { column_gap: px(12), min_height: px(theme.tap_height()), align_items: AlignItems::Center, flex_shrink: 0.0, ..default() }))
        .id();
    commands.spawn((ChildOf(row), label(heading, ui, theme.body(), theme.colors.text_muted, false)));
    for c in choices {
        commands.spawn((ChildOf(row), chip(c.to_string(), false, ui), WriteChar(c)));
    }
    spawn_pad(commands, parent, side, handwriting, ui);
    let keys = spawn_chip_bar(commands, parent);
    for (text, key) in [("重写", Key::Rewrite), ("删除", Key::Backspace), ("清空", Key::Clear)] {
        commands.spawn((ChildOf(keys), chip(text, false, ui), key));
    }
    side + 2.0 * (theme.tap_height() + 12.0)
}

/// Keys in a keyboard row. Portrait keyboards use the width; 关怀模式 keys are larger, so
/// fewer fit a row.
fn keyboard_columns(theme: &Theme) -> usize {
    let fitting = ((theme.content_width() + 8.0) / (theme.tap_height() + 16.0)).floor() as usize;
    if theme.portrait { fitting.clamp(6, 10) } else { 7 }
}

fn keyboard_width(theme: &Theme) -> f32 {
    let columns = keyboard_columns(theme) as f32;
    columns * (theme.tap_height() + 8.0) + (columns - 1.0) * 8.0
}

/// Spawns the keyboard and returns its height.
fn spawn_keyboard(commands: &mut Commands, parent: Entity, ui: &Ui) -> f32 {
    let theme = &ui.theme;
    let key_side = theme.tap_height();
    let columns = keyboard_columns(theme);
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

fn type_key(
    click: On<Pointer<Click>>,
    keys: Query<&Key>,
    mut text: ResMut<SearchText>,
    handwriting: Option<ResMut<Handwriting>>,
    navigation: Res<Navigation>,
    mut navigate: MessageWriter<Navigate>,
) {
    let Ok(key) = keys.get(click.entity) else { return };
    match *key {
        Key::Char(c) if text.0.chars().count() < MAX_QUERY => text.0.push(c.to_ascii_lowercase()),
        Key::Char(_) => return,
        Key::Backspace => {
            text.0.pop();
        }
        Key::Clear => text.0.clear(),
        Key::Rewrite => handwriting.into_iter().for_each(|mut h| h.clear()),
    }
    navigate.write(refresh(&navigation));
}

/// A candidate or 联想 chip: the character joins the search and the pad is cleared for the next.
fn write_char(
    click: On<Pointer<Click>>,
    chips: Query<&WriteChar>,
    mut text: ResMut<SearchText>,
    handwriting: Option<ResMut<Handwriting>>,
    navigation: Res<Navigation>,
    mut navigate: MessageWriter<Navigate>,
) {
    let Ok(WriteChar(c)) = chips.get(click.entity) else { return };
    if text.0.chars().count() < MAX_QUERY {
        text.0.push(*c);
    }
    handwriting.into_iter().for_each(|mut h| h.clear());
    navigate.write(refresh(&navigation));
}

fn switch_input(click: On<Pointer<Click>>, tabs: Query<&InputTab>, mut navigate: MessageWriter<Navigate>) {
    let Ok(InputTab(tab)) = tabs.get(click.entity) else { return };
    navigate.write(Navigate::Replace(route(*tab)));
}

fn search_on_tap(
    click: On<Pointer<Click>>,
    chips: Query<&SearchOnTap>,
    mut text: ResMut<SearchText>,
    navigation: Res<Navigation>,
    mut navigate: MessageWriter<Navigate>,
) {
    let Ok(SearchOnTap(search)) = chips.get(click.entity) else { return };
    text.0.clone_from(search);
    navigate.write(refresh(&navigation));
}

fn count_opened_search(click: On<Pointer<Click>>, rows: Query<(), With<OpensResult>>, text: Res<SearchText>, clock: Res<HallClock>, mut hot: ResMut<HotSearches>) {
    if rows.contains(click.entity) {
        hot.0.record(&text.0, clock.now().date());
    }
}

fn forget(mut text: ResMut<SearchText>) {
    text.0.clear();
}
