//! The hub. It depends on `gongkai-core` only, never on Bevy: the compiler keeps it so.
//!
//! - publishes signed bundles as a static layout and serves it to the kiosks (`publish`,
//!   `static_files`), and receives their heartbeats;
//! - serves the mobile forms that the kiosks' QR codes open, and the 查询码 status page
//!   (`forms`);
//! - serves the staff console: inbox, cases, statistics, export, the content workspace,
//!   fleet, accounts (`console`; the rules for accounts in `accounts`);
//! - fills in the 文书 of an application as PDF (`letters`), signed by the organ that handles
//!   it (`organs`);
//! - keeps the content workspace, filled from a bundle and written out as a content folder
//!   (`content`).
//!
//! The published layout under `--data DIR` is static, so any web server, CDN or object store
//! can serve the same bundle to a city-wide fleet:
//!
//! ```text
//! bundle/manifest.json          the latest published manifest (replaced atomically)
//! signatures/SHA256.sig         the signature of the manifest whose SHA-256 is SHA256
//! objects/ab/abcdef…            every file of every published bundle, named by its SHA-256
//! ```

pub mod accounts;
pub mod content;
pub mod fleet;
pub mod letters;
pub mod organs;
pub mod reports;
pub mod roles;
pub mod submissions;

mod client;
mod console;
mod cookies;
mod forms;
mod http_policy;
mod local_time;
mod page;
mod publish;
mod published;
mod rate_limit;
mod secret;
mod serve;
mod state;
mod static_files;

pub use console::hash_password;
pub use publish::{kept_manifest, publish, publish_records};
pub use serve::serve;
pub use state::{Hub, HubConfig, Limits};
