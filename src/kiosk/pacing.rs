//! How often an unchanging screen wakes up: every 5 s at rest (the clock's minute, the idle
//! timeout, the attract loop's next highlight), every second while the idle countdown is on
//! screen. A touch wakes it at once, and animations ask for frames while they move.

use std::time::Duration;

use bevy::{
    prelude::*,
    winit::{UpdateMode, WinitSettings},
};

use super::idle::CountdownOverlay;

pub fn plugin(app: &mut App) {
    app.add_systems(Last, pace.run_if(resource_exists::<WinitSettings>));
}

const AT_REST: Duration = Duration::from_secs(5);
const COUNTING_DOWN: Duration = Duration::from_secs(1);

/// The update mode for a window that shows the kiosk.
pub fn reactive(wait: Duration) -> WinitSettings {
    let mode = UpdateMode::reactive(wait);
    WinitSettings { focused_mode: mode, unfocused_mode: mode }
}

pub fn at_rest() -> WinitSettings {
    reactive(AT_REST)
}

fn pace(mut settings: ResMut<WinitSettings>, overlays: Query<(), With<CountdownOverlay>>) {
    let wait = if overlays.is_empty() { AT_REST } else { COUNTING_DOWN };
    let wanted = UpdateMode::reactive(wait);
    if settings.focused_mode != wanted {
        *settings = reactive(wait);
    }
}
