//! Heartbeat authentication: HMAC-SHA256 of the request body with the kiosk's own key (the
//! key its QR links are signed with, under a different context), so a report can only come
//! from that kiosk, and a report more than five minutes old is refused.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::KioskReport;

pub const KIOSK_HEADER: &str = "x-gongkai-kiosk";
pub const SIGNATURE_HEADER: &str = "x-gongkai-signature";
const CONTEXT: &[u8] = b"gongkai-heartbeat-v1\n";
const MAX_AGE_S: i64 = 300;

fn mac(key: &[u8], body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(CONTEXT);
    mac.update(body);
    mac
}

/// The signature header's value for `body`.
pub fn sign_report(key: &[u8], body: &[u8]) -> String {
    hex::encode(mac(key, body).finalize().into_bytes())
}

/// Checks a report's signature and age; returns the report.
pub fn verify_report(key: &[u8], body: &[u8], signature: &str, kiosk: &str, now_unix: i64) -> Result<KioskReport, String> {
    let signature = hex::decode(signature.trim()).map_err(|_| "signature is not hex".to_string())?;
    mac(key, body).verify_slice(&signature).map_err(|_| "signature does not match".to_string())?;
    let report: KioskReport = serde_json::from_slice(body).map_err(|e| format!("report: {e}"))?;
    if report.kiosk_id != kiosk {
        return Err(format!("report names kiosk {:?}, sent as {kiosk:?}", report.kiosk_id));
    }
    if (now_unix - report.sent_at).abs() > MAX_AGE_S {
        return Err(format!("report sent at {} is more than {MAX_AGE_S} s from now", report.sent_at));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fresh_reports_signed_by_the_kiosk_pass() {
        let key = b"0123456789abcdef";
        let report = KioskReport { kiosk_id: "hall-1".into(), sent_at: 1000, ..Default::default() };
        let body = serde_json::to_vec(&report).unwrap();
        let signature = sign_report(key, &body);
        assert_eq!(verify_report(key, &body, &signature, "hall-1", 1010), Ok(report));
        assert!(verify_report(b"another key here", &body, &signature, "hall-1", 1010).is_err());
        assert!(verify_report(key, &body, &signature, "hall-2", 1010).is_err(), "sent under another name");
        assert!(verify_report(key, &body, &signature, "hall-1", 2000).is_err(), "stale or replayed");
        let mut tampered = body.clone();
        tampered[5] ^= 1;
        assert!(verify_report(key, &tampered, &signature, "hall-1", 1010).is_err());
    }
}
