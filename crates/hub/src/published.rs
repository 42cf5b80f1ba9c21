//! The content of the published bundle, as the mobile pages need it: document titles for the
//! application form, consultation drafts, guides' online services, the office's letterhead.
//!
//! The published files are unpacked (hard links to the objects, no copies) into
//! `DATA/unpacked/MANIFEST-SHA256/` and read with the same checker a kiosk uses, so the hub
//! and the screens can never disagree about what a bundle says.

use std::{
    collections::HashMap,
    fs,
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant, SystemTime},
};


use super::page::Letterhead;
use gongkai_core::sync::layout::{PUBLISHED_MANIFEST, manifest_sha256, object_path, signature_path};
use gongkai_core::content::{
    bundle_files::{MANIFEST, SIGNATURE},
    check::{CheckOptions, check_bundle},
    manifest::Manifest,
    model::{Consultation, Document, ServiceGuide},
};

/// What the forms look up, by id.
#[derive(Debug, Default)]
pub struct PublishedContent {
    pub letterhead: Letterhead,
    pub documents: HashMap<String, Document>,
    pub consultations: HashMap<String, Consultation>,
    pub guides: HashMap<String, ServiceGuide>,
}

/// The latest published content, reloaded when the manifest changes.
pub struct Published {
    data: PathBuf,
    current: RwLock<Loaded>,
    /// The manifest file as last looked at, and when it failed to load if it did: it is read
    /// again only when it changes, or a while after a failure.
    seen: Mutex<Option<(FileStamp, Option<Instant>)>>,
}

#[derive(Default)]
struct Loaded {
    bundle: Option<(u64, String)>,
    content: Arc<PublishedContent>,
}

/// What tells a replaced file from the one before without reading it: `publish` renames a
/// new manifest into place.
type FileStamp = (u64, u64, Option<SystemTime>);

/// A published bundle that could not be loaded (a full disk, too many open files) is tried
/// again after this.
const RETRY_FAILED: Duration = Duration::from_secs(10);

impl Published {
    pub fn new(data: &Path) -> Self {
        let published = Self { data: data.to_path_buf(), current: RwLock::default(), seen: Mutex::new(None) };
        published.refresh();
        published
    }

    pub fn content(&self) -> Arc<PublishedContent> {
        Arc::clone(&self.current.read().unwrap_or_else(|p| p.into_inner()).content)
    }

    /// The version and manifest SHA-256 of the bundle loaded.
    pub fn bundle(&self) -> Option<(u64, String)> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).bundle.clone()
    }

    /// Loads the published bundle if it changed since the last call; returns it if so. A
    /// bundle that cannot be read keeps the previous content in place; the reason goes to
    /// the log, and it is tried again after `RETRY_FAILED`.
    pub fn refresh(&self) -> Option<(u64, String)> {
        let path = self.data.join(PUBLISHED_MANIFEST);
        let stamp = fs::metadata(&path).ok().map(|m| (m.ino(), m.len(), m.modified().ok()));
        {
            let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            let settled = |(seen, failed_at): &(FileStamp, Option<Instant>)| {
                Some(*seen) == stamp && failed_at.is_none_or(|at| at.elapsed() < RETRY_FAILED)
            };
            if stamp.is_none() || seen.as_ref().is_some_and(settled) {
                return None;
            }
        }
        let loaded = fs::read(&path).map_err(|e| format!("{}: {e}", path.display())).and_then(|manifest_bytes| {
            let sha = manifest_sha256(&manifest_bytes);
            if self.bundle().is_some_and(|(_, loaded)| loaded == sha) {
                return Ok(None);
            }
            let (version, content) = self.load(&manifest_bytes, &sha)?;
            let bundle = (version, sha);
            *self.current.write().unwrap_or_else(|p| p.into_inner()) = Loaded { bundle: Some(bundle.clone()), content: Arc::new(content) };
            Ok(Some(bundle))
        });
        let failed_at = loaded.as_ref().err().map(|reason| {
            eprintln!("published bundle not loaded: {reason}");
            Instant::now()
        });
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = stamp.map(|stamp| (stamp, failed_at));
        loaded.ok().flatten()
    }

    fn load(&self, manifest_bytes: &[u8], sha: &str) -> Result<(u64, PublishedContent), String> {
        let unpacked = self.data.join("unpacked");
        let folder = unpacked.join(sha);
        if !folder.join(MANIFEST).exists() {
            unpack(&self.data, manifest_bytes, sha, &folder)?;
        }
        // Older unpacked bundles are only links; removing them frees nothing but names.
        if let Ok(entries) = fs::read_dir(&unpacked) {
            for entry in entries.flatten().filter(|e| e.file_name() != sha) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        let checked = check_bundle(&folder, &CheckOptions::at_local_now());
        if let Some(problem) = checked.problems.first() {
            return Err(format!("{}: {problem}", folder.display()));
        }
        let version = checked.manifest.as_ref().map_or(0, |m| m.bundle_version);
        let content = checked.content;
        let site = &content.site;
        let content = PublishedContent {
            letterhead: Letterhead { office: site.office.clone(), hotline: site.hotline.clone(), address: site.address.clone() },
            documents: content.documents.into_iter().map(|d| (d.id.clone(), d)).collect(),
            consultations: content.consultations.into_iter().map(|c| (c.id.clone(), c)).collect(),
            guides: content.service_guides.into_iter().map(|g| (g.id.clone(), g)).collect(),
        };
        Ok((version, content))
    }
}

fn unpack(data: &Path, manifest_bytes: &[u8], sha: &str, folder: &Path) -> Result<(), String> {
    let manifest: Manifest =
        serde_json::from_slice(manifest_bytes).map_err(|e| format!("{}: {e}", data.join(PUBLISHED_MANIFEST).display()))?;
    let staging = folder.with_extension("part");
    let _ = fs::remove_dir_all(&staging);
    for file in &manifest.files {
        // The manifest was checked at publishing; the path check here keeps a tampered data
        // folder from writing outside `staging`.
        if file.path.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
            return Err(format!("manifest path {:?} escapes the bundle", file.path));
        }
        let target = staging.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let object = data.join(object_path(&file.sha256));
        fs::hard_link(&object, &target)
            .or_else(|_| fs::copy(&object, &target).map(drop))
            .map_err(|e| format!("{}: {e}", object.display()))?;
    }
    fs::write(staging.join(MANIFEST), manifest_bytes).map_err(|e| format!("{}: {e}", staging.display()))?;
    let signature = data.join(signature_path(sha));
    fs::copy(&signature, staging.join(SIGNATURE)).map_err(|e| format!("{}: {e}", signature.display()))?;
    fs::rename(&staging, folder).map_err(|e| format!("{}: {e}", folder.display()))
}
