//! The static layout a hub publishes and a kiosk fetches: the hub writes it, sync reads it,
//! and any web server, CDN or object store can serve it in between.

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
