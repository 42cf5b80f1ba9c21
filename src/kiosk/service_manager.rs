//! Tells systemd that the kiosk is up (`READY=1` at its first frame) and alive (`WATCHDOG=1`
//! from the frame loop itself, at half the unit's `WatchdogSec`), so that a hung screen is
//! restarted: a thread of its own would go on pinging while the screen stood still. Without
//! systemd (no `NOTIFY_SOCKET`) nothing is sent.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use sd_notify::NotifyState;

use super::pacing::NextChange;

pub fn plugin(app: &mut App) {
    let mut usec = 0;
    let interval = sd_notify::watchdog_enabled(false, &mut usec).then(|| Duration::from_micros(usec) / 2);
    app.insert_resource(ServiceManager { interval, pinged: None, ready: false }).add_systems(PostUpdate, notify);
}

#[derive(Resource)]
struct ServiceManager {
    /// How often to ping the watchdog, if the unit has one.
    interval: Option<Duration>,
    pinged: Option<Instant>,
    ready: bool,
}

fn notify(mut manager: ResMut<ServiceManager>, mut next_change: ResMut<NextChange>) {
    if !manager.ready {
        manager.ready = true;
        if let Err(e) = sd_notify::notify(false, &[NotifyState::Ready]) {
            warn!("cannot tell the service manager the kiosk is ready: {e}");
        }
    }
    let Some(interval) = manager.interval else { return };
    let now = Instant::now();
    let due = manager.pinged.map_or(Duration::ZERO, |at| interval.saturating_sub(now - at));
    if due.is_zero() {
        // A failed ping is the watchdog's business: it restarts the kiosk if none arrive.
        let _ = sd_notify::notify(false, &[NotifyState::Watchdog]);
        manager.pinged = Some(now);
    }
    // A screen at rest wakes in time for the next ping.
    next_change.within(if due.is_zero() { interval } else { due });
}
