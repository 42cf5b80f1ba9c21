//! The kiosk's bundle store:
//!
//! ```text
//! STORE/current            symlink to the bundle shown, switched by an atomic rename
//! STORE/bundles/VERSION/   complete, checked bundles: the current one and one previous
//! STORE/staging/VERSION/   a bundle being downloaded (partial files end in .part)
//! STORE/etag               the hub's tag for the manifest last seen
//! STORE/checked-shards     the facts of the clean document shards of the bundle last
//!                          checked, so that the next check reads only those that changed
//! ```

use std::{
    fs::{self, File},
    io,
    os::unix::fs::symlink,
    path::{Path, PathBuf},
};

use crate::content::{bundle_files::MANIFEST, manifest::Manifest};

pub const CURRENT: &str = "current";
/// Complete bundles kept: the current one and one to fall back to by hand.
const KEEP: usize = 2;

pub struct Store {
    root: PathBuf,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn current(&self) -> PathBuf {
        self.root.join(CURRENT)
    }

    /// The manifest of the bundle shown now, if there is one.
    pub fn current_manifest(&self) -> Option<Manifest> {
        fs::read(self.current().join(MANIFEST)).ok().and_then(|b| serde_json::from_slice(&b).ok())
    }

    /// The SHA-256 of the manifest shown now: the hub names its published bundle by it.
    pub fn current_manifest_sha256(&self) -> Option<String> {
        fs::read(self.current().join(MANIFEST)).ok().map(|bytes| super::layout::manifest_sha256(&bytes))
    }

    pub fn shard_memo(&self) -> PathBuf {
        self.root.join("checked-shards")
    }

    pub fn staging(&self, version: u64) -> PathBuf {
        self.root.join("staging").join(version.to_string())
    }

    fn bundles(&self) -> PathBuf {
        self.root.join("bundles")
    }

    pub fn etag(&self) -> Option<String> {
        fs::read_to_string(self.root.join("etag")).ok().map(|t| t.trim().to_string())
    }

    pub fn save_etag(&self, tag: &str) -> io::Result<()> {
        fs::create_dir_all(&self.root)?;
        fs::write(self.root.join("etag"), tag)
    }

    // Making the staged `version` the current bundle takes `keep`, `link`, `switch` and
    // `prune`, in that order. A crash at any point leaves `current` pointing at a complete
    // bundle.

    /// Syncs every file of the staged `version` and moves it among the complete bundles.
    pub fn keep(&self, version: u64) -> io::Result<()> {
        let staged = self.staging(version);
        sync_tree(&staged)?;
        fs::create_dir_all(self.bundles())?;
        let complete = self.bundles().join(version.to_string());
        if complete.exists() {
            fs::remove_dir_all(&complete)?;
        }
        fs::rename(&staged, &complete)?;
        File::open(self.bundles())?.sync_all()
    }

    /// Makes the link that `switch` puts in place of `current`: to the complete bundle
    /// `version`.
    pub fn link(&self, version: u64) -> io::Result<()> {
        let link = self.next_link();
        let _ = fs::remove_file(&link);
        symlink(Path::new("bundles").join(version.to_string()), &link)
    }

    /// Points `current` where `link` said, with one rename.
    pub fn switch(&self) -> io::Result<()> {
        fs::rename(self.next_link(), self.current())?;
        File::open(&self.root)?.sync_all()
    }

    fn next_link(&self) -> PathBuf {
        self.root.join(".current.new")
    }

    /// Drops complete bundles beyond the newest `KEEP` and stale staging folders, never the
    /// current one.
    pub fn prune(&self, current: u64) -> io::Result<()> {
        let mut versions: Vec<u64> = fs::read_dir(self.bundles())?
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        versions.sort_unstable_by(|a, b| b.cmp(a));
        for old in versions.into_iter().filter(|v| *v != current).skip(KEEP - 1) {
            fs::remove_dir_all(self.bundles().join(old.to_string()))?;
        }
        if let Ok(entries) = fs::read_dir(self.root.join("staging")) {
            for entry in entries.flatten() {
                let version: Option<u64> = entry.file_name().to_str().and_then(|n| n.parse().ok());
                if version.is_some_and(|v| v <= current) {
                    fs::remove_dir_all(entry.path())?;
                }
            }
        }
        Ok(())
    }
}

/// fsync every file and folder below `dir`.
fn sync_tree(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            sync_tree(&entry.path())?;
        } else {
            File::open(entry.path())?.sync_all()?;
        }
    }
    File::open(dir)?.sync_all()
}
