//! The console's promises in time, on a real `gongkai-hub serve` whose wall clock the test
//! moves (`MovedClock`): a session ends after 2 idle hours, and 12 hours after signing in
//! however busy.

use gongkai_testkit::hub::{HubProcess, MovedClock, add_staff, http, sign_in, start_hub_on_clock};

const PASSWORD: &str = "公开办 2025 secure";
const MINUTE: i64 = 60;
const HOUR: i64 = 3600;

/// The status of the console's start page for `session`: 200 signed in, 303 to the log-in.
fn console_status(hub: &HubProcess, session: &str) -> u16 {
    http(&hub.url, "GET", "/staff", &[("Cookie", session.to_string())], b"").status
}

/// A hub with one member of staff, on a clock the test moves; the folder lives as long as
/// the first value.
fn hub_on_moved_clock() -> (tempfile::TempDir, MovedClock, HubProcess) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    add_staff(&data, "clerk", "王科员", PASSWORD);
    let clock = MovedClock::new();
    let hub = start_hub_on_clock(&data, &[], &clock);
    (dir, clock, hub)
}

#[test]
fn a_session_ends_after_two_idle_hours() {
    let (_dir, clock, hub) = hub_on_moved_clock();
    let session = sign_in(&hub.url, "clerk", PASSWORD);
    assert_eq!(console_status(&hub, &session), 200);

    // Each use within 2 hours of the last one keeps the session.
    for used_at in [HOUR + 59 * MINUTE, 3 * HOUR + 58 * MINUTE] {
        clock.set_offset(used_at);
        assert_eq!(console_status(&hub, &session), 200, "used {} min after sign-in, under 2 h idle", used_at / MINUTE);
    }
    // 2 hours and 1 minute after the last use it has ended, and stays ended.
    clock.set_offset(3 * HOUR + 58 * MINUTE + 2 * HOUR + MINUTE);
    assert_eq!(console_status(&hub, &session), 303, "idle for 2 h 1 min");
    clock.set_offset(3 * HOUR + 58 * MINUTE);
    assert_eq!(console_status(&hub, &session), 303, "an ended session does not come back");
}

#[test]
fn a_session_ends_twelve_hours_after_sign_in_however_busy() {
    let (_dir, clock, hub) = hub_on_moved_clock();
    let session = sign_in(&hub.url, "clerk", PASSWORD);

    // Used every 50 minutes for 11 h 40 min: never idle, still signed in.
    for step in 1..=14 {
        clock.set_offset(step * 50 * MINUTE);
        assert_eq!(console_status(&hub, &session), 200, "used {} min after sign-in", step * 50);
    }
    clock.set_offset(11 * HOUR + 59 * MINUTE);
    assert_eq!(console_status(&hub, &session), 200, "11 h 59 min after sign-in");
    clock.set_offset(12 * HOUR + MINUTE);
    assert_eq!(console_status(&hub, &session), 303, "12 h 1 min after sign-in, 2 min after the last use");
    let again = sign_in(&hub.url, "clerk", PASSWORD);
    assert_eq!(console_status(&hub, &again), 200, "a new sign-in starts a new day");
}
