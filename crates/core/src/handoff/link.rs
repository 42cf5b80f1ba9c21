//! Signed handoff links: `{BASE}/H/{target}.{kiosk}.{expiry}.{signature}`, all upper case.
//!
//! - target: one letter for the kind, then the content id (`DDOC-A-001`, `A` for a blank form);
//! - kiosk: the screen's id; expiry: Unix seconds in base 36;
//! - signature: HMAC-SHA256 over the three, truncated to 80 bits, base32.
//!
//! Ids are lower-case letters, digits and hyphens (the checker and the config make sure), so
//! upper-casing them loses nothing, and the whole link fits QR version 5 at level M.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::base32;

/// Signature bytes kept: 80 bits is plenty for links that expire within hours.
const SIGNATURE_BYTES: usize = 10;
const MAX_ID_LEN: usize = 24;
/// Characters a link may have: QR version 5 at level M holds 122 alphanumeric characters in
/// one segment; the margin covers the encoder switching segments for runs of digits.
const MAX_LINK_LEN: usize = 118;
/// Base-36 digits of any expiry up to the year 5000.
const EXPIRY_DIGITS: usize = 7;
/// Domain separation, so the key can never sign anything else by accident.
const CONTEXT: &str = "gongkai-handoff-v1";

/// What the visitor's phone opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A document to read on the phone (扫码带走).
    Document(String),
    /// A service guide's online service (手机办理).
    Guide(String),
    /// Feedback on an open consultation.
    Consultation(String),
    /// The 政府信息公开申请 form, pre-filled from a document when one is given.
    Apply(Option<String>),
    /// The 意见建议 form.
    Opinion,
    /// The 满意度评价 form.
    Satisfaction,
}

impl Target {
    /// The kind's name in statistics: the QR funnel counts codes shown and opened by it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Target::Document(_) => "document",
            Target::Guide(_) => "guide",
            Target::Consultation(_) => "consultation",
            Target::Apply(_) => "apply",
            Target::Opinion => "opinion",
            Target::Satisfaction => "satisfaction",
        }
    }

    fn letter_and_id(&self) -> (char, Option<&str>) {
        match self {
            Target::Document(id) => ('D', Some(id)),
            Target::Guide(id) => ('G', Some(id)),
            Target::Consultation(id) => ('C', Some(id)),
            Target::Apply(id) => ('A', id.as_deref()),
            Target::Opinion => ('O', None),
            Target::Satisfaction => ('S', None),
        }
    }

    fn encode(&self) -> String {
        let (letter, id) = self.letter_and_id();
        format!("{letter}{}", id.unwrap_or_default().to_ascii_uppercase())
    }

    fn decode(text: &str) -> Option<Target> {
        let mut chars = text.chars();
        let letter = chars.next()?;
        let id = chars.as_str().to_ascii_lowercase();
        if !id.is_empty() && !is_id(&id) {
            return None;
        }
        let required = || (!id.is_empty()).then(|| id.clone());
        Some(match letter {
            'D' => Target::Document(required()?),
            'G' => Target::Guide(required()?),
            'C' => Target::Consultation(required()?),
            'A' => Target::Apply(required()),
            'O' if id.is_empty() => Target::Opinion,
            'S' if id.is_empty() => Target::Satisfaction,
            _ => return None,
        })
    }
}

/// Lower-case ASCII letters, digits and hyphens, 1 to 24 characters.
pub fn is_id(text: &str) -> bool {
    (1..=MAX_ID_LEN).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandoffError {
    BaseUrl(String),
    KioskId(String),
    Secret,
    TargetId(String),
}

impl fmt::Display for HandoffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandoffError::BaseUrl(url) => {
                write!(f, "base_url {url:?} must start with http:// or https:// and hold only letters, digits and - . / :")
            }
            HandoffError::KioskId(id) => {
                write!(f, "kiosk id {id:?} must be 1–{MAX_ID_LEN} lower-case letters, digits or hyphens")
            }
            HandoffError::Secret => write!(f, "secret must be at least 16 bytes"),
            HandoffError::TargetId(id) => {
                write!(f, "id {id:?} must be 1–{MAX_ID_LEN} lower-case letters, digits or hyphens")
            }
        }
    }
}

impl std::error::Error for HandoffError {}

/// Makes this kiosk's links.
#[derive(Clone)]
pub struct LinkSigner {
    prefix: String,
    kiosk: String,
    secret: Vec<u8>,
    lifetime_s: i64,
}

impl fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkSigner").field("prefix", &self.prefix).field("kiosk", &self.kiosk).finish_non_exhaustive()
    }
}

impl LinkSigner {
    pub fn new(base_url: &str, kiosk: &str, secret: &[u8], lifetime_s: u32) -> Result<Self, HandoffError> {
        let base = base_url.trim_end_matches('/').to_ascii_uppercase();
        let scheme_ok = base.starts_with("HTTP://") || base.starts_with("HTTPS://");
        let chars_ok = base.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-./:".contains(&b));
        if !scheme_ok || !chars_ok {
            return Err(HandoffError::BaseUrl(base_url.to_string()));
        }
        if !is_id(kiosk) {
            return Err(HandoffError::KioskId(kiosk.to_string()));
        }
        let longest = base.len() + "/H/".len() + 1 + MAX_ID_LEN + 1 + kiosk.len() + 1 + EXPIRY_DIGITS + 1 + 16;
        if longest > MAX_LINK_LEN {
            return Err(HandoffError::BaseUrl(format!("{base_url} (too long: links must fit QR version 5)")));
        }
        if secret.len() < 16 {
            return Err(HandoffError::Secret);
        }
        Ok(Self {
            prefix: format!("{base}/H/"),
            kiosk: kiosk.to_ascii_uppercase(),
            secret: secret.to_vec(),
            lifetime_s: i64::from(lifetime_s),
        })
    }

    /// The link for `target`, valid until `now_unix` plus the lifetime.
    pub fn link(&self, target: &Target, now_unix: i64) -> Result<String, HandoffError> {
        if let (_, Some(id)) = target.letter_and_id()
            && !is_id(id)
        {
            return Err(HandoffError::TargetId(id.to_string()));
        }
        let target = target.encode();
        let expiry = to_base36(now_unix.saturating_add(self.lifetime_s).max(0) as u64);
        let signature = sign(&self.secret, &target, &self.kiosk, &expiry);
        Ok(format!("{}{target}.{}.{expiry}.{signature}", self.prefix, self.kiosk))
    }
}

/// A link that passed verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub target: Target,
    /// The kiosk id, lower case as in its config.
    pub kiosk: String,
    pub expires_unix: i64,
}

/// Why a link does not prove where the visitor came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Malformed,
    UnknownKiosk(String),
    BadSignature,
    Expired { expired_unix: i64 },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Malformed => write!(f, "not a handoff link"),
            Refusal::UnknownKiosk(id) => write!(f, "unknown kiosk {id}"),
            Refusal::BadSignature => write!(f, "signature does not match"),
            Refusal::Expired { expired_unix } => write!(f, "expired at {expired_unix}"),
        }
    }
}

/// Checks a link (or just its last path segment). `secret_for` gives a kiosk's key by its id.
pub fn verify<S: AsRef<[u8]>>(
    link: &str,
    secret_for: impl Fn(&str) -> Option<S>,
    now_unix: i64,
) -> Result<Verified, Refusal> {
    let token = link.rsplit('/').next().unwrap_or(link).to_ascii_uppercase();
    let parts: Vec<&str> = token.split('.').collect();
    let [target_text, kiosk, expiry, signature] = parts[..] else { return Err(Refusal::Malformed) };
    let target = Target::decode(target_text).ok_or(Refusal::Malformed)?;
    let expires_unix = from_base36(expiry).ok_or(Refusal::Malformed)?;
    let kiosk_id = kiosk.to_ascii_lowercase();
    if !is_id(&kiosk_id) {
        return Err(Refusal::Malformed);
    }
    let secret = secret_for(&kiosk_id).ok_or_else(|| Refusal::UnknownKiosk(kiosk_id.clone()))?;
    let expected = sign(secret.as_ref(), target_text, kiosk, expiry);
    if !constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
        return Err(Refusal::BadSignature);
    }
    if now_unix > expires_unix {
        return Err(Refusal::Expired { expired_unix: expires_unix });
    }
    Ok(Verified { target, kiosk: kiosk_id, expires_unix })
}

/// The target a link names, unchecked: a stale or unverifiable link still says which form
/// or document the visitor wanted, and prefilling it is harmless.
pub fn target_of(link: &str) -> Option<Target> {
    let token = link.rsplit('/').next().unwrap_or(link).to_ascii_uppercase();
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    Target::decode(parts[0])
}

fn sign(secret: &[u8], target: &str, kiosk: &str, expiry: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(format!("{CONTEXT}\n{target}\n{kiosk}\n{expiry}").as_bytes());
    base32::encode(&mac.finalize().into_bytes()[..SIGNATURE_BYTES])
}

/// Equal without revealing, by timing, where two secrets first differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn to_base36(mut value: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(value % 36) as usize]);
        value /= 36;
        if value == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII digits")
}

fn from_base36(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 13 {
        return None;
    }
    i64::from_str_radix(text, 36).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    const NOW: i64 = 1_795_000_000;

    fn signer() -> LinkSigner {
        LinkSigner::new("https://gk.yunxi.example.cn/", "yunxi-hall-01", SECRET, 7200).unwrap()
    }

    fn keys(kiosk: &str) -> Option<&'static [u8]> {
        (kiosk == "yunxi-hall-01").then_some(SECRET)
    }

    #[test]
    fn round_trips_every_target() {
        let targets = [
            Target::Document("doc-a-001".into()),
            Target::Guide("bs-001".into()),
            Target::Consultation("zj-2025-01".into()),
            Target::Apply(Some("doc-a-001".into())),
            Target::Apply(None),
            Target::Opinion,
            Target::Satisfaction,
        ];
        for target in targets {
            let link = signer().link(&target, NOW).unwrap();
            assert!(link.starts_with("HTTPS://GK.YUNXI.EXAMPLE.CN/H/"), "{link}");
            assert_eq!(link, link.to_ascii_uppercase());
            let verified = verify(&link, keys, NOW + 60).unwrap();
            assert_eq!(verified, Verified { target, kiosk: "yunxi-hall-01".into(), expires_unix: NOW + 7200 });
        }
    }

    #[test]
    fn refuses_forged_stale_and_foreign_links() {
        let link = signer().link(&Target::Document("doc-a-001".into()), NOW).unwrap();
        assert_eq!(verify(&link.replace("DOC-A-001", "DOC-A-002"), keys, NOW), Err(Refusal::BadSignature));
        assert_eq!(verify(&link, keys, NOW + 7201), Err(Refusal::Expired { expired_unix: NOW + 7200 }));
        let other = LinkSigner::new("https://gk.yunxi.example.cn", "hall-02", SECRET, 60).unwrap();
        let foreign = other.link(&Target::Opinion, NOW).unwrap();
        assert_eq!(verify(&foreign, keys, NOW), Err(Refusal::UnknownKiosk("hall-02".into())));
        let wrong_key = LinkSigner::new("https://gk.yunxi.example.cn", "yunxi-hall-01", &[7; 32], 60).unwrap();
        assert_eq!(verify(&wrong_key.link(&Target::Opinion, NOW).unwrap(), keys, NOW), Err(Refusal::BadSignature));
        // Pushing the expiry forward breaks the signature.
        let mut parts: Vec<String> = link.split('.').map(String::from).collect();
        let n = parts.len();
        parts[n - 2] = to_base36((NOW + 99_999) as u64);
        assert_eq!(verify(&parts.join("."), keys, NOW), Err(Refusal::BadSignature));
        for junk in ["", "HTTPS://X/H/", "DDOC.A", "X.Y.Z.W", "O1.YUNXI-HALL-01.ZZ.AAAA", "D.YUNXI-HALL-01.1.A"] {
            assert_eq!(verify(junk, keys, NOW).unwrap_err(), Refusal::Malformed, "{junk}");
        }
    }

    #[test]
    fn refuses_ids_that_would_not_survive_upper_case() {
        assert_eq!(
            signer().link(&Target::Document("Doc_1".into()), NOW),
            Err(HandoffError::TargetId("Doc_1".into()))
        );
        assert!(LinkSigner::new("ftp://x", "k", SECRET, 1).is_err());
        assert!(LinkSigner::new("https://x/a?b", "k", SECRET, 1).is_err());
        assert!(LinkSigner::new("https://x", "Hall 1", SECRET, 1).is_err());
        assert!(LinkSigner::new("https://x", "k", b"short", 1).is_err());
        let long_base = format!("https://{}.cn", "x".repeat(120));
        assert!(matches!(LinkSigner::new(&long_base, "k", SECRET, 1), Err(HandoffError::BaseUrl(_))));
    }

    #[test]
    fn base36_round_trips() {
        for value in [0u64, 35, 36, 1_795_000_000, i64::MAX as u64] {
            assert_eq!(from_base36(&to_base36(value)), Some(value as i64));
        }
    }
}
