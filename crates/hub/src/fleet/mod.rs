//! The hub's view of the fleet: each kiosk's key and its latest report.

pub(crate) mod heartbeat;
pub(crate) mod page;

use std::{collections::BTreeMap, fs, path::Path};

use serde::{Deserialize, Serialize};

use gongkai_core::fleet::KioskReport;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KioskFile {
    kiosk: Vec<KioskEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KioskEntry {
    id: String,
    /// The kiosk's `handoff.secret`, hex.
    key: String,
    /// The service hall it stands in, for the statistics.
    #[serde(default)]
    hall: Option<String>,
}

/// The kiosks the hub knows: their keys, and the hall each stands in.
#[derive(Debug, Clone, Default)]
pub struct Kiosks {
    pub keys: BTreeMap<String, Vec<u8>>,
    pub halls: BTreeMap<String, String>,
}

/// Reads `kiosks.toml`: `[[kiosk]]` tables with `id`, `key` and optionally `hall`.
pub fn read_kiosks(path: &Path) -> Result<Kiosks, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: KioskFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut keys = BTreeMap::new();
    let mut halls = BTreeMap::new();
    for (i, entry) in file.kiosk.into_iter().enumerate() {
        if let Some(hall) = entry.hall.clone() {
            halls.insert(entry.id.clone(), hall);
        }
        let key = hex::decode(&entry.key)
            .ok()
            .filter(|k| k.len() >= 16)
            .ok_or_else(|| format!("{}: kiosk[{i}].key: must be at least 16 bytes of hex", path.display()))?;
        if keys.insert(entry.id.clone(), key).is_some() {
            return Err(format!("{}: kiosk[{i}].id: {:?} is listed twice", path.display(), entry.id));
        }
    }
    Ok(Kiosks { keys, halls })
}

/// One kiosk on the staff page and in `/api/kiosks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KioskSummary {
    pub kiosk_id: String,
    pub online: bool,
    /// Seconds since the last report; `None` if it never reported.
    pub last_seen_s: Option<i64>,
    pub content_version: Option<u64>,
    /// Published versions ahead of the kiosk's (0: up to date).
    pub behind_published: Option<u64>,
    pub report: Option<KioskReport>,
}

/// The most QR codes one run of a kiosk can have shown of one kind: one a second for 30 years.
pub const MAX_SHOWN_COUNT: u64 = 1_000_000_000;
/// The kinds a kiosk counts QR codes of (`Target::kind_name`).
const SHOWN_KINDS: [&str; 6] = ["apply", "consultation", "document", "guide", "opinion", "satisfaction"];

/// Why a signed report is still refused: counts no kiosk can have.
pub fn implausible(report: &KioskReport) -> Option<String> {
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
    keys: BTreeMap<String, Vec<u8>>,
    latest: BTreeMap<String, (KioskReport, i64)>,
    /// A kiosk is offline when its last report is older than this.
    pub offline_after_s: i64,
}

impl Fleet {
    pub fn new(keys: BTreeMap<String, Vec<u8>>, offline_after_s: i64) -> Self {
        Self { keys, latest: BTreeMap::new(), offline_after_s }
    }

    pub fn key(&self, kiosk: &str) -> Option<&[u8]> {
        self.keys.get(kiosk).map(Vec::as_slice)
    }

    /// Keeps `report` as its kiosk's latest, unless a newer one (or this very one) is already
    /// kept: a replayed or delayed report never hides a newer state.
    pub fn record(&mut self, report: KioskReport, received_at: i64) -> Result<(), String> {
        if let Some((latest, _)) = self.latest.get(&report.kiosk_id)
            && !is_newer(&report, latest)
        {
            return Err(format!(
                "report {} of the run started at {} is not newer than the one kept ({})",
                report.sequence, report.started_at, latest.sequence
            ));
        }
        self.latest.insert(report.kiosk_id.clone(), (report, received_at));
        Ok(())
    }

    /// Every known kiosk, in id order.
    pub fn summary(&self, now: i64, published: Option<u64>) -> Vec<KioskSummary> {
        self.keys
            .keys()
            .map(|id| {
                let latest = self.latest.get(id);
                let last_seen_s = latest.map(|(_, at)| now - at);
                let content_version = latest.map(|(r, _)| r.content_version);
                KioskSummary {
                    kiosk_id: id.clone(),
                    online: last_seen_s.is_some_and(|s| s <= self.offline_after_s),
                    last_seen_s,
                    content_version,
                    behind_published: published.zip(content_version).map(|(p, c)| p.saturating_sub(c)),
                    report: latest.map(|(r, _)| r.clone()),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kiosks_go_offline_when_reports_stop_and_show_their_lag() {
        let keys = BTreeMap::from([("a".to_string(), vec![1; 16]), ("b".to_string(), vec![2; 16])]);
        let mut fleet = Fleet::new(keys, 90);
        fleet.record(KioskReport { kiosk_id: "a".into(), content_version: 40, ..Default::default() }, 1000).unwrap();
        let summary = fleet.summary(1060, Some(42));
        assert_eq!((summary[0].online, summary[0].behind_published), (true, Some(2)));
        assert_eq!((summary[1].online, summary[1].last_seen_s), (false, None), "b never reported");
        assert!(!fleet.summary(1100, Some(42))[0].online, "a's heartbeat expired");
    }

    #[test]
    fn a_replayed_or_older_report_is_refused_and_the_newer_kept() {
        let mut fleet = Fleet::new(BTreeMap::from([("a".to_string(), vec![1; 16])]), 90);
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
        assert_eq!(fleet.summary(1002, Some(42))[0].content_version, Some(42));
        fleet.record(report(600, 3, 43), 1003).unwrap();
        assert_eq!(fleet.summary(1004, Some(43))[0].content_version, Some(43), "a new run");
        // A run whose start reads earlier (the kiosk's clock was behind at boot), sent later.
        fleet.record(report(300, 4, 44), 1005).unwrap();
        assert_eq!(fleet.summary(1006, Some(44))[0].content_version, Some(44));
    }

    #[test]
    fn counts_no_kiosk_can_have_are_refused() {
        let with = |kind: &str, count| KioskReport { qr_shown: [(kind.to_string(), count)].into(), ..Default::default() };
        assert_eq!(implausible(&with("apply", MAX_SHOWN_COUNT)), None);
        assert!(implausible(&with("apply", i64::MAX as u64)).is_some_and(|e| e.starts_with("qr_shown.apply: ")));
        assert!(implausible(&with("x".repeat(1000).as_str(), 1)).is_some_and(|e| e.contains("unknown kind")));
    }
}
