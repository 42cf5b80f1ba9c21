//! 数据看板 on the kiosk: the wall's dashboards (政务公开现状, 重点工作, 行政权力运行结果) one at a
//! time behind tabs, drawn with the same chart widgets in the kiosk's look.

use bevy::prelude::*;

use gongkai_core::{dashboards::{self, DashboardKind}, wall::LayoutClass};
use crate::kiosk::{
    Shown, charts::spawn_dashboard,
    hall_clock::HallClock,
    navigation::{Navigate, NavigateOnTap, Navigation, Route, Screen},
    widgets::{ButtonStyle, QrMaker, Ui, button, spawn_page, urgent_banner_height},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Dashboard), spawn);
}

/// The tabs, in order; `Route::open` is the tab shown.
pub const TABS: [(DashboardKind, &str); 3] =
    [(DashboardKind::Disclosure, "政务公开"), (DashboardKind::KeyWork, "重点工作"), (DashboardKind::AdminResults, "行政权力")];

fn spawn(mut commands: Commands, shown: Res<Shown>, navigation: Res<Navigation>, clock: Res<HallClock>, ui: Ui, mut qr: QrMaker) {
    let Some(library) = shown.0.clone() else { return };
    let theme = &ui.theme;
    let tab = navigation.current.open.unwrap_or(0).min(TABS.len() - 1);
    let body = spawn_page(&mut commands, Screen::Dashboard, "数据看板", &ui);
    let tabs = commands.spawn((ChildOf(body), Node { column_gap: px(theme.gap()), flex_shrink: 0.0, ..default() })).id();
    for (i, (_, name)) in TABS.iter().enumerate() {
        let style = if i == tab { ButtonStyle::Primary } else { ButtonStyle::Secondary };
        let route = Route { open: Some(i), ..Route::to(Screen::Dashboard) };
        commands.spawn((ChildOf(tabs), button(*name, &ui, style), NavigateOnTap(Navigate::Replace(route))));
    }
    // What the page frame leaves: its header and urgent band, the body's padding, the tabs and a gap.
    let header = theme.tap_height().max(theme.title() * 1.25) + 32.0 + urgent_banner_height(&ui);
    let area = Vec2::new(theme.content_width(), theme.height - header - 3.0 * theme.gap() - theme.tap_height() - 8.0);
    let context = dashboards::Context { now: clock.now(), community: None };
    let dashboard = dashboards::build(TABS[tab].0, &library, &context);
    let class = if theme.portrait { LayoutClass::Portrait } else { LayoutClass::Landscape };
    let holder = commands.spawn((ChildOf(body), Node { width: px(area.x), height: px(area.y), flex_shrink: 0.0, ..default() })).id();
    spawn_dashboard(&mut commands, holder, &dashboard, area, class, &ui, &mut qr);
}
