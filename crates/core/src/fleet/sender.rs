//! The kiosk's side of the heartbeat: a thread that posts a fresh report every interval,
//! carrying the proof of play the hub has not yet taken.

use std::{
    sync::{Arc, Mutex},
    thread,
    time::Duration,
};

use super::{KIOSK_HEADER, KioskReport, PlayLog, SIGNATURE_HEADER, sign_report};

/// Posts `report()` to `HUB/api/heartbeat` every `interval`, for as long as the process runs,
/// with the oldest records of `plays`, which go from the log once the hub has answered 2xx.
/// A hub that cannot be reached is simply tried again at the next beat.
pub fn start_heartbeat(
    hub_url: String,
    key: Vec<u8>,
    interval: Duration,
    plays: Option<Arc<Mutex<PlayLog>>>,
    report: impl Fn() -> KioskReport + Send + 'static,
) {
    let url = format!("{}/api/heartbeat", hub_url.trim_end_matches('/'));
    let spawned = thread::Builder::new().name("heartbeat".into()).spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        let Ok(client) = reqwest::Client::builder().timeout(Duration::from_secs(10)).build() else { return };
        let with_log = |change: &mut dyn FnMut(&mut PlayLog)| {
            if let Some(mut log) = plays.as_ref().and_then(|log| log.lock().ok()) {
                change(&mut log);
                // Saved here, off the screen's thread; a kiosk cut off loses at most a beat.
                if let Err(e) = log.save() {
                    eprintln!("proof of play not saved: {e}");
                }
            }
        };
        for sequence in 1.. {
            let mut beat = report();
            beat.sent_at = chrono::Utc::now().timestamp();
            beat.sequence = sequence;
            with_log(&mut |log| {
                (beat.plays, beat.screens_opened) = log.batch();
                beat.plays_dropped = log.dropped();
            });
            if let Ok(body) = serde_json::to_vec(&beat) {
                let request = client
                    .post(&url)
                    .header(KIOSK_HEADER, &beat.kiosk_id)
                    .header(SIGNATURE_HEADER, sign_report(&key, &body))
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body);
                // Missed beats are what makes a kiosk show as offline; nothing else to do.
                let taken = runtime.block_on(async { request.send().await }).is_ok_and(|r| r.status().is_success());
                if taken {
                    with_log(&mut |log| log.delivered(&beat.plays, &beat.screens_opened, chrono::Utc::now().timestamp()));
                }
            }
            thread::sleep(interval);
        }
    });
    if let Err(e) = spawned {
        eprintln!("heartbeat not started: {e}");
    }
}
