//! The wall's frame, which stays while pages slide through it: a header band with the
//! district's name and the clock, the stage the pages appear on, and the ticker band. A strip
//! has no room for a header: its clock sits at the end of the ticker band.

use bevy::prelude::*;

use super::clock::{ClockText, clock_text};
use gongkai_core::{dashboards, wall::LayoutClass};
use crate::kiosk::{
    hall_clock::HallClock,
    Shown,
    charts::{TickerBand, fill_ticker},
    content_updates::ContentChanged, navigation::Screen, theme::Theme,
    widgets::{Ui, label, screen_root},
};

pub fn plugin(app: &mut App) {
    app.add_systems(Update, refill_ticker.run_if(on_message::<ContentChanged>));
}

/// The node pages are put on.
#[derive(Component)]
pub struct Stage;

/// Sizes of the frame's parts in logical pixels.
pub struct FrameMetrics {
    pub header_h: f32,
    pub ticker_h: f32,
    pub margin: f32,
    /// What a page has inside the stage's margins.
    pub page: Vec2,
}

impl FrameMetrics {
    pub fn of(theme: &Theme) -> Self {
        let strip = theme.class == LayoutClass::Strip;
        let header_h = if strip { 0.0 } else { (theme.title() * 1.25 + 40.0).round() };
        let ticker_h = (ticker_px(theme) * 1.25 + 20.0).round();
        let margin = if strip { 16.0 } else { theme.margin() };
        let page = Vec2::new(theme.width - 2.0 * margin, theme.height - header_h - ticker_h - 2.0 * margin);
        Self { header_h, ticker_h, margin, page }
    }
}

fn ticker_px(theme: &Theme) -> f32 {
    if theme.class == LayoutClass::Strip { theme.caption() + 4.0 } else { theme.body() }
}

pub fn spawn(mut commands: Commands, ui: Ui, shown: Res<Shown>, clock: Res<HallClock>) {
    let Some(library) = shown.0.clone() else { return };
    let theme = &ui.theme;
    let colors = &theme.colors;
    let metrics = FrameMetrics::of(theme);
    let root = commands.spawn(screen_root(Screen::Wall, &ui)).id();
    let now = clock.now();
    let clock_label = (label(clock_text(now), &ui, theme.heading(), colors.on_primary, true), ClockText);
    if metrics.header_h > 0.0 {
        let site = &library.content.site;
        commands.spawn((
            ChildOf(root),
            Node {
                height: px(metrics.header_h),
                flex_shrink: 0.0,
                padding: UiRect::horizontal(px(metrics.margin)),
                align_items: AlignItems::Center,
                justify_content: JustifyContent::SpaceBetween,
                ..default()
            },
            BackgroundColor(colors.primary),
            children![label(format!("{}政务公开", site.district), &ui, theme.title(), colors.on_primary, true), clock_label],
        ));
    }
    commands.spawn((
        ChildOf(root),
        Stage,
        Node { flex_grow: 1.0, min_height: px(0), overflow: Overflow::clip(), ..default() },
    ));
    let footer = commands
        .spawn((
            ChildOf(root),
            Node { height: px(metrics.ticker_h), flex_shrink: 0.0, align_items: AlignItems::Center, column_gap: px(16), padding: UiRect::horizontal(px(metrics.margin)), ..default() },
            BackgroundColor(colors.primary),
        ))
        .id();
    commands.spawn((ChildOf(footer), Node { flex_shrink: 0.0, ..default() }, children![label("通知公告", &ui, ticker_px(theme), colors.accent_text, true)]));
    let band = commands.spawn((ChildOf(footer), TickerBand, Node { flex_grow: 1.0, min_width: px(0), overflow: Overflow::clip(), ..default() })).id();
    fill_ticker(&mut commands, band, &dashboards::ticker_lines(&library, now), ticker_px(theme), &ui);
    if metrics.header_h == 0.0 {
        commands.spawn((
            ChildOf(footer),
            Node { flex_shrink: 0.0, ..default() },
            children![(label(clock_text(now), &ui, ticker_px(theme), colors.on_primary, true), ClockText)],
        ));
    }
}

fn refill_ticker(mut commands: Commands, ui: Ui, shown: Res<Shown>, clock: Res<HallClock>, bands: Query<Entity, With<TickerBand>>) {
    let Some(library) = shown.0.as_deref() else { return };
    let lines = dashboards::ticker_lines(library, clock.now());
    for band in &bands {
        fill_ticker(&mut commands, band, &lines, ticker_px(&ui.theme), &ui);
    }
}
