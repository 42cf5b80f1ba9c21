//! The LED wall (`[wall]` in the config): no input, a playlist of dashboard pages sliding one
//! into the next inside a frame with the date, the time and a ticker of current notices; an
//! urgent notice takes over the whole wall until it expires.

mod clock;
mod frame;
mod page;
mod player;
mod urgent;

use bevy::prelude::*;

pub use player::{PageShown, Player};

use super::navigation::{Navigate, Route, Screen};
use gongkai_core::{dashboards::DashboardKind, wall::Playlist};

/// The wall's playlist and settings, from the config.
#[derive(Resource, Debug, Clone)]
pub struct WallSettings {
    pub playlist: Playlist,
    pub transition_s: f32,
    pub community: Option<String>,
}

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, enter_wall)
        // The frame first, then its first page on the frame's stage.
        .add_systems(OnEnter(Screen::Wall), (frame::spawn, player::start).chain())
        .add_plugins((clock::plugin, frame::plugin, player::plugin, urgent::plugin));
}

fn enter_wall(shown: Res<super::Shown>, mut navigate: MessageWriter<Navigate>) {
    if shown.0.is_some() {
        navigate.write(Navigate::Replace(Route::to(Screen::Wall)));
    }
}

/// The wall's pages by name, for `gongkai render --page NAME`: each holds its page.
pub fn named_routes(playlist: &Playlist) -> Vec<(&'static str, Route)> {
    playlist
        .pages()
        .into_iter()
        .map(|kind| (kind.name(), Route::opening(Screen::Wall, DashboardKind::ALL.iter().position(|k| *k == kind).unwrap_or(0))))
        .collect()
}
