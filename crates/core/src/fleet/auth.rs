//! Heartbeat authentication: HMAC-SHA256 of the request body with the kiosk's own key (the
//! key its QR links are signed with, under a different context), so a report can only come
//! from that kiosk, and a report more than five minutes old is refused.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sha2::Sha256;

use super::KioskReport;

pub const KIOSK_HEADER: &str = "x-gongkai-kiosk";
pub const SIGNATURE_HEADER: &str = "x-gongkai-signature";
const REPORT_CONTEXT: &[u8] = b"gongkai-heartbeat-v1\n";
const ACK_CONTEXT: &[u8] = b"gongkai-command-ack-v1\n";
const MAX_AGE_S: i64 = 300;

/// Where a kiosk answers a command.
pub const ACK_PATH: &str = "/api/command-ack";

/// A kiosk's answer to a command from the fleet page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandAck {
    pub kiosk_id: String,
    pub command_id: i64,
    /// Unix seconds when sent: the hub refuses stale answers.
    pub sent_at: i64,
    /// Carried out (or begun); false with the reason in `detail` if not.
    pub done: bool,
    pub detail: String,
}

fn mac(key: &[u8], context: &[u8], body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(context);
    mac.update(body);
    mac
}

/// The signature header's value for a heartbeat `body`.
pub fn sign_report(key: &[u8], body: &[u8]) -> String {
    hex::encode(mac(key, REPORT_CONTEXT, body).finalize().into_bytes())
}

/// The signature header's value for a command answer `body`.
pub fn sign_ack(key: &[u8], body: &[u8]) -> String {
    hex::encode(mac(key, ACK_CONTEXT, body).finalize().into_bytes())
}

/// Checks a report's signature and age; returns the report.
pub fn verify_report(key: &[u8], body: &[u8], signature: &str, kiosk: &str, now_unix: i64) -> Result<KioskReport, String> {
    let report: KioskReport = verify_signed(key, REPORT_CONTEXT, body, signature, "report")?;
    fresh_from(kiosk, &report.kiosk_id, report.sent_at, now_unix, "report")?;
    Ok(report)
}

/// Checks a command answer's signature and age; returns the answer.
pub fn verify_ack(key: &[u8], body: &[u8], signature: &str, kiosk: &str, now_unix: i64) -> Result<CommandAck, String> {
    let ack: CommandAck = verify_signed(key, ACK_CONTEXT, body, signature, "answer")?;
    fresh_from(kiosk, &ack.kiosk_id, ack.sent_at, now_unix, "answer")?;
    Ok(ack)
}

fn verify_signed<T: DeserializeOwned>(key: &[u8], context: &[u8], body: &[u8], signature: &str, what: &str) -> Result<T, String> {
    let signature = hex::decode(signature.trim()).map_err(|_| "signature is not hex".to_string())?;
    mac(key, context, body).verify_slice(&signature).map_err(|_| "signature does not match".to_string())?;
    serde_json::from_slice(body).map_err(|e| format!("{what}: {e}"))
}

/// Sent under the name it names, within five minutes of now.
fn fresh_from(sender: &str, named: &str, sent_at: i64, now_unix: i64, what: &str) -> Result<(), String> {
    if named != sender {
        return Err(format!("{what} names kiosk {named:?}, sent as {sender:?}"));
    }
    if (now_unix - sent_at).abs() > MAX_AGE_S {
        return Err(format!("{what} sent at {sent_at} is more than {MAX_AGE_S} s from now"));
    }
    Ok(())
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

    #[test]
    fn a_command_answer_is_signed_apart_from_a_report() {
        let key = b"0123456789abcdef";
        let ack = CommandAck { kiosk_id: "hall-1".into(), command_id: 7, sent_at: 1000, done: true, detail: "已开始同步".into() };
        let body = serde_json::to_vec(&ack).unwrap();
        assert_eq!(verify_ack(key, &body, &sign_ack(key, &body), "hall-1", 1010), Ok(ack));
        assert!(verify_ack(key, &body, &sign_report(key, &body), "hall-1", 1010).is_err(), "a heartbeat's signature");
        assert!(verify_ack(key, &body, &sign_ack(key, &body), "hall-2", 1010).is_err());
        assert!(verify_ack(key, &body, &sign_ack(key, &body), "hall-1", 1400).is_err());
    }
}
