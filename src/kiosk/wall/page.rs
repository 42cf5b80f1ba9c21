//! One wall page: a dashboard with its title, filling the stage, arranged for the wall's shape.

use bevy::prelude::*;
use chrono::NaiveDateTime;

use super::{WallSettings, frame::FrameMetrics};
use gongkai_core::{dashboards::{self, DashboardKind}, library::Library, wall::LayoutClass};
use crate::kiosk::{charts::spawn_dashboard, widgets::{QrMaker, Ui, fit, label}};

/// Width of a strip's title block, logical pixels.
const STRIP_TITLE_W: f32 = 260.0;

#[allow(clippy::too_many_arguments)]
pub fn spawn_page(
    commands: &mut Commands,
    stage: Entity,
    kind: DashboardKind,
    library: &Library,
    settings: &WallSettings,
    now: NaiveDateTime,
    ui: &Ui,
    qr: &mut QrMaker,
) -> Entity {
    let theme = &ui.theme;
    let colors = &theme.colors;
    let metrics = FrameMetrics::of(theme);
    let context = dashboards::Context { now, community: settings.community.as_deref() };
    let dashboard = dashboards::build(kind, library, &context);
    let strip = theme.class == LayoutClass::Strip;
    let page = commands
        .spawn((
            ChildOf(stage),
            Node {
                position_type: PositionType::Absolute,
                left: px(0),
                top: px(0),
                width: percent(100),
                height: percent(100),
                padding: UiRect::all(px(metrics.margin)),
                flex_direction: if strip { FlexDirection::Row } else { FlexDirection::Column },
                column_gap: px(metrics.margin),
                row_gap: px(16),
                ..default()
            },
            UiTransform::default(),
            BackgroundColor(colors.background),
        ))
        .id();
    let (title_w, area) = if strip {
        (STRIP_TITLE_W, Vec2::new(metrics.page.x - STRIP_TITLE_W - metrics.margin, metrics.page.y))
    } else {
        let title_h = (theme.heading() * 1.25).round();
        (metrics.page.x, Vec2::new(metrics.page.x, metrics.page.y - title_h - 16.0))
    };
    commands.spawn((
        ChildOf(page),
        Node { width: px(title_w), flex_shrink: 0.0, align_items: AlignItems::Center, ..default() },
        children![label(fit(&dashboard.title, title_w / theme.heading()), ui, theme.heading(), colors.accent_text, true)],
    ));
    let body = commands.spawn((ChildOf(page), Node { width: px(area.x), height: px(area.y), flex_shrink: 0.0, ..default() })).id();
    spawn_dashboard(commands, body, &dashboard, area, theme.class, ui, qr);
    page
}
