//! QR handoff from a screen to a visitor's phone: signed short links and their QR images.
//!
//! The kiosk makes a link for what the visitor is looking at; the hub verifies the link's
//! signature and expiry before it attributes a submission to a kiosk. Both sides share this
//! module, so the link format is defined once.

mod base32;
pub(crate) mod link;
mod qr;

pub use link::{HandoffError, LinkSigner, Refusal, Target, Verified, constant_time_eq, is_id, target_of, verify};
pub use qr::{QrImage, QrModules, qr_modules};
