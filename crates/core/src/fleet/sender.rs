//! The kiosk's side of the heartbeat: a thread that posts a fresh report every interval,
//! carrying the proof of play the hub has not yet taken.

use std::{
    sync::{Arc, Mutex},
    thread,
    time::Duration,
};

use super::{KIOSK_HEADER, KioskReport, MAX_REPORT_BYTES, PlayLog, SIGNATURE_HEADER, sign_report};

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
        let log = |change: &mut dyn FnMut(&mut PlayLog)| {
            if let Some(mut log) = plays.as_ref().and_then(|log| log.lock().ok()) {
                change(&mut log);
            }
        };
        let mut save_error = None;
        for sequence in 1.. {
            let mut beat = report();
            beat.sent_at = chrono::Utc::now().timestamp();
            beat.sequence = sequence;
            log(&mut |log| {
                (beat.plays, beat.screens_opened) = log.batch();
                beat.plays_dropped = log.dropped();
            });
            beat.recent_errors.extend(save_error.iter().map(|e| format!("播放记录无法保存：{e}")));
            beat.fit_limits();
            let body = fitting_body(&mut beat);
            let request = client
                .post(&url)
                .header(KIOSK_HEADER, &beat.kiosk_id)
                .header(SIGNATURE_HEADER, sign_report(&key, &body))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
            // Missed beats are what makes a kiosk show as offline; nothing else to do.
            let taken = runtime.block_on(async { request.send().await }).is_ok_and(|r| r.status().is_success());
            let mut unsaved = None;
            log(&mut |log| {
                if taken {
                    log.delivered(&beat.plays, &beat.screens_opened, chrono::Utc::now().timestamp());
                }
                unsaved = log.unsaved();
            });
            // Written off the log's lock: the screen's thread records into it meanwhile.
            if let Some(unsaved) = unsaved {
                save_error = unsaved.write().err();
                if save_error.is_some() {
                    log(&mut |log| log.save_later());
                }
            }
            thread::sleep(interval);
        }
    });
    if let Err(e) = spawned {
        eprintln!("heartbeat not started: {e}");
    }
}

/// The report as JSON within `MAX_REPORT_BYTES`: while it is larger, it carries half as many
/// records (the rest go with the next beats).
fn fitting_body(beat: &mut KioskReport) -> Vec<u8> {
    loop {
        let body = serde_json::to_vec(beat).unwrap_or_default();
        if body.len() <= MAX_REPORT_BYTES || (beat.plays.is_empty() && beat.screens_opened.is_empty()) {
            return body;
        }
        beat.plays.truncate(beat.plays.len() / 2);
        beat.screens_opened.truncate(beat.screens_opened.len() / 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::{MAX_PLAY_NAME, MAX_PLAYS_PER_REPORT, MAX_RECENT_ERRORS, MAX_REPORT_TEXT, PagePlay, ScreenCount};

    #[test]
    fn the_largest_report_is_cut_to_fit_and_keeps_its_oldest_records() {
        // Names of 4-byte characters and errors full of characters JSON escapes.
        let name = "𠀀".repeat(MAX_PLAY_NAME);
        let mut beat = KioskReport {
            recent_errors: vec!["\"\u{1}".repeat(MAX_REPORT_TEXT / 2); MAX_RECENT_ERRORS],
            plays: (0..MAX_PLAYS_PER_REPORT as u64).map(|seq| PagePlay { seq, page: name.clone(), started_at: i64::MAX, seconds: u32::MAX }).collect(),
            screens_opened: (0..MAX_PLAYS_PER_REPORT as i64).map(|hour| ScreenCount { screen: name.clone(), hour, count: u64::MAX }).collect(),
            ..Default::default()
        };
        let body = fitting_body(&mut beat);
        assert!(body.len() <= MAX_REPORT_BYTES, "{} bytes", body.len());
        assert!(!beat.plays.is_empty() && beat.plays.len() < MAX_PLAYS_PER_REPORT);
        assert_eq!(beat.plays[0].seq, 0, "the oldest go first");
        assert_eq!(serde_json::from_slice::<KioskReport>(&body).unwrap(), beat);
    }
}
