//! The fleet: each kiosk reports its status to the hub on a timer (the heartbeat), signed
//! with its own key; the hub keeps the latest report of each (its registry lives in the
//! hub crate). Here: the report, its signature, the kiosk's sender and its proof of play,
//! and the push channel by which the hub reaches a kiosk at once. Plain Rust.

mod auth;
mod listener;
mod plays;
pub mod push;
mod report;
pub mod screenshot;
mod sender;

pub use auth::{ACK_PATH, CommandAck, KIOSK_HEADER, SIGNATURE_HEADER, sign_ack, sign_report, verify_ack, verify_report};
pub use listener::{CommandOutcome, PushSettings, PushState, start_listener};
pub use plays::{MAX_PAGE_SECONDS, MAX_PLAY_NAME, MAX_PLAYS_PER_REPORT, PagePlay, PlayLog, ScreenCount};
pub use report::{KioskReport, MAX_RECENT_ERRORS, MAX_REPORT_BYTES, MAX_REPORT_TEXT};
pub use sender::start_heartbeat;
