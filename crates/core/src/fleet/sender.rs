//! The kiosk's side of the heartbeat: a thread that posts a fresh report every interval.

use std::{thread, time::Duration};

use super::{KIOSK_HEADER, KioskReport, SIGNATURE_HEADER, sign_report};

/// Posts `report()` to `HUB/api/heartbeat` every `interval`, for as long as the process runs.
/// A hub that cannot be reached is simply tried again at the next beat.
pub fn start_heartbeat(
    hub_url: String,
    key: Vec<u8>,
    interval: Duration,
    report: impl Fn() -> KioskReport + Send + 'static,
) {
    let url = format!("{}/api/heartbeat", hub_url.trim_end_matches('/'));
    let spawned = thread::Builder::new().name("heartbeat".into()).spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        let Ok(client) = reqwest::Client::builder().timeout(Duration::from_secs(10)).build() else { return };
        for sequence in 1.. {
            let mut beat = report();
            beat.sent_at = chrono::Utc::now().timestamp();
            beat.sequence = sequence;
            if let Ok(body) = serde_json::to_vec(&beat) {
                let request = client
                    .post(&url)
                    .header(KIOSK_HEADER, &beat.kiosk_id)
                    .header(SIGNATURE_HEADER, sign_report(&key, &body))
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body);
                // Missed beats are what makes a kiosk show as offline; nothing else to do.
                let _ = runtime.block_on(async { request.send().await });
            }
            thread::sleep(interval);
        }
    });
    if let Err(e) = spawned {
        eprintln!("heartbeat not started: {e}");
    }
}
