//! What a kiosk reports about itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{PagePlay, ScreenCount};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskReport {
    pub kiosk_id: String,
    /// `touch` or `wall`.
    pub mode: String,
    pub content_version: u64,
    /// The last sync cycle, as the admin panel shows it.
    pub last_sync: String,
    pub uptime_s: u64,
    pub memory_mb: f64,
    pub frame_rate: f64,
    /// `1920x1080`.
    pub resolution: String,
    /// The latest problems, newest last, at most a few.
    pub recent_errors: Vec<String>,
    /// Unix seconds when sent: the hub refuses stale reports.
    pub sent_at: i64,
    /// Counts the reports of one run, from 1: the hub refuses one it has seen, or an older one.
    #[serde(default)]
    pub sequence: u64,
    /// Unix seconds when the kiosk program started; with `qr_shown`, a running count per run.
    #[serde(default)]
    pub started_at: i64,
    /// QR codes shown since the start, by target (`apply`, `document`, …): the first step of
    /// the funnel QR shown → form opened → submitted.
    #[serde(default)]
    pub qr_shown: BTreeMap<String, u64>,
    /// Wrong admin PINs typed at the kiosk since the start: someone may be guessing.
    #[serde(default)]
    pub wrong_pins: u64,
    /// SHA-256 of the manifest of the bundle on screen: the hub calls a kiosk 最新 only when
    /// it equals the published manifest's, whatever the version numbers say.
    #[serde(default)]
    pub manifest_sha256: String,
    /// The last sync cycle's failure, while syncing fails.
    #[serde(default)]
    pub sync_error: Option<String>,
    /// Frames the screen has drawn since the start, counted on the screen's own thread: the
    /// hub flags a kiosk whose heartbeats arrive while this stands still.
    #[serde(default)]
    pub frames_drawn: u64,
    /// Pages a wall showed that the hub has not yet acknowledged, oldest first. Like the two
    /// below, left out when empty, so that a hub of the release before takes the report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plays: Vec<PagePlay>,
    /// Screens opened by hour, not yet acknowledged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screens_opened: Vec<ScreenCount>,
    /// Records the kiosk dropped, oldest first, while the hub was away too long.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub plays_dropped: u64,
}

/// The longest text a report carries in one field (a sync error names a file and a reason);
/// the hub refuses a report with a longer one.
pub const MAX_REPORT_TEXT: usize = 500;
/// The largest report a kiosk sends, as JSON: the hub takes bodies up to 64 KB.
pub const MAX_REPORT_BYTES: usize = 60 * 1024;
/// The most recent errors a report lists.
pub const MAX_RECENT_ERRORS: usize = 10;

fn is_zero(count: &u64) -> bool {
    *count == 0
}

impl KioskReport {
    /// Cuts long texts and old errors to what the hub takes, so that a long error message
    /// never costs the kiosk its heartbeat.
    pub fn fit_limits(&mut self) {
        let cut = |text: &mut String| {
            if let Some((at, _)) = text.char_indices().nth(MAX_REPORT_TEXT - 1) {
                text.truncate(at);
                text.push('…');
            }
        };
        let excess = self.recent_errors.len().saturating_sub(MAX_RECENT_ERRORS);
        self.recent_errors.drain(..excess);
        for text in [&mut self.mode, &mut self.last_sync, &mut self.resolution].into_iter().chain(self.sync_error.as_mut()).chain(self.recent_errors.iter_mut()) {
            cut(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_and_old_errors_are_cut_to_the_limits() {
        let mut report = KioskReport {
            sync_error: Some("错".repeat(MAX_REPORT_TEXT + 20)),
            last_sync: "已同步".into(),
            recent_errors: (0..MAX_RECENT_ERRORS + 2).map(|i| i.to_string()).collect(),
            ..Default::default()
        };
        report.fit_limits();
        let error = report.sync_error.unwrap();
        assert_eq!(error.chars().count(), MAX_REPORT_TEXT);
        assert!(error.ends_with("错…"));
        assert_eq!(report.last_sync, "已同步");
        assert_eq!(report.recent_errors.first().map(String::as_str), Some("2"), "the oldest go");
        assert_eq!(report.recent_errors.len(), MAX_RECENT_ERRORS);
    }
}
