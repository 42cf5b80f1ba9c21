//! Full screen with or without a window manager. Borderless full screen is a request to the
//! window manager; a kiosk started straight from `xinit` has none, and its window stayed at
//! winit's default 800×600 in the top-left corner while Bevy believed it was full screen.
//! So the real window is also placed on the monitor and given the monitor's size, which a
//! window manager that made it full screen has already done.

use std::time::{Duration, Instant};

use bevy::{
    ecs::system::NonSendMarker,
    prelude::*,
    window::{Monitor, PrimaryMonitor, PrimaryWindow, WindowMode},
    winit::WINIT_WINDOWS,
};
use winit::dpi::{PhysicalPosition, PhysicalSize};

pub fn plugin(app: &mut App) {
    app.add_systems(Update, cover_monitor);
}

/// How long to give the X server (or a window manager) to answer before asking again.
const ANSWER_WAIT: Duration = Duration::from_secs(2);

fn cover_monitor(
    windows: Query<(Entity, &Window), With<PrimaryWindow>>,
    monitors: Query<(&Monitor, Has<PrimaryMonitor>)>,
    mut asked: Local<Option<Instant>>,
    // winit's windows live on the main thread.
    _main_thread: NonSendMarker,
) {
    let Ok((entity, window)) = windows.single() else { return };
    if !matches!(window.mode, WindowMode::BorderlessFullscreen(_)) || asked.is_some_and(|at| at.elapsed() < ANSWER_WAIT) {
        return;
    }
    // The primary monitor, or the first one when none is marked primary.
    let Some((monitor, _)) = monitors.iter().max_by_key(|(_, primary)| *primary) else { return };
    WINIT_WINDOWS.with_borrow(|winit_windows| {
        let Some(real) = winit_windows.get_window(entity) else { return };
        let origin = PhysicalPosition::new(monitor.physical_position.x, monitor.physical_position.y);
        let size = PhysicalSize::new(monitor.physical_width, monitor.physical_height);
        if real.inner_size() == size && real.outer_position().is_ok_and(|at| at == origin) {
            return;
        }
        real.set_outer_position(origin);
        let _ = real.request_inner_size(size);
        *asked = Some(Instant::now());
    });
}
