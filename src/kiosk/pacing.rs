//! When the screen is drawn. An unchanging screen wakes every 5 s at rest (the clock's minute,
//! the attract loop's next highlight) and whenever something is due sooner (the idle
//! countdown and each of its seconds, the wall's next page). A touch wakes it at once,
//! animations ask for frames while they move, and after anything on screen changed it draws
//! a frame or a few more, so that the frame the monitor shows is never one from before the
//! last change.

use std::time::Duration;

use bevy::{
    prelude::*,
    text::TextLayoutInfo,
    window::{RequestRedraw, WindowResized},
    winit::{UpdateMode, WinitSettings},
};

use super::{navigation::Screen, theme::UiFonts};

pub fn plugin(app: &mut App) {
    app.add_systems(Last, (pace.run_if(resource_exists::<WinitSettings>), draw_after_changes));
}

const AT_REST: Duration = Duration::from_secs(5);
/// A little after a change is due, so that the frame that wakes finds it due.
const GRACE: Duration = Duration::from_millis(20);

/// The update mode for a window that shows the kiosk.
pub fn reactive(wait: Duration) -> WinitSettings {
    let mode = UpdateMode::reactive(wait);
    WinitSettings { focused_mode: mode, unfocused_mode: mode }
}

pub fn at_rest() -> WinitSettings {
    reactive(AT_REST)
}

/// The soonest that something on screen is due to change by itself: the idle countdown, the
/// wall's next page. Systems in `Update` lower it; the pacing sleeps no longer than that.
#[derive(Resource, Default)]
pub struct NextChange(Option<Duration>);

impl NextChange {
    pub fn within(&mut self, wait: Duration) {
        self.0 = Some(self.0.map_or(wait, |soonest| soonest.min(wait)));
    }
}

fn pace(mut settings: ResMut<WinitSettings>, mut next_change: ResMut<NextChange>) {
    let wait = next_change.0.take().map_or(AT_REST, |due| due.max(GRACE).min(AT_REST));
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

/// Frames drawn after the last change: one, because a new screen is entered in the frame
/// after it was asked for and a frame reaches the monitor while the next one runs; three
/// after the window was resized or the fonts came in, because frames around a new window
/// size may be dropped while the surface is rebuilt.
const FRAMES_AFTER_A_CHANGE: u8 = 1;
const FRAMES_AFTER_A_RESIZE: u8 = 3;

/// More frames while the picture is still changing, and a few after: fonts finish loading
/// off this thread and the resized window settles, neither of which wakes the loop itself.
fn draw_after_changes(
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
    if fonts_loading || resized_any {
        *frames_left = FRAMES_AFTER_A_RESIZE;
    } else if pending_screen || removed_any || !changed.is_empty() {
        *frames_left = (*frames_left).max(FRAMES_AFTER_A_CHANGE);
    }
    if *frames_left > 0 {
        *frames_left -= 1;
        redraw.write(RequestRedraw);
    }
}
