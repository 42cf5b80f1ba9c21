//! The heartbeat from the kiosk's side: a snapshot of what the admin panel shows, refreshed
//! every few seconds on the screen's thread and posted to the hub by the heartbeat thread.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use bevy::{
    diagnostic::{DiagnosticsStore, FrameCount, FrameTimeDiagnosticsPlugin},
    prelude::*,
};

use super::{
    KioskFacts, SyncConnection,
    proof_of_play::Plays,
    wall::WallSettings,
    screens::{KeypadGuard, unlock_time},
    widgets::QrShownCounts,
};
use gongkai_core::{fleet::{KioskReport, PushSettings, PushState, push::RECEIVE_TIMEOUT, start_heartbeat}, process_memory, sync::SyncOutcome};

/// Where and how often to report; from the config's `[sync]` section.
#[derive(Resource, Clone)]
pub struct HeartbeatSettings {
    pub hub_url: String,
    pub key: Vec<u8>,
    pub interval: Duration,
    /// A 截图 this often besides those asked for (`sync.screenshot_every_s`).
    pub screenshot_every: Option<Duration>,
}

impl HeartbeatSettings {
    /// The same hub and key for the push channel and the screenshot uploads.
    pub fn push_settings(&self, kiosk_id: &str) -> PushSettings {
        PushSettings { hub_url: self.hub_url.clone(), kiosk_id: kiosk_id.to_string(), key: self.key.clone(), receive_timeout: RECEIVE_TIMEOUT }
    }
}

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, start).add_systems(Update, refresh.run_if(resource_exists::<Snapshot>));
}

#[derive(Resource)]
struct Snapshot {
    report: Arc<Mutex<KioskReport>>,
    started: Instant,
    refreshed: Option<Instant>,
}

const REFRESH: Duration = Duration::from_secs(5);
/// Failed sync cycles in a row before the heartbeat says the sync fails.
const SYNC_FAILURES_REPORTED: u32 = 2;

fn start(
    mut commands: Commands,
    settings: Option<Res<HeartbeatSettings>>,
    facts: Res<KioskFacts>,
    plays: Option<Res<Plays>>,
    wall: Option<Res<WallSettings>>,
) {
    let Some(settings) = settings else { return };
    let report = Arc::new(Mutex::new(KioskReport {
        kiosk_id: facts.kiosk_id.clone(),
        mode: if wall.is_some() { "wall" } else { "touch" }.into(),
        started_at: chrono::Utc::now().timestamp(),
        ..default()
    }));
    let shared = report.clone();
    start_heartbeat(settings.hub_url.clone(), settings.key.clone(), settings.interval, plays.map(|p| p.0.clone()), move || {
        shared.lock().map(|r| r.clone()).unwrap_or_default()
    });
    commands.insert_resource(Snapshot { report, started: Instant::now(), refreshed: None });
}

fn refresh(
    mut snapshot: ResMut<Snapshot>,
    facts: Res<KioskFacts>,
    sync: Option<Res<SyncConnection>>,
    diagnostics: Res<DiagnosticsStore>,
    windows: Query<&Window>,
    qr_shown: Res<QrShownCounts>,
    keypad: Res<KeypadGuard>,
    frames: Res<FrameCount>,
) {
    if snapshot.refreshed.is_some_and(|at| at.elapsed() < REFRESH) {
        return;
    }
    snapshot.refreshed = Some(Instant::now());
    let status = sync.as_ref().and_then(|s| s.status.lock().ok().map(|status| status.clone())).unwrap_or_default();
    let push = sync.as_ref().and_then(|s| s.push.as_ref()?.lock().ok().map(|push| push.clone()));
    // One failed cycle is a glitch (the hub restarting, a Wi-Fi hiccup); the second in a row
    // is reported, and the hub alerts on it.
    let sync_error = match &status.last_outcome {
        Some(problem @ (SyncOutcome::Refused(_) | SyncOutcome::Unreachable(_))) if status.failures_in_a_row >= SYNC_FAILURES_REPORTED => {
            Some(problem.to_string())
        }
        _ => None,
    };
    let mut recent_errors: Vec<String> = sync_error.iter().cloned().collect();
    if let Some(PushState { connected: false, last_error: Some(reason) }) = push {
        recent_errors.push(format!("推送通道未连接（仍按时轮询）：{reason}"));
    }
    if let Some(left) = keypad.0.locked_for(Instant::now()) {
        recent_errors.push(format!("管理密码输错 {} 次，键盘锁定至 {}", keypad.0.wrong_total, unlock_time(left)));
    }
    let uptime_s = snapshot.started.elapsed().as_secs();
    if let Ok(mut report) = snapshot.report.lock() {
        report.content_version = facts.bundle_version;
        report.last_sync = status.last_outcome.map_or_else(|| "尚未同步".into(), |o| o.to_string());
        report.uptime_s = uptime_s;
        report.memory_mb = process_memory::rss_mb();
        report.frame_rate = diagnostics.get(&FrameTimeDiagnosticsPlugin::FPS).and_then(|d| d.smoothed()).unwrap_or(0.0);
        report.resolution = windows.iter().next().map_or_else(String::new, |w| format!("{}x{}", w.physical_width(), w.physical_height()));
        report.recent_errors = recent_errors;
        report.qr_shown = qr_shown.0.clone();
        report.wrong_pins = keypad.0.wrong_total;
        report.manifest_sha256.clone_from(&facts.manifest_sha256);
        report.sync_error = sync_error;
        // Counted here, on the screen's thread: if it hangs, the count stands still while
        // the heartbeat thread goes on sending.
        report.frames_drawn = u64::from(frames.0);
        report.fit_limits();
    }
}
