//! When the screen is drawn. An unchanging screen wakes every 5 s at rest (the clock's minute,
//! the idle timeout, the attract loop's next highlight) and every second while the idle
//! countdown is on screen. A touch wakes it at once, animations ask for frames while they
//! move, and after anything on screen changed it draws a few more frames, so that the frame
//! the monitor shows is never one from before the last change.

use std::time::Duration;

use bevy::{
    prelude::*,
    text::TextLayoutInfo,
    window::{RequestRedraw, WindowResized},
    winit::{UpdateMode, WinitSettings},
};

use super::{
    idle::{CountdownOverlay, IdleClock, IdleSettings},
    navigation::Screen,
    theme::UiFonts,
};

pub fn plugin(app: &mut App) {
    app.add_systems(Last, (pace.run_if(resource_exists::<WinitSettings>), draw_until_settled));
}

const AT_REST: Duration = Duration::from_secs(5);
const COUNTING_DOWN: Duration = Duration::from_secs(1);
/// A little after the countdown is due, so that the frame that wakes finds it due.
const COUNTDOWN_GRACE: Duration = Duration::from_millis(20);

/// The update mode for a window that shows the kiosk.
pub fn reactive(wait: Duration) -> WinitSettings {
    let mode = UpdateMode::reactive(wait);
    WinitSettings { focused_mode: mode, unfocused_mode: mode }
}

pub fn at_rest() -> WinitSettings {
    reactive(AT_REST)
}

/// Waits at most until the idle countdown is due, so it appears on time.
fn pace(
    mut settings: ResMut<WinitSettings>,
    overlays: Query<(), With<CountdownOverlay>>,
    idle: (Res<IdleClock>, Res<IdleSettings>, Res<Time<Real>>),
    screen: Res<State<Screen>>,
) {
    let (clock, idle_settings, time) = idle;
    let visitor_may_be_here = !matches!(screen.get(), Screen::Attract | Screen::OutOfService | Screen::Wall);
    let wait = if !overlays.is_empty() {
        COUNTING_DOWN
    } else if visitor_may_be_here {
        AT_REST.min(clock.countdown_due_in(&idle_settings, time.elapsed_secs()).max(COUNTDOWN_GRACE))
    } else {
        AT_REST
    };
    let wanted = UpdateMode::reactive(wait);
    if settings.focused_mode != wanted {
        *settings = reactive(wait);
    }
}

type OnScreenChange = Or<(
    Changed<ComputedNode>,
    Changed<UiGlobalTransform>,
    Changed<TextLayoutInfo>,
    Changed<BackgroundColor>,
    Changed<ImageNode>,
    Changed<InheritedVisibility>,
)>;

/// Frames drawn after the last change. A new screen is entered in the frame after it was
/// asked for, a frame reaches the monitor while the next one runs, and the frames around a
/// change of window size may be dropped while the surface is rebuilt.
const FRAMES_AFTER_A_CHANGE: u8 = 3;

/// More frames while the picture is still changing, and a few after: fonts finish loading
/// off this thread and the resized window settles, neither of which wakes the loop itself.
fn draw_until_settled(
    changed: Query<(), OnScreenChange>,
    mut removed: RemovedComponents<Node>,
    mut resized: MessageReader<WindowResized>,
    next_screen: Res<NextState<Screen>>,
    assets: Res<AssetServer>,
    fonts: Res<UiFonts>,
    mut frames_left: Local<u8>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let fonts_loading = [&fonts.regular, &fonts.bold].into_iter().any(|font| assets.load_state(font).is_loading());
    let pending_screen = matches!(*next_screen, NextState::Pending(_) | NextState::PendingIfNeq(_));
    let removed_any = removed.read().count() > 0;
    let resized_any = resized.read().count() > 0;
    if fonts_loading || pending_screen || removed_any || resized_any || !changed.is_empty() {
        *frames_left = FRAMES_AFTER_A_CHANGE;
    }
    if *frames_left > 0 {
        *frames_left -= 1;
        redraw.write(RequestRedraw);
    }
}
