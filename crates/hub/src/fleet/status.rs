//! What a kiosk shows against what is published: 最新 only when the manifest on its screen is
//! the published one, byte for byte; otherwise how many published versions it is behind, or
//! why its sync fails. Version numbers alone can say "up to date" while old content plays.

use std::{collections::BTreeSet, fs, path::Path};

use serde::{Deserialize, Serialize};

use crate::publish::publish_records;
use gongkai_core::{
    content::manifest::Manifest,
    fleet::KioskReport,
    sync::layout::{PUBLISHED_MANIFEST, manifest_sha256},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ContentStatus {
    /// Nothing is published, or the kiosk never reported.
    Unknown,
    /// The kiosk shows the published manifest.
    Current,
    /// The kiosk shows an earlier bundle; `versions` have been published since.
    Behind { versions: usize },
    /// The kiosk's sync fails and it does not show the published bundle.
    SyncFailing { error: String },
    /// The kiosk shows the published version number but sends no manifest identity (a kiosk
    /// of an earlier release): most likely current, but that cannot be told.
    SameVersion,
    /// The kiosk shows a manifest that is neither the published one nor older.
    Differs,
}

impl ContentStatus {
    pub fn label(&self) -> String {
        match self {
            ContentStatus::Unknown => "—".into(),
            ContentStatus::Current => "最新".into(),
            ContentStatus::Behind { versions } => format!("落后 {versions} 版"),
            ContentStatus::SyncFailing { error } => format!("同步失败：{error}"),
            ContentStatus::SameVersion => "版本号一致（终端未报告内容校验值）".into(),
            ContentStatus::Differs => "与发布内容不一致".into(),
        }
    }

    /// Behind, failing or different: someone should look. Unknown says nothing of the kiosk.
    pub fn needs_attention(&self) -> bool {
        matches!(self, ContentStatus::Behind { .. } | ContentStatus::SyncFailing { .. } | ContentStatus::Differs)
    }
}

/// The published bundle and the versions published before it.
#[derive(Debug, Clone, Default)]
pub struct PublishedVersions {
    /// The published manifest's version and identity.
    pub current: Option<(u64, String)>,
    /// Every version published, from the publish history (empty before the first publish that
    /// kept one).
    pub history: BTreeSet<u64>,
}

impl PublishedVersions {
    /// Reads the published manifest and the history from the data folder.
    pub fn read(data: &Path) -> Self {
        let current = fs::read(data.join(PUBLISHED_MANIFEST)).ok().and_then(|bytes| {
            let manifest: Manifest = serde_json::from_slice(&bytes).ok()?;
            Some((manifest.bundle_version, manifest_sha256(&bytes)))
        });
        let history = publish_records(data).into_iter().map(|record| record.version).collect();
        Self { current, history }
    }

    pub fn version(&self) -> Option<u64> {
        self.current.as_ref().map(|(version, _)| *version)
    }

    /// Where `report`'s kiosk stands against this.
    pub fn status_of(&self, report: &KioskReport) -> ContentStatus {
        let Some((version, sha)) = &self.current else { return ContentStatus::Unknown };
        if report.manifest_sha256 == *sha {
            ContentStatus::Current
        } else if let Some(error) = &report.sync_error {
            ContentStatus::SyncFailing { error: error.clone() }
        } else if report.content_version < *version {
            let since = self.history.range(report.content_version + 1..=*version).count();
            // A version published before the history was kept still counts as one.
            ContentStatus::Behind { versions: since.max(1) }
        } else if report.content_version == *version && report.manifest_sha256.is_empty() {
            ContentStatus::SameVersion
        } else {
            ContentStatus::Differs
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(version: u64, sha: &str, error: Option<&str>) -> KioskReport {
        KioskReport { content_version: version, manifest_sha256: sha.into(), sync_error: error.map(String::from), ..Default::default() }
    }

    #[test]
    fn only_the_published_manifest_is_current() {
        let published = PublishedVersions { current: Some((20261204, "aa".into())), history: [20261201, 20261203, 20261204].into() };
        assert_eq!(published.status_of(&report(20261204, "aa", None)), ContentStatus::Current);
        assert_eq!(published.status_of(&report(20261204, "aa", Some("hub unreachable"))), ContentStatus::Current, "it shows the latest");
        // The same version number with other bytes (content signed elsewhere) is not current.
        assert_eq!(published.status_of(&report(20261204, "bb", None)), ContentStatus::Differs);
        assert_eq!(published.status_of(&report(20261205, "bb", None)), ContentStatus::Differs, "newer than published");
        // A kiosk of an earlier release sends no identity: the same number is all it says.
        assert_eq!(published.status_of(&report(20261204, "", None)), ContentStatus::SameVersion);
        assert!(!ContentStatus::SameVersion.needs_attention() && ContentStatus::Differs.needs_attention());
        assert_eq!(published.status_of(&report(20261201, "cc", None)), ContentStatus::Behind { versions: 2 });
        assert_eq!(published.status_of(&report(20261101, "dd", None)), ContentStatus::Behind { versions: 3 });
        assert_eq!(
            published.status_of(&report(20261201, "cc", Some("签名不符"))),
            ContentStatus::SyncFailing { error: "签名不符".into() }
        );
        assert_eq!(published.status_of(&report(1, "", None)).label(), "落后 3 版");
        assert_eq!(PublishedVersions::default().status_of(&report(1, "aa", None)), ContentStatus::Unknown);
        let without_history = PublishedVersions { current: Some((5, "aa".into())), history: BTreeSet::new() };
        assert_eq!(without_history.status_of(&report(4, "bb", None)), ContentStatus::Behind { versions: 1 });
    }
}
