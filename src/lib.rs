//! gongkai: the touch kiosk and LED wall (Bevy) and the `gongkai` command line.
//!
//! The Bevy layer only displays and reacts: content, checks, search, links and sync come
//! from `gongkai_core`.

pub mod cli;
pub mod kiosk;
