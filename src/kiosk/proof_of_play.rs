//! Proof of play from the screen's side: each wall page when it leaves the stage (its start
//! and how long it stayed), and each screen a visitor opens, counted into the play log that
//! the heartbeat carries to the hub. Nothing about the visitor goes in.

use std::sync::{Arc, Mutex};

use bevy::prelude::*;

use super::{
    navigation::Screen,
    wall::{Player, WallSettings},
};
use gongkai_core::fleet::PlayLog;

/// The log shared with the heartbeat thread; present when the kiosk reports to a hub.
#[derive(Resource, Clone)]
pub struct Plays(pub Arc<Mutex<PlayLog>>);

pub fn plugin(app: &mut App) {
    app.init_resource::<OnStage>().add_systems(
        Update,
        (
            wall_page_changed.run_if(resource_exists::<WallSettings>.and_then(resource_changed::<Player>)),
            screen_opened.run_if(on_message::<StateTransitionEvent<Screen>>),
        )
            .run_if(resource_exists::<Plays>),
    );
}

/// The wall page on the stage, and since when (Unix seconds).
#[derive(Resource, Default)]
struct OnStage(Option<(Entity, &'static str, i64)>);

fn wall_page_changed(player: Res<Player>, settings: Res<WallSettings>, mut on_stage: ResMut<OnStage>, plays: Res<Plays>) {
    let (Some(page), Some(entry)) = (player.page(), player.entry()) else { return };
    if on_stage.0.is_some_and(|(shown, ..)| shown == page) {
        return;
    }
    let now = chrono::Utc::now().timestamp();
    let Some(kind) = settings.playlist.entries.get(entry).map(|e| e.page) else { return };
    if let (Some((_, title, since)), Ok(mut log)) = (on_stage.0, plays.0.lock()) {
        log.page_shown(title, since, u32::try_from(now - since).unwrap_or(0));
    }
    on_stage.0 = Some((page, kind.label(), now));
}

fn screen_opened(mut transitions: MessageReader<StateTransitionEvent<Screen>>, plays: Res<Plays>) {
    let now = chrono::Utc::now().timestamp();
    for transition in transitions.read() {
        let Some(title) = transition.entered.filter(|entered| transition.exited != Some(*entered)).and_then(Screen::visitor_title) else {
            continue;
        };
        if let Ok(mut log) = plays.0.lock() {
            log.screen_opened(title, now);
        }
    }
}
