//! `gongkai-hub publish`: put a checked, signed bundle into the static layout.

use std::{
    fs::{self, File},
    path::{Path, PathBuf},
};

use gongkai_core::content::{
    bundle_files::{MANIFEST, SIGNATURE},
    check::{CheckOptions, verify_bundle},
    manifest::Manifest,
};
use gongkai_core::sync::layout::{PUBLISHED_MANIFEST, manifest_sha256, object_path, signature_path};

/// One line per publish, `VERSION MANIFEST-SHA256 UNIX-TIME`, then for a 撤回 the version whose
/// content it publishes again, in the data folder (not served): the fleet page counts the
/// versions a kiosk is behind from it, and 撤回 finds the version before.
pub const PUBLISH_HISTORY: &str = "publish-history";

/// Every manifest published, by its SHA-256, so that an earlier version's content can be
/// published again (its files stay among the objects).
const KEPT_MANIFESTS: &str = "manifests";

/// One publish, as the history records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishRecord {
    pub version: u64,
    pub manifest_sha: String,
    pub at: i64,
    /// The version that first published the content this publish restored (撤回).
    pub restores: Option<u64>,
}

impl PublishRecord {
    /// The version that first published this content.
    pub fn origin(&self) -> u64 {
        self.restores.unwrap_or(self.version)
    }
}

/// Every publish recorded in `data`, oldest first; a line that cannot be read is passed over.
pub fn publish_records(data: &Path) -> Vec<PublishRecord> {
    let history = fs::read_to_string(data.join(PUBLISH_HISTORY)).unwrap_or_default();
    history
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            Some(PublishRecord {
                version: fields.next()?.parse().ok()?,
                manifest_sha: fields.next()?.to_string(),
                at: fields.next()?.parse().ok()?,
                restores: fields.next().and_then(|v| v.parse().ok()),
            })
        })
        .collect()
}

/// Where the manifest with this SHA-256 is kept in the data folder.
pub fn kept_manifest(manifest_sha: &str) -> String {
    format!("{KEPT_MANIFESTS}/{manifest_sha}.json")
}

/// Publishes `bundle` into `data`: objects first, then the signature, then the manifest by an
/// atomic rename, so a client never sees a manifest whose files are not all there. Refuses
/// a bundle that fails the checker, is unsigned, or is not newer than the one published.
pub fn publish(bundle: &Path, data: &Path) -> Result<Manifest, String> {
    let checked = verify_bundle(bundle, &CheckOptions::at_local_now(), None);
    if let Some(problem) = checked.problems.first() {
        return Err(format!("{}: refused by the checker ({} problems), first: {problem}", bundle.display(), checked.problems.len()));
    }
    let manifest = checked.manifest.ok_or_else(|| format!("{}: no manifest", bundle.display()))?;
    publish_checked(bundle, data, manifest, None)
}

/// Publishes `bundle` as `publish` does, once the caller has checked it as of now and found
/// `manifest` in it with no problem: the checker is not run a second time. `restores` is the
/// earlier version whose content it publishes again, for a 撤回.
pub(crate) fn publish_checked(bundle: &Path, data: &Path, manifest: Manifest, restores: Option<u64>) -> Result<Manifest, String> {
    let signature = fs::read(bundle.join(SIGNATURE))
        .map_err(|e| format!("{}: {e} (sign it with `gongkai content sign`)", bundle.join(SIGNATURE).display()))?;
    let published = published_version(data)?;
    if let Some(published) = published
        && manifest.bundle_version <= published
    {
        return Err(format!(
            "bundle version {} is not newer than the published {published}; versions only increase",
            manifest.bundle_version
        ));
    }
    for entry in &manifest.files {
        let target = data.join(object_path(&entry.sha256));
        if !target.exists() {
            copy_durably(&bundle.join(&entry.path), &target)?;
        }
    }
    let manifest_bytes = fs::read(bundle.join(MANIFEST)).map_err(|e| format!("{}: {e}", bundle.join(MANIFEST).display()))?;
    let manifest_sha = manifest_sha256(&manifest_bytes);
    write_durably(&data.join(signature_path(&manifest_sha)), &signature)?;
    write_durably(&data.join(kept_manifest(&manifest_sha)), &manifest_bytes)?;
    // The history first: whoever reads the new manifest finds its version already counted.
    record_in_history(data, published, manifest.bundle_version, &manifest_sha, restores)?;
    write_durably(&data.join(PUBLISHED_MANIFEST), &manifest_bytes)?;
    Ok(manifest)
}

/// Adds `version` to the history of `data`, whose published version is `published`.
fn record_in_history(data: &Path, published: Option<u64>, version: u64, manifest_sha: &str, restores: Option<u64>) -> Result<(), String> {
    let path = data.join(PUBLISH_HISTORY);
    let earlier = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    // A publish stopped after its history line and before its manifest published nothing:
    // a line above the published version goes, so only versions that were shown are counted.
    let mut history: String = earlier
        .lines()
        .filter(|line| line.split_whitespace().next().and_then(|v| v.parse::<u64>().ok()).is_some_and(|v| Some(v) <= published))
        .map(|line| format!("{line}\n"))
        .collect();
    let restores = restores.map(|v| format!(" {v}")).unwrap_or_default();
    history.push_str(&format!("{version} {manifest_sha} {}{restores}\n", chrono::Utc::now().timestamp()));
    write_durably(&path, history.as_bytes())
}

/// The version of the bundle published in `data`, if any.
pub(crate) fn published_version(data: &Path) -> Result<Option<u64>, String> {
    let path = data.join(PUBLISHED_MANIFEST);
    match fs::read(&path) {
        Ok(bytes) => serde_json::from_slice::<Manifest>(&bytes)
            .map(|m| Some(m.bundle_version))
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn copy_durably(from: &Path, to: &Path) -> Result<(), String> {
    let bytes = fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    write_durably(to, &bytes)
}

/// The publisher's secret key that `serve --publisher-key` names: only the hub's own user
/// may read the file (mode 0600 or stricter), or the hub does not start.
pub fn read_publisher_key(path: &Path) -> Result<ed25519_dalek::SigningKey, String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!("{}: mode {mode:04o} lets other users read the publisher key; run chmod 600 {}", path.display(), path.display()));
    }
    gongkai_core::signing::read_signing_key(path)
}

/// Writes beside the target, syncs, renames into place and syncs the folder.
pub(crate) fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(fail)?;
    let temporary: PathBuf = dir.join(format!(".{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("file")));
    fs::write(&temporary, bytes).map_err(fail)?;
    File::open(&temporary).and_then(|f| f.sync_all()).map_err(fail)?;
    fs::rename(&temporary, path).map_err(fail)?;
    File::open(dir).and_then(|d| d.sync_all()).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_line_of_a_version_never_published_goes_with_the_next_publish() {
        let data = tempfile::tempdir().unwrap();
        // Version 7 was killed after its line and before its manifest; 1 is still shown.
        fs::write(data.path().join(PUBLISH_HISTORY), "1 aaa 10\n7 bbb 11\n").unwrap();
        record_in_history(data.path(), Some(1), 9, "ccc", None).unwrap();
        let versions: Vec<u64> = publish_records(data.path()).iter().map(|r| r.version).collect();
        assert_eq!(versions, [1, 9]);
    }
}
