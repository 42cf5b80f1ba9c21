//! `manifest.json`: every file of a bundle with its SHA-256 and size, and the page images
//! made of its PDF attachments.

use std::{
    collections::BTreeMap,
    fs::File,
    io::{self, Read},
    path::Path,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    attachment_pages,
    bundle_files::{self, BundleFile},
};

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    /// Only ever increases, so that a kiosk can refuse to roll back.
    pub bundle_version: u64,
    pub created_at: DateTime<Utc>,
    pub files: Vec<ManifestEntry>,
    /// The page images of each PDF attachment, in page order (`attachment_pages`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attachment_pages: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    pub path: String,
    /// Lower-case hex.
    pub sha256: String,
    pub size: u64,
}

/// SHA-256 (lower-case hex) and length of a file, read in blocks.
pub fn hash_file(path: &Path) -> io::Result<(String, u64)> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// A manifest describing `files` of the bundle at `root` (the manifest itself excluded).
pub fn describe(
    root: &Path,
    files: &[BundleFile],
    bundle_version: u64,
    created_at: DateTime<Utc>,
) -> io::Result<Manifest> {
    let mut entries = Vec::with_capacity(files.len());
    for file in files.iter().filter(|f| !bundle_files::is_bundle_metadata(&f.path)) {
        let (sha256, size) = hash_file(&root.join(&file.path))?;
        entries.push(ManifestEntry { path: file.path.clone(), sha256, size });
    }
    let attachment_pages = attachment_pages::listed(files);
    Ok(Manifest { format: FORMAT_VERSION, bundle_version, created_at, files: entries, attachment_pages })
}

/// The default bundle version: the build time as `YYYYMMDDhhmmss`, which only increases.
pub fn version_from_time(at: DateTime<Utc>) -> u64 {
    at.format("%Y%m%d%H%M%S").to_string().parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_sortable_timestamp() {
        let at = DateTime::parse_from_rfc3339("2026-11-22T06:15:09Z").unwrap().to_utc();
        assert_eq!(version_from_time(at), 20261122061509);
    }

    #[test]
    fn hashes_known_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "abc").unwrap();
        let (sha, size) = hash_file(&path).unwrap();
        assert_eq!(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(size, 3);
    }
}
