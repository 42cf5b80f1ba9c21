//! The hub's view of the fleet: each kiosk's key and its latest report.

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

    pub fn record(&mut self, report: KioskReport, received_at: i64) {
        self.latest.insert(report.kiosk_id.clone(), (report, received_at));
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
        fleet.record(KioskReport { kiosk_id: "a".into(), content_version: 40, ..Default::default() }, 1000);
        let summary = fleet.summary(1060, Some(42));
        assert_eq!((summary[0].online, summary[0].behind_published), (true, Some(2)));
        assert_eq!((summary[1].online, summary[1].last_seen_s), (false, None), "b never reported");
        assert!(!fleet.summary(1100, Some(42))[0].online, "a's heartbeat expired");
    }
}
