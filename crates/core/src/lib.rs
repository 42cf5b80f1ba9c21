//! gongkai-core: the plain core of the 政务公开 kiosk, LED wall and hub.
//!
//! Content bundles and their checker, search, handwriting, QR handoff links, document listing, dashboards
//! as chart data, the wall playlist, signing, sync and the fleet heartbeat. No Bevy and no
//! HTTP server here: the hub (`gongkai-hub`) and the screens (`gongkai`) build on top of it.

pub mod admin_pin;
pub mod config;
pub mod content;
pub mod dashboards;
pub mod fleet;
pub mod handoff;
pub mod handwriting;
pub mod library;
pub mod listing;
pub mod number_format;
pub mod print;
pub mod process_memory;
pub mod random;
pub mod replace_file;
pub mod search;
pub mod signing;
pub mod speech;
pub mod sync;
pub mod wall;
