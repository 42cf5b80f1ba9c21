//! The hub's view of the fleet: each kiosk's key, its latest report, and whether what it
//! shows is what is published. The latest state of each kiosk is kept in the store, so the
//! fleet page says the same after the hub restarts.

pub mod alerts;
pub mod commands;
pub(crate) mod heartbeat;
pub mod push;
mod registry;
pub(crate) mod screenshots;
mod status;

use std::collections::BTreeMap;

use axum::{
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use gongkai_core::fleet::{KIOSK_HEADER, KioskReport, MAX_PAGE_SECONDS, MAX_PLAY_NAME, MAX_PLAYS_PER_REPORT, MAX_RECENT_ERRORS, MAX_REPORT_TEXT};

use crate::Hub;

pub use registry::{Kiosks, read_kiosks};
pub use status::{ContentStatus, PublishedVersions};

/// A kiosk's latest report as the hub keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KioskState {
    pub report: KioskReport,
    /// When the report came, by the hub's clock.
    pub received_at: i64,
    /// When the kiosk's frame count last moved (or its run started), by the hub's clock.
    pub frames_moved_at: i64,
    /// Counts the states kept of this kiosk: the store replaces a state only by a newer one.
    pub revision: u64,
}

/// One kiosk on the fleet page and in `/api/kiosks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KioskSummary {
    pub kiosk_id: String,
    pub hall: Option<String>,
    pub tags: Vec<String>,
    pub online: bool,
    /// Seconds since the last report; `None` if it never reported.
    pub last_seen_s: Option<i64>,
    pub content_version: Option<u64>,
    /// What it shows against what is published.
    pub content: ContentStatus,
    /// Heartbeats arrive but the screen has drawn no frame for `frozen_after_s`.
    pub frozen: bool,
    /// It holds a push stream open: it hears of a publish at once, not at its next poll.
    #[serde(default)]
    pub push_connected: bool,
    pub report: Option<KioskReport>,
}

impl KioskSummary {
    /// Offline, frozen, or not showing the published content.
    pub fn needs_attention(&self) -> bool {
        !self.online || self.frozen || self.content.needs_attention()
    }
}

/// Every kiosk as of now, against what is published in the hub's data folder.
pub(crate) fn current(hub: &Hub) -> (Vec<KioskSummary>, PublishedVersions) {
    let published = PublishedVersions::read(&hub.data);
    let mut kiosks = hub.fleet.lock().map(|f| f.summary(chrono::Utc::now().timestamp(), &published)).unwrap_or_default();
    for kiosk in &mut kiosks {
        kiosk.push_connected = hub.push.is_open(&kiosk.kiosk_id);
    }
    (kiosks, published)
}

/// A request header's text; empty when absent or not text.
pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> String {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// The kiosk a signed request names and its key: 401 for one not in `kiosks.toml`.
pub(crate) fn sender(hub: &Hub, headers: &HeaderMap) -> Result<(String, Vec<u8>), Response> {
    let kiosk = header_text(headers, KIOSK_HEADER);
    let key = hub.fleet.lock().ok().and_then(|fleet| fleet.key(&kiosk).map(<[u8]>::to_vec));
    key.map(|key| (kiosk, key)).ok_or_else(|| (StatusCode::UNAUTHORIZED, "unknown kiosk").into_response())
}

/// The most QR codes one run of a kiosk can have shown of one kind: one a second for 30 years.
pub const MAX_SHOWN_COUNT: u64 = 1_000_000_000;
/// The kinds a kiosk counts QR codes of (`Target::kind_name`).
const SHOWN_KINDS: [&str; 6] = ["apply", "consultation", "document", "guide", "opinion", "satisfaction"];

/// Why a signed report is still refused: counts no kiosk can have, or texts too long to show
/// on the fleet page or put in an alert.
pub fn implausible(report: &KioskReport) -> Option<String> {
    if report.recent_errors.len() > MAX_RECENT_ERRORS {
        return Some(format!("recent_errors: {} is more than {MAX_RECENT_ERRORS}", report.recent_errors.len()));
    }
    let texts = [("mode", &report.mode), ("last_sync", &report.last_sync), ("resolution", &report.resolution)]
        .into_iter()
        .chain(report.sync_error.iter().map(|error| ("sync_error", error)))
        .chain(report.recent_errors.iter().map(|error| ("recent_errors", error)));
    for (field, text) in texts {
        if text.chars().count() > MAX_REPORT_TEXT {
            return Some(format!("{field}: longer than {MAX_REPORT_TEXT} characters"));
        }
    }
    if let Some(reason) = implausible_plays(report) {
        return Some(reason);
    }
    let sha = &report.manifest_sha256;
    if !sha.is_empty() && (sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))) {
        return Some("manifest_sha256: not a lower-case hex SHA-256".into());
    }
    report.qr_shown.iter().find_map(|(kind, count)| {
        if !SHOWN_KINDS.contains(&kind.as_str()) {
            Some(format!("qr_shown: unknown kind {kind:?}"))
        } else if *count > MAX_SHOWN_COUNT {
            Some(format!("qr_shown.{kind}: {count} is more than {MAX_SHOWN_COUNT}"))
        } else {
            None
        }
    })
}

/// Proof of play no kiosk sends: more than a heartbeat carries, names that are no titles,
/// pages longer than a day, counts out of range.
fn implausible_plays(report: &KioskReport) -> Option<String> {
    let (pages, screens) = (&report.plays, &report.screens_opened);
    if pages.len().max(screens.len()) > MAX_PLAYS_PER_REPORT {
        return Some(format!("plays, screens_opened: more than {MAX_PLAYS_PER_REPORT} in one report"));
    }
    let names = pages.iter().map(|p| ("plays", &p.page)).chain(screens.iter().map(|s| ("screens_opened", &s.screen)));
    for (field, name) in names {
        if name.is_empty() || name.chars().count() > MAX_PLAY_NAME || name.chars().any(char::is_control) {
            return Some(format!("{field}: {name:?} is not a title of at most {MAX_PLAY_NAME} characters"));
        }
    }
    if let Some(page) = pages.iter().find(|p| p.seconds > MAX_PAGE_SECONDS) {
        return Some(format!("plays: {} s on screen is more than a day", page.seconds));
    }
    screens.iter().find_map(|s| {
        (s.hour.rem_euclid(3600) != 0 || s.count > MAX_SHOWN_COUNT)
            .then(|| format!("screens_opened: hour {} or count {} out of range", s.hour, s.count))
    })
}

/// Whether `report` is newer than `kept`: later in the same run (by its sequence, or by its
/// time for kiosks that send none), or another run sent later. Runs are not ordered by their
/// start, which comes from the kiosk's own clock: a kiosk that boots with its clock behind
/// must still be heard.
fn is_newer(report: &KioskReport, kept: &KioskReport) -> bool {
    if report.started_at == kept.started_at && (report.sequence, kept.sequence) != (0, 0) {
        report.sequence > kept.sequence
    } else {
        report.sent_at > kept.sent_at
    }
}

pub struct Fleet {
    kiosks: Kiosks,
    latest: BTreeMap<String, KioskState>,
    /// A kiosk is offline when its last report is older than this.
    pub offline_after_s: i64,
    /// A kiosk is frozen when its reports show the same frame count for this long.
    pub frozen_after_s: i64,
}

impl Fleet {
    pub fn new(kiosks: Kiosks, offline_after_s: i64, frozen_after_s: i64) -> Self {
        Self { kiosks, latest: BTreeMap::new(), offline_after_s, frozen_after_s }
    }

    /// Takes back the states kept before a restart, of kiosks still registered.
    pub fn restore(&mut self, states: Vec<KioskState>) {
        for state in states {
            if self.kiosks.keys.contains_key(&state.report.kiosk_id) {
                self.latest.insert(state.report.kiosk_id.clone(), state);
            }
        }
    }

    pub fn key(&self, kiosk: &str) -> Option<&[u8]> {
        self.kiosks.keys.get(kiosk).map(Vec::as_slice)
    }

    pub fn halls(&self) -> &BTreeMap<String, String> {
        &self.kiosks.halls
    }

    /// Keeps `report` as its kiosk's latest and returns the state to store, unless a newer
    /// one (or this very one) is already kept: a replayed or delayed report never hides a
    /// newer state.
    pub fn record(&mut self, report: KioskReport, received_at: i64) -> Result<KioskState, String> {
        let kept = self.latest.get(&report.kiosk_id);
        if let Some(kept) = kept
            && !is_newer(&report, &kept.report)
        {
            return Err(format!(
                "report {} of the run started at {} is not newer than the one kept ({})",
                report.sequence, report.started_at, kept.report.sequence
            ));
        }
        let frames_moved_at = match kept {
            Some(kept) if kept.report.started_at == report.started_at && kept.report.frames_drawn == report.frames_drawn => kept.frames_moved_at,
            _ => received_at,
        };
        let revision = kept.map_or(1, |k| k.revision + 1);
        let state = KioskState { report, received_at, frames_moved_at, revision };
        self.latest.insert(state.report.kiosk_id.clone(), state.clone());
        Ok(state)
    }

    /// Every known kiosk, in id order.
    pub fn summary(&self, now: i64, published: &PublishedVersions) -> Vec<KioskSummary> {
        self.kiosks
            .keys
            .keys()
            .map(|id| {
                let latest = self.latest.get(id);
                let last_seen_s = latest.map(|s| now - s.received_at);
                let online = last_seen_s.is_some_and(|s| s <= self.offline_after_s);
                // A kiosk that counts no frames (an older version) is never called frozen.
                let frozen = online && latest.is_some_and(|s| s.report.frames_drawn > 0 && s.received_at - s.frames_moved_at >= self.frozen_after_s);
                KioskSummary {
                    kiosk_id: id.clone(),
                    hall: self.kiosks.halls.get(id).cloned(),
                    tags: self.kiosks.tags.get(id).cloned().unwrap_or_default(),
                    online,
                    last_seen_s,
                    content_version: latest.map(|s| s.report.content_version),
                    content: latest.map_or(ContentStatus::Unknown, |s| published.status_of(&s.report)),
                    frozen,
                    push_connected: false,
                    report: latest.map(|s| s.report.clone()),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet_of(ids: &[&str]) -> Fleet {
        let keys = ids.iter().map(|id| (id.to_string(), vec![1; 16])).collect();
        Fleet::new(Kiosks { keys, ..Kiosks::default() }, 90, 120)
    }

    #[test]
    fn kiosks_go_offline_when_reports_stop_and_show_their_lag() {
        let mut fleet = fleet_of(&["a", "b"]);
        fleet.record(KioskReport { kiosk_id: "a".into(), content_version: 40, ..Default::default() }, 1000).unwrap();
        let published = PublishedVersions { current: Some((42, "aa".into())), history: [40, 41, 42].into() };
        let summary = fleet.summary(1060, &published);
        assert_eq!((summary[0].online, &summary[0].content), (true, &ContentStatus::Behind { versions: 2 }));
        assert_eq!((summary[1].online, summary[1].last_seen_s), (false, None), "b never reported");
        assert!(summary[1].needs_attention());
        assert!(!fleet.summary(1100, &published)[0].online, "a's heartbeat expired");
    }

    #[test]
    fn a_kiosk_whose_frames_stand_still_while_it_reports_is_frozen() {
        let mut fleet = fleet_of(&["a"]);
        let published = PublishedVersions::default();
        let beat = |fleet: &mut Fleet, sequence: u64, frames_drawn: u64, at: i64| {
            let report = KioskReport { kiosk_id: "a".into(), started_at: 500, sequence, frames_drawn, ..Default::default() };
            fleet.record(report, at).unwrap()
        };
        beat(&mut fleet, 1, 100, 1000);
        beat(&mut fleet, 2, 130, 1060);
        assert!(!fleet.summary(1060, &published)[0].frozen);
        beat(&mut fleet, 3, 130, 1120);
        assert!(!fleet.summary(1120, &published)[0].frozen, "60 s without a frame is not yet 120");
        let state = beat(&mut fleet, 4, 130, 1180);
        assert_eq!((state.frames_moved_at, state.revision), (1060, 4));
        assert!(fleet.summary(1180, &published)[0].frozen, "120 s of heartbeats without a frame");
        assert!(!fleet.summary(1300, &published)[0].frozen, "offline is said instead");
        beat(&mut fleet, 5, 131, 1240);
        assert!(!fleet.summary(1240, &published)[0].frozen, "it draws again");
        // A restarted kiosk counts from zero: a new run is not frozen by its first report.
        let restarted = KioskReport { kiosk_id: "a".into(), started_at: 2000, sequence: 1, sent_at: 2100, frames_drawn: 131, ..Default::default() };
        fleet.record(restarted, 2100).unwrap();
        assert!(!fleet.summary(2100, &published)[0].frozen);
    }

    #[test]
    fn states_kept_before_a_restart_come_back() {
        let mut fleet = fleet_of(&["a"]);
        let state = fleet.record(KioskReport { kiosk_id: "a".into(), content_version: 7, ..Default::default() }, 1000).unwrap();
        let gone = KioskState { report: KioskReport { kiosk_id: "removed".into(), ..Default::default() }, ..state.clone() };
        let mut restarted = fleet_of(&["a"]);
        restarted.restore(vec![state, gone]);
        let summary = restarted.summary(1010, &PublishedVersions::default());
        assert_eq!(summary.len(), 1, "a kiosk no longer registered stays out");
        assert_eq!((summary[0].online, summary[0].content_version), (true, Some(7)));
    }

    #[test]
    fn a_replayed_or_older_report_is_refused_and_the_newer_kept() {
        let mut fleet = fleet_of(&["a"]);
        let report = |started_at, sequence, content_version| KioskReport {
            kiosk_id: "a".into(),
            started_at,
            sequence,
            sent_at: 1000 + sequence as i64,
            content_version,
            ..Default::default()
        };
        fleet.record(report(500, 2, 42), 1000).unwrap();
        assert!(fleet.record(report(500, 2, 42), 1001).is_err(), "the same report again");
        assert!(fleet.record(report(500, 1, 40), 1001).is_err(), "an older one of the same run");
        assert!(fleet.record(report(400, 1, 40), 1001).is_err(), "one of an earlier run, sent before");
        assert_eq!(fleet.summary(1002, &PublishedVersions::default())[0].content_version, Some(42));
        fleet.record(report(600, 3, 43), 1003).unwrap();
        assert_eq!(fleet.summary(1004, &PublishedVersions::default())[0].content_version, Some(43), "a new run");
        // A run whose start reads earlier (the kiosk's clock was behind at boot), sent later.
        fleet.record(report(300, 4, 44), 1005).unwrap();
        assert_eq!(fleet.summary(1006, &PublishedVersions::default())[0].content_version, Some(44));
    }

    #[test]
    fn counts_no_kiosk_can_have_are_refused() {
        let with = |kind: &str, count| KioskReport { qr_shown: [(kind.to_string(), count)].into(), ..Default::default() };
        assert_eq!(implausible(&with("apply", MAX_SHOWN_COUNT)), None);
        assert!(implausible(&with("apply", i64::MAX as u64)).is_some_and(|e| e.starts_with("qr_shown.apply: ")));
        assert!(implausible(&with("x".repeat(1000).as_str(), 1)).is_some_and(|e| e.contains("unknown kind")));
        let shown = |sha: &str| implausible(&KioskReport { manifest_sha256: sha.into(), ..Default::default() });
        assert_eq!(shown(&"ab".repeat(32)), None);
        assert!(shown("<script>").is_some() && shown(&"AB".repeat(32)).is_some());
        let long = "错".repeat(MAX_REPORT_TEXT + 1);
        let failing = |error: &str| implausible(&KioskReport { sync_error: Some(error.into()), ..Default::default() });
        assert_eq!(failing(&long[..MAX_REPORT_TEXT * 3]), None, "500 characters, 1,500 bytes");
        assert_eq!(failing(&long).as_deref(), Some("sync_error: longer than 500 characters"));
        let errors = |count| implausible(&KioskReport { recent_errors: vec!["x".into(); count], ..Default::default() });
        assert_eq!(errors(MAX_RECENT_ERRORS), None);
        assert_eq!(errors(MAX_RECENT_ERRORS + 1).as_deref(), Some("recent_errors: 11 is more than 10"));
    }
}
