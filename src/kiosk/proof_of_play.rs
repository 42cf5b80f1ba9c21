//! Proof of play from the screen's side: each wall page when it leaves the stage or is covered
//! (its start and how long it was seen), and each screen a visitor opens, counted into the
//! play log that the heartbeat carries to the hub. Nothing about the visitor goes in.

use std::{
    sync::{Arc, Mutex},
    time::Instant,
};

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
        (wall_page_on_stage.run_if(resource_exists::<WallSettings>), screen_opened.run_if(on_message::<StateTransitionEvent<Screen>>))
            .run_if(resource_exists::<Plays>),
    );
}

/// The wall page being played: its entity, title, start (Unix seconds, for the record) and
/// start by the monotonic clock (for its duration, which a clock set by NTP must not bend).
#[derive(Resource, Default)]
struct OnStage(Option<(Entity, &'static str, i64, Instant)>);

/// A page plays while it is on the wall's stage and nothing covers it: an urgent notice or the
/// admin panel ends its play, and the page seen again afterwards starts a new one.
fn wall_page_on_stage(
    player: Res<Player>,
    screen: Res<State<Screen>>,
    settings: Res<WallSettings>,
    mut on_stage: ResMut<OnStage>,
    plays: Res<Plays>,
) {
    let visible = (*screen.get() == Screen::Wall && !player.paused)
        .then(|| player.page().zip(player.entry()))
        .flatten()
        .and_then(|(page, entry)| settings.playlist.entries.get(entry).map(|e| (page, e.page.label())));
    if on_stage.0.map(|(page, ..)| page) == visible.map(|(page, _)| page) {
        return;
    }
    if let (Some((_, title, started_at, since)), Ok(mut log)) = (on_stage.0, plays.0.lock()) {
        // To the nearest second: a 2 s page that slid off after 1.98 s played 2 s, not 1.
        log.page_shown(title, started_at, since.elapsed().as_secs_f64().round().min(f64::from(u32::MAX)) as u32);
    }
    on_stage.0 = visible.map(|(page, title)| (page, title, chrono::Utc::now().timestamp(), Instant::now()));
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
