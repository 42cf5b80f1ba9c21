//! The files of a bundle on disk: their names, a safe walk, and path confinement.

use std::{
    fs,
    path::{Component, Path},
};

/// Required content files.
pub const SITE: &str = "site.json";
pub const CATALOGUE: &str = "catalogue.json";
/// Folder of document shards, each a JSON array.
pub const DOCUMENTS_DIR: &str = "documents";
pub const INTERPRETATIONS: &str = "interpretations.json";
pub const KEY_WORK: &str = "key_work.json";
pub const ADMIN_RESULTS: &str = "admin_results.json";
pub const DISCLOSURE_STATS: &str = "disclosure_stats.json";
pub const CONSULTATIONS: &str = "consultations.json";
pub const SERVICE_GUIDES: &str = "service_guides.json";
pub const NOTICES: &str = "notices.json";
pub const COMMUNITIES: &str = "communities.json";
pub const MANIFEST: &str = "manifest.json";
/// The publisher's signature over manifest.json (see `signing`); not listed in the manifest.
pub const SIGNATURE: &str = "manifest.sig";

/// The files that describe a bundle rather than belong to it.
pub fn is_bundle_metadata(path: &str) -> bool {
    path == MANIFEST || path == SIGNATURE
}

/// Largest content JSON file read into memory; large corpora are split into shards.
pub const MAX_JSON_BYTES: u64 = 64 * 1024 * 1024;
/// Image limits: kiosk GPUs are weak and a texture this size already fills a 4K wall.
pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;
pub const MAX_IMAGE_SIDE: u32 = 4096;

/// A regular file found in a bundle, by its `/`-separated path relative to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    pub path: String,
    pub size: u64,
}

/// Something in the bundle folder that cannot be part of a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedEntry {
    pub path: String,
    pub reason: String,
}

/// Lists every regular file under `root`, sorted by path. Symbolic links to files inside the
/// bundle count as files; links leading outside, links to folders, and special files (FIFOs,
/// sockets, devices, which could block or fake a read) are rejected, never opened.
pub fn walk(root: &Path) -> std::io::Result<(Vec<BundleFile>, Vec<RejectedEntry>)> {
    let canonical_root = root.canonicalize()?;
    let mut files = Vec::new();
    let mut rejected = Vec::new();
    let mut pending = vec![String::new()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(root.join(&dir)) {
            Ok(entries) => entries,
            Err(e) => {
                rejected.push(RejectedEntry { path: display_dir(&dir), reason: e.to_string() });
                continue;
            }
        };
        for entry in entries {
            let entry = entry?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                rejected.push(RejectedEntry {
                    path: format!("{dir}{}", entry.file_name().to_string_lossy()),
                    reason: "file name is not valid UTF-8".into(),
                });
                continue;
            };
            let path = format!("{dir}{name}");
            let meta = entry.path().symlink_metadata()?;
            if meta.is_dir() {
                pending.push(format!("{path}/"));
            } else if meta.is_file() {
                files.push(BundleFile { path, size: meta.len() });
            } else if meta.is_symlink() {
                match classify_link(&entry.path(), &canonical_root) {
                    Ok(size) => files.push(BundleFile { path, size }),
                    Err(reason) => rejected.push(RejectedEntry { path, reason }),
                }
            } else {
                rejected.push(RejectedEntry { path, reason: "not a regular file".into() });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    rejected.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, rejected))
}

fn display_dir(dir: &str) -> String {
    if dir.is_empty() { ".".into() } else { dir.trim_end_matches('/').into() }
}

/// The size of the regular file a link points to, if it stays inside the bundle.
fn classify_link(link: &Path, canonical_root: &Path) -> Result<u64, String> {
    let target = link
        .canonicalize()
        .map_err(|_| "symbolic link points to nothing".to_string())?;
    if !target.starts_with(canonical_root) {
        return Err("symbolic link leads outside the bundle".into());
    }
    let meta = target.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("symbolic link to something other than a regular file".into());
    }
    Ok(meta.len())
}

/// Why a path written in content or the manifest cannot name a file of the bundle, if so.
pub fn unconfined_reason(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("path is empty");
    }
    if path.contains('\\') {
        return Some("path uses '\\'; separate folders with '/'");
    }
    if path.starts_with('/') || Path::new(path).is_absolute() || path.contains(':') {
        return Some("path is absolute; paths are relative to the bundle root");
    }
    for component in Path::new(path).components() {
        match component {
            Component::ParentDir => return Some("path contains '..' and could leave the bundle"),
            Component::Normal(_) => {}
            _ => return Some("path contains '.' or an empty folder name"),
        }
    }
    if path.split('/').any(str::is_empty) || path.split('/').any(|p| p == ".") {
        return Some("path contains '.' or an empty folder name");
    }
    None
}

/// True for file names the checker decodes as images.
pub fn has_image_extension(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".png") || lower.ends_with(".jpg") || lower.ends_with(".jpeg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confinement() {
        assert_eq!(unconfined_reason("images/a.png"), None);
        assert!(unconfined_reason("../etc/passwd").unwrap().contains(".."));
        assert!(unconfined_reason("images/../../x").unwrap().contains(".."));
        assert!(unconfined_reason("/etc/passwd").unwrap().contains("absolute"));
        assert!(unconfined_reason("C:/x.png").unwrap().contains("absolute"));
        assert!(unconfined_reason("images\\a.png").unwrap().contains("'\\'"));
        assert!(unconfined_reason("images//a.png").is_some());
        assert!(unconfined_reason("./a.png").is_some());
        assert!(unconfined_reason("").is_some());
    }

    #[test]
    fn image_extensions() {
        assert!(has_image_extension("images/a.PNG"));
        assert!(has_image_extension("b.jpeg"));
        assert!(!has_image_extension("c.gif"));
    }
}
