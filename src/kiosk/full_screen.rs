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

/// How long to give the X server (or a window manager) to answer before asking again, and
/// how often to ask before leaving the window as a window manager insists on having it.
const ANSWER_WAIT: Duration = Duration::from_secs(2);
const ASKS: u8 = 3;

#[derive(Default)]
struct Asked {
    last: Option<Instant>,
    times: u8,
}

fn cover_monitor(
    windows: Query<(Entity, &Window), With<PrimaryWindow>>,
    monitors: Query<(&Monitor, Has<PrimaryMonitor>)>,
    mut asked: Local<Asked>,
    // winit's windows live on the main thread.
    _main_thread: NonSendMarker,
) {
    let Ok((entity, window)) = windows.single() else { return };
    let waiting = asked.last.is_some_and(|at| at.elapsed() < ANSWER_WAIT);
    if !matches!(window.mode, WindowMode::BorderlessFullscreen(_)) || waiting || asked.times > ASKS {
        return;
    }
    // The primary monitor, or the first one when none is marked primary.
    let Some((monitor, _)) = monitors.iter().min_by_key(|(_, primary)| !primary) else { return };
    WINIT_WINDOWS.with_borrow(|winit_windows| {
        let Some(real) = winit_windows.get_window(entity) else { return };
        let origin = PhysicalPosition::new(monitor.physical_position.x, monitor.physical_position.y);
        let size = PhysicalSize::new(monitor.physical_width, monitor.physical_height);
        if real.inner_size() == size && real.outer_position().is_ok_and(|at| at == origin) {
            return;
        }
        if asked.times == ASKS {
            let have = real.inner_size();
            eprintln!("the window stays {}×{}, not the monitor's {}×{}: the window manager keeps it so", have.width, have.height, size.width, size.height);
            asked.times += 1;
            return;
        }
        real.set_outer_position(origin);
        let _ = real.request_inner_size(size);
        *asked = Asked { last: Some(Instant::now()), times: asked.times + 1 };
    });
}
