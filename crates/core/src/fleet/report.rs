//! What a kiosk reports about itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
}
