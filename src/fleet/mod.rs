//! The fleet: each kiosk reports its status to the hub on a timer (the heartbeat), signed
//! with its own key; the hub keeps the latest report of each and lists them as online or
//! offline, with how far their content lags the published bundle. Plain Rust.

mod auth;
mod registry;
mod report;
mod sender;

pub use auth::{SIGNATURE_HEADER, KIOSK_HEADER, sign_report, verify_report};
pub use registry::{Fleet, KioskSummary, Kiosks, read_kiosks};
pub use report::KioskReport;
pub use sender::start_heartbeat;
