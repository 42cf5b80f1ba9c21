//! The hub: publishes signed bundles as plain static files and serves them. It never links
//! Bevy (`cargo build --no-default-features --bin gongkai-hub`).
//!
//! The published layout under `--data DIR` is static, so any web server, CDN or object store
//! can serve the same bundle to a city-wide fleet:
//!
//! ```text
//! bundle/manifest.json          the latest published manifest (replaced atomically)
//! signatures/SHA256.sig         the signature of the manifest whose SHA-256 is SHA256
//! objects/ab/abcdef…            every file of every published bundle, named by its SHA-256
//! ```

mod fleet_page;
mod publish;
mod serve;

pub use publish::{PUBLISHED_MANIFEST, object_path, publish, signature_path};
pub use serve::serve;
