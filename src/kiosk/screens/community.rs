//! 居(村)务公开: a chip for each community or village, its latest accounts in one line, and its
//! posts (decisions, projects, 惠民政策) newest first; one post with its text.

use bevy::prelude::*;

use gongkai_core::{content::model::{Community, CommunityPost, MoneyFlow}, number_format::yuan};
use crate::kiosk::{
    Navigation, Shown,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    scroll::scroll_area,
    widgets::{Ui, chip, chip_rows, chip_rows_height, field_row, label, paged_list, paragraph, spawn_chip_bar, spawn_page, text_width_em},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Community), spawn);
}

/// `domain` is the community shown (the first when none is chosen), `open` a post by its place
/// in `Community::posts`.
fn spawn(mut commands: Commands, shown: Res<Shown>, navigation: Res<Navigation>, ui: Ui) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let communities = &library.content.communities;
    let body = spawn_page(&mut commands, Screen::Community, "居(村)务公开", &ui);
    let chosen = route.domain.unwrap_or(0);
    let Some(community) = communities.get(chosen) else {
        commands.spawn((ChildOf(body), label("暂无内容", &ui, ui.theme.body(), ui.theme.colors.text_muted, false)));
        return;
    };
    let posts: Vec<(&str, &CommunityPost)> = community.posts().collect();
    if let Some((heading, post)) = route.open.and_then(|i| posts.get(i)) {
        spawn_post(&mut commands, body, &ui, community, heading, post);
        return;
    }
    let theme = &ui.theme;
    let chips = spawn_chip_bar(&mut commands, body);
    for (i, c) in communities.iter().enumerate() {
        let go = Navigate::Replace(Route { domain: Some(i), ..Route::to(Screen::Community) });
        commands.spawn((ChildOf(chips), chip(c.name.clone(), i == chosen, &ui), NavigateOnTap(go)));
    }
    let accounts = accounts_line(community);
    let accounts_lines = (text_width_em(&accounts) * theme.body() / theme.content_width()).ceil();
    commands.spawn((ChildOf(body), paragraph(&accounts, &ui, theme.body(), theme.colors.text)));
    let mut order: Vec<usize> = (0..posts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(posts[i].1.published_on));
    let rows = chip_rows(communities.iter().map(|c| c.name.as_str()), &ui);
    let reserved = chip_rows_height(rows, &ui) + accounts_lines * theme.body() * 1.5 + theme.gap();
    paged_list(&mut commands, body, &ui, route, order.len(), reserved, |n| {
        let (heading, post) = posts[order[n]];
        let detail = format!("{heading} · {}", post.published_on.format("%Y年%-m月%-d日"));
        let go = Route { domain: Some(chosen), open: Some(order[n]), ..Route::to(Screen::Community) };
        (post.title.clone(), detail, NavigateOnTap(Navigate::To(go)))
    });
}

/// `… 财务公开：2026年第三季度 收入 12,000.50 元 · 支出 9,500 元`, or that none is published.
fn accounts_line(community: &Community) -> String {
    let Some(report) = community.finance.last() else { return format!("{} 财务公开：暂无", community.name) };
    format!(
        "{} 财务公开：{} 收入 {} 元 · 支出 {} 元",
        community.name,
        report.period,
        yuan(report.total(MoneyFlow::Income)),
        yuan(report.total(MoneyFlow::Expense))
    )
}

fn spawn_post(commands: &mut Commands, body: Entity, ui: &Ui, community: &Community, heading: &str, post: &CommunityPost) {
    let theme = &ui.theme;
    let ink = theme.colors.text;
    let area = commands.spawn((ChildOf(body), scroll_area())).id();
    commands.spawn((ChildOf(area), paragraph(&post.title, ui, theme.heading(), ink)));
    commands.spawn((ChildOf(area), field_row("发布单位", &format!("{} · {}", community.street, community.name), ui)));
    commands.spawn((ChildOf(area), field_row("类别", heading, ui)));
    commands.spawn((ChildOf(area), field_row("发布日期", &post.published_on.format("%Y年%-m月%-d日").to_string(), ui)));
    for line in post.body.split('\n').filter(|l| !l.trim().is_empty()) {
        commands.spawn((ChildOf(area), paragraph(line, ui, theme.body(), ink)));
    }
}
