//! The static layout a hub publishes and a kiosk fetches: the hub writes it, sync reads it,
//! and any web server, CDN or object store can serve it in between.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::content::bundle_files::MANIFEST;

/// The latest published manifest, replaced atomically on each publish.
pub const PUBLISHED_MANIFEST: &str = "bundle/manifest.json";

/// Where a file with this SHA-256 (lower-case hex) lives in the layout.
pub fn object_path(sha256: &str) -> String {
    format!("objects/{}/{sha256}", &sha256[..2.min(sha256.len())])
}

/// The signature of the manifest whose SHA-256 is `manifest_sha256`.
pub fn signature_path(manifest_sha256: &str) -> String {
    format!("signatures/{manifest_sha256}.sig")
}

/// A manifest's identity: the SHA-256 (lower-case hex) of its bytes as published. A kiosk
/// keeps the bytes it fetched, so one bundle has one identity on the hub and on every screen.
pub fn manifest_sha256(manifest_bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(manifest_bytes))
}

/// The identity of the manifest in the bundle folder `bundle`, if it has one.
pub fn bundle_manifest_sha256(bundle: &Path) -> Option<String> {
    std::fs::read(bundle.join(MANIFEST)).ok().map(|bytes| manifest_sha256(&bytes))
}
