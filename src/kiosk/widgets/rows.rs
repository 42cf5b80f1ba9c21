//! List rows, labelled fields, section headings and the pager under a list.

use bevy::prelude::*;

use super::{
    button::{ButtonStyle, button},
    text::{Ui, fit, label, paragraph},
    urgent_banner::urgent_banner_height,
};
use gongkai_core::{library::Library, listing::Pages, number_format};
use crate::kiosk::navigation::{Navigate, NavigateOnTap, Route};

/// A tappable row: a title of at most two lines and a muted line under it.
pub fn list_row(title: &str, detail: &str, ui: &Ui) -> impl Bundle {
    let theme = &ui.theme;
    let room = theme.content_width() - 64.0;
    (
        Button,
        Node {
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::Center,
            min_height: px(theme.tap_height()),
            padding: UiRect::axes(px(24), px(10)),
            row_gap: px(4),
            border_radius: BorderRadius::all(px(theme.radius())),
            flex_shrink: 0.0,
            ..default()
        },
        BackgroundColor(theme.colors.surface),
        children![
            label(fit(title, 2.0 * room / theme.body()), ui, theme.body(), theme.colors.text, true),
            label(fit(detail, room / theme.caption()), ui, theme.caption(), theme.colors.text_muted, false),
        ],
    )
}

/// A row's height, for working out how many rows a page holds.
pub fn list_row_height(ui: &Ui) -> f32 {
    let theme = &ui.theme;
    (theme.body() * 2.0 + theme.caption()) * 1.4 + 24.0
}

/// `名称：值` on one line, wrapping under the name when long.
pub fn field_row(name: &str, value: &str, ui: &Ui) -> impl Bundle {
    let theme = &ui.theme;
    (
        Node { column_gap: px(12), width: percent(100), ..default() },
        children![
            (label(format!("{name}："), ui, theme.body(), theme.colors.text_muted, false), Node { flex_shrink: 0.0, ..default() }),
            paragraph(value, ui, theme.body(), theme.colors.text),
        ],
    )
}

/// Where documents or 解读 would be listed while a start's cover is shown (`first_content`).
pub fn still_loading(library: &Library, ui: &Ui) -> impl Bundle {
    let to_come = library.to_come();
    let (documents, interpretations) = (number_format::grouped(to_come.documents as u64), number_format::grouped(to_come.interpretations as u64));
    paragraph(format!("本专区的 {documents} 件政府文件和 {interpretations} 篇政策解读正在载入，请稍候片刻。"), ui, ui.theme.body(), ui.theme.colors.text_muted)
}

pub fn section_heading(text: &str, ui: &Ui) -> impl Bundle {
    label(text, ui, ui.theme.heading(), ui.theme.colors.accent_text, true)
}

/// 上一页 / 第 n / m 页 / 下一页 for the list of `route`.
pub fn pager(pages: Pages, route: Route, ui: &Ui, commands: &mut Commands, parent: Entity) {
    let bar = commands
        .spawn((
            ChildOf(parent),
            Node {
                column_gap: px(ui.theme.gap()),
                align_items: AlignItems::Center,
                justify_content: JustifyContent::Center,
                flex_shrink: 0.0,
                margin: UiRect::top(Val::Auto),
                ..default()
            },
        ))
        .id();
    if pages.has_previous() {
        let previous = route.at_page(pages.current - 1);
        commands.spawn((ChildOf(bar), button("上一页", ui, ButtonStyle::Secondary), NavigateOnTap(Navigate::Replace(previous))));
    }
    commands.spawn((ChildOf(bar), label(pages.label(), ui, ui.theme.body(), ui.theme.colors.text, false)));
    if pages.has_next() {
        let next = route.at_page(pages.current + 1);
        commands.spawn((ChildOf(bar), button("下一页", ui, ButtonStyle::Secondary), NavigateOnTap(Navigate::Replace(next))));
    }
}

/// One page of a list of `total` rows under what is already in `body`: only that page's rows
/// are spawned, so a list of 10^5 documents costs what a list of ten does. `reserved` is the
/// height already taken in the body (filters, headings); `row` gives a row's title, detail
/// and what tapping it does (a component such as `NavigateOnTap`).
pub fn paged_list<B: Bundle>(
    commands: &mut Commands,
    body: Entity,
    ui: &Ui,
    route: Route,
    total: usize,
    reserved: f32,
    row: impl Fn(usize) -> (String, String, B),
) {
    let theme = &ui.theme;
    let header = theme.tap_height() + 32.0;
    let room = theme.height - header - urgent_banner_height(ui) - reserved - theme.tap_height() - 3.0 * theme.gap();
    let per_page = (room / (list_row_height(ui) + 12.0)).floor().max(1.0) as usize;
    let mut pages = Pages::new(total, per_page);
    pages.step(route.page as isize);
    let list = commands
        .spawn((ChildOf(body), Node { flex_direction: FlexDirection::Column, row_gap: px(12), ..default() }))
        .id();
    if total == 0 {
        commands.spawn((ChildOf(list), label("暂无内容", ui, theme.body(), theme.colors.text_muted, false)));
    }
    for i in pages.rows() {
        let (title, detail, on_tap) = row(i);
        commands.spawn((ChildOf(list), list_row(&title, &detail, ui), on_tap));
    }
    pager(pages, route, ui, commands, body);
}
