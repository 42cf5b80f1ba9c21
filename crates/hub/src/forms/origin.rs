//! Where a visitor came from: the handoff link of a kiosk QR code, checked. A link that is
//! stale or cannot be verified never stops anyone from submitting; the submission is simply
//! not attributed to a kiosk, and the visitor is told so plainly. A valid link credits its
//! kiosk only on the form it leads to, so one scanned link cannot be reused to credit a
//! kiosk with other forms.

use gongkai_core::handoff::{Refusal, Target, Verified};
use crate::{Hub, submissions::form::Kind};

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
    /// The link verified (whatever form it is used on): it is then counted in the limits.
    pub verified: bool,
}

/// Checks the link a visitor came by; no link means the visitor came to the form directly.
pub fn check(hub: &Hub, link: Option<&str>) -> Origin {
    let Some(link) = link.filter(|l| !l.is_empty()) else { return Origin::default() };
    Origin::from(&hub.verify_link(link))
}

/// As `check`, for a form of `kind` about `subject` being submitted.
pub fn check_submission(hub: &Hub, link: Option<&str>, kind: Kind, subject: Option<&str>) -> Origin {
    let Some(link) = link.filter(|l| !l.is_empty()) else { return Origin::default() };
    let checked = hub.verify_link(link);
    match &checked {
        Ok(verified) if !leads_to(&verified.target, kind, subject) => {
            Origin { kiosk: None, note: Some("二维码对应其他事项".into()), notice: None, verified: true }
        }
        _ => Origin::from(&checked),
    }
}

/// Whether a link to `target` leads to a form of `kind` about `subject`: its own form, or
/// for a document the two forms its page offers.
fn leads_to(target: &Target, kind: Kind, subject: Option<&str>) -> bool {
    match target {
        Target::Apply(id) => kind == Kind::Apply && id.as_deref() == subject,
        Target::Document(id) => (kind == Kind::Apply && subject == Some(id)) || kind == Kind::Opinion,
        Target::Consultation(id) => kind == Kind::Consultation && subject == Some(id),
        Target::Opinion => kind == Kind::Opinion,
        Target::Satisfaction => kind == Kind::Satisfaction,
        Target::Guide(_) => false,
    }
}

impl From<&Result<Verified, Refusal>> for Origin {
    fn from(checked: &Result<Verified, Refusal>) -> Self {
        match checked {
            Ok(verified) => Origin { kiosk: Some(verified.kiosk.clone()), verified: true, ..Origin::default() },
            Err(Refusal::Expired { .. }) => Origin { note: Some("二维码已过期".into()), notice: Some(EXPIRED), ..Origin::default() },
            Err(_) => Origin { note: Some("二维码无法验证".into()), notice: Some(UNVERIFIED), ..Origin::default() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_leads_only_to_its_own_forms() {
        let doc = Target::Document("doc-1".into());
        assert!(leads_to(&doc, Kind::Apply, Some("doc-1")) && leads_to(&doc, Kind::Opinion, None));
        assert!(!leads_to(&doc, Kind::Apply, Some("doc-2")) && !leads_to(&doc, Kind::Satisfaction, None));
        assert!(leads_to(&Target::Satisfaction, Kind::Satisfaction, None));
        assert!(!leads_to(&Target::Satisfaction, Kind::Opinion, None), "a 满意度 link on the 意见 form");
        assert!(leads_to(&Target::Apply(None), Kind::Apply, None) && !leads_to(&Target::Apply(None), Kind::Apply, Some("doc-1")));
        assert!(!leads_to(&Target::Consultation("c-1".into()), Kind::Consultation, Some("c-2")));
        assert!(!leads_to(&Target::Guide("g-1".into()), Kind::Opinion, None));
    }
}
