//! gongkai: content, search and handoff core of the 政务公开 kiosk and LED wall.
//!
//! Everything here is plain Rust without Bevy, so the hub and command-line tools build
//! without a graphics stack. The Bevy front end lives in `kiosk` behind the `kiosk` feature.

pub mod admin_pin;
pub mod cli;
pub mod config;
pub mod content;
pub mod dashboards;
pub mod fleet;
pub mod handoff;
pub mod hub;
pub mod library;
pub mod listing;
pub mod number_format;
pub mod process_memory;
pub mod random;
pub mod search;
pub mod signing;
pub mod speech;
pub mod submissions;
pub mod sync;
pub mod wall;
#[cfg(feature = "kiosk")]
pub mod kiosk;
