//! The hidden way into the admin panel: five taps in the bottom-left corner within 3 s.
//! It reads raw pointer input, so the corner needs no node and blocks nothing beneath it.

use bevy::{
    picking::pointer::{PointerAction, PointerInput},
    prelude::*,
};

use super::navigation::{Navigate, Route, Screen};

pub fn plugin(app: &mut App) {
    app.add_systems(Update, count_corner_taps);
}

const TAPS: usize = 5;
const WITHIN_S: f32 = 3.0;
/// The corner square, in logical pixels.
const CORNER: f32 = 96.0;

fn count_corner_taps(
    mut input: MessageReader<PointerInput>,
    windows: Query<&Window>,
    time: Res<Time<Real>>,
    mut taps: Local<Vec<f32>>,
    mut navigate: MessageWriter<Navigate>,
    screen: Res<State<Screen>>,
) {
    let Some(window) = windows.iter().next() else { return };
    let now = time.elapsed_secs();
    for event in input.read() {
        let PointerAction::Press(_) = event.action else { continue };
        let at = event.location.position;
        if at.x <= CORNER && at.y >= window.height() - CORNER {
            taps.push(now);
        }
    }
    taps.retain(|t| now - t <= WITHIN_S);
    if taps.len() >= TAPS {
        taps.clear();
        if *screen.get() != Screen::Admin {
            navigate.write(Navigate::To(Route::to(Screen::Admin)));
        }
    }
}
