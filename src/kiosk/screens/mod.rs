//! One file a screen; each screen's entities live only while its `Screen` state is active.

mod home;
mod out_of_service;

use bevy::prelude::*;

use super::ShownContent;

#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Home,
    /// No content passed the checker: say so plainly instead of showing nothing.
    OutOfService,
}

pub fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_systems(Startup, (spawn_camera, leave_home_without_content))
        .add_plugins((home::plugin, out_of_service::plugin));
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

fn leave_home_without_content(shown: Res<ShownContent>, mut next: ResMut<NextState<Screen>>) {
    if shown.0.is_none() {
        next.set(Screen::OutOfService);
    }
}
