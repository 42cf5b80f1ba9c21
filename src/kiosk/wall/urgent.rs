//! 紧急通知: while the content has a current urgent notice, it covers the whole wall (drawn
//! over the frame, so there is no blank frame on the way in or out) and the playlist waits.

use std::time::Duration;

use bevy::{prelude::*, time::common_conditions::on_timer};

use super::player::Player;
use gongkai_core::{dashboards, wall::LayoutClass};
use crate::kiosk::{
    Shown,
    content_updates::{ContentChanged, ContentSwap},
    hall_clock::HallClock,
    navigation::Screen,
    widgets::{Ui, fit, label, paragraph},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Wall), take_over)
        .add_systems(
            Update,
            take_over
                .run_if(in_state(Screen::Wall))
                .run_if(on_timer(Duration::from_secs(1)).or_eager(on_message::<ContentChanged>))
                .after(ContentSwap),
        );
}

/// The takeover, and the notice it shows.
#[derive(Component)]
pub struct UrgentTakeover(String);

fn take_over(
    mut commands: Commands,
    shown: Res<Shown>,
    clock: Res<HallClock>,
    mut player: ResMut<Player>,
    takeovers: Query<(Entity, &UrgentTakeover)>,
    ui: Ui,
) {
    let notice = shown.0.as_deref().and_then(|library| dashboards::urgent_notice(library, clock.now()));
    let showing = takeovers.iter().next();
    if showing.map(|(_, t)| &t.0) == notice.map(|n| &n.id) {
        return;
    }
    for (entity, _) in &takeovers {
        commands.entity(entity).despawn();
    }
    player.paused = notice.is_some();
    let Some(notice) = notice else { return };
    let theme = &ui.theme;
    let strip = theme.class == LayoutClass::Strip;
    let ink = theme.colors.on_urgent;
    let margin = if strip { 16.0 } else { theme.margin() * 1.5 };
    let root = commands
        .spawn((
            UrgentTakeover(notice.id.clone()),
            DespawnOnExit(Screen::Wall),
            GlobalZIndex(100),
            Node {
                position_type: PositionType::Absolute,
                width: percent(100),
                height: percent(100),
                padding: UiRect::all(px(margin)),
                flex_direction: FlexDirection::Column,
                justify_content: JustifyContent::Center,
                row_gap: px(if strip { 4.0 } else { 32.0 }),
                overflow: Overflow::clip(),
                ..default()
            },
            BackgroundColor(theme.colors.urgent),
        ))
        .id();
    let room = (theme.width - 2.0 * margin) / theme.title();
    let until = notice.expires_at.map(|end| format!("有效期至 {}", end.format("%-m月%-d日 %H:%M"))).unwrap_or_default();
    if strip {
        commands.spawn((ChildOf(root), label(fit(&format!("紧急通知：{}", notice.title), room), &ui, theme.title(), ink, true)));
        commands.spawn((ChildOf(root), label(fit(&format!("{} · {until}", notice.issuer), room * theme.title() / theme.body()), &ui, theme.body(), ink, false)));
        return;
    }
    commands.spawn((ChildOf(root), label("紧急通知", &ui, theme.figure(), ink, true)));
    commands.spawn((ChildOf(root), paragraph(notice.title.as_str(), &ui, theme.figure(), ink)));
    commands.spawn((ChildOf(root), paragraph(notice.body.as_str(), &ui, theme.title(), ink)));
    commands.spawn((ChildOf(root), label(format!("{} · {until}", notice.issuer), &ui, theme.heading(), ink, false)));
}
