//! Where a visitor came from: the handoff link of a kiosk QR code, checked. A link that is
//! stale or cannot be verified never stops anyone from submitting; the submission is simply
//! not attributed to a kiosk, and the visitor is told so plainly.

use gongkai_core::handoff::{Refusal, Verified};
use crate::Hub;

pub const EXPIRED: &str = "此二维码已过期。您仍可填写并提交，提交内容不会记录来自哪台终端。";
pub const UNVERIFIED: &str = "无法确认此二维码的来源。您仍可填写并提交，提交内容不会记录来自哪台终端。";

#[derive(Debug, Default)]
pub struct Origin {
    /// The kiosk to credit.
    pub kiosk: Option<String>,
    /// Stored with the submission when it is not attributed.
    pub note: Option<String>,
    /// Shown to the visitor.
    pub notice: Option<&'static str>,
}

/// Checks the link a visitor came by; no link means the visitor came to the form directly.
pub fn check(hub: &Hub, link: Option<&str>) -> Origin {
    let Some(link) = link.filter(|l| !l.is_empty()) else { return Origin::default() };
    Origin::from(&hub.verify_link(link))
}

impl From<&Result<Verified, Refusal>> for Origin {
    fn from(checked: &Result<Verified, Refusal>) -> Self {
        match checked {
            Ok(verified) => Origin { kiosk: Some(verified.kiosk.clone()), ..Origin::default() },
            Err(Refusal::Expired { .. }) => Origin { kiosk: None, note: Some("二维码已过期".into()), notice: Some(EXPIRED) },
            Err(_) => Origin { kiosk: None, note: Some("二维码无法验证".into()), notice: Some(UNVERIFIED) },
        }
    }
}
