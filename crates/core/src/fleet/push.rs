//! The push channel's protocol: one long-lived Server-Sent Events stream from the hub to each
//! kiosk, so that a kiosk hears of a new bundle (and so of an urgent notice) within seconds
//! instead of at its next poll.
//!
//! The kiosk opens `GET PUSH_PATH` signed with its key; the stream is named by the time of
//! that request in milliseconds, which the hub takes only once per kiosk and only fresh. The
//! hub signs every event with the kiosk's key, for that stream and with a sequence number,
//! so an event can be neither forged nor replayed, into this stream or another. The hub
//! sends a keep-alive every `KEEPALIVE`; a kiosk that hears nothing for `RECEIVE_TIMEOUT`
//! takes the stream as dead and polls until it is back.

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub const PUSH_PATH: &str = "/api/push";
/// The stream's name: the request's Unix time in milliseconds.
pub const STREAM_HEADER: &str = "x-gongkai-stream";
pub const KEEPALIVE: Duration = Duration::from_secs(20);
/// Two keep-alives missed, and a dead stream is noticed within a minute.
pub const RECEIVE_TIMEOUT: Duration = Duration::from_secs(45);
/// The SSE comment the hub sends as its keep-alive.
pub const KEEPALIVE_BYTES: &[u8] = b":\n\n";

const REQUEST_CONTEXT: &[u8] = b"gongkai-push-request-v1\n";
const EVENT_CONTEXT: &[u8] = b"gongkai-push-event-v1\n";
pub(super) const MAX_AGE_MS: i64 = 300_000;

/// What the hub tells a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PushMessage {
    /// The published bundle, sent when a stream opens and on every publish: sync, unless
    /// it is shown, within a random part of `spread_ms`.
    Bundle {
        version: u64,
        manifest_sha256: String,
        #[serde(default)]
        spread_ms: u64,
    },
    /// A command from the fleet page, to be carried out and answered (`ACK_PATH`); a sync
    /// starts within a random part of `spread_ms`.
    Command {
        id: i64,
        command: KioskCommand,
        #[serde(default)]
        spread_ms: u64,
    },
    /// A kind of a later release, signed and in order but not understood: passed over, so
    /// that a newer hub does not make an older kiosk drop its stream.
    #[serde(other)]
    Unknown,
}

/// What staff can ask a kiosk to do from the fleet page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KioskCommand {
    /// Sync now, whatever the timer says.
    Sync,
    /// End the program, for the service manager to start it again.
    Restart,
    /// Capture the screen and upload it (`screenshot::SCREENSHOT_PATH`), which answers it.
    Screenshot,
    /// A command of a later release: answered as not understood.
    #[serde(other)]
    Unknown,
}

impl KioskCommand {
    pub const ISSUED: [KioskCommand; 3] = [KioskCommand::Sync, KioskCommand::Restart, KioskCommand::Screenshot];

    pub fn name(self) -> &'static str {
        match self {
            KioskCommand::Sync => "sync",
            KioskCommand::Restart => "restart",
            KioskCommand::Screenshot => "screenshot",
            KioskCommand::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            KioskCommand::Sync => "立即同步",
            KioskCommand::Restart => "重启程序",
            KioskCommand::Screenshot => "截图",
            KioskCommand::Unknown => "未知命令",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ISSUED.into_iter().find(|c| c.name() == name)
    }
}

/// One event as signed: the message, for whom, in which stream, in what order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushEvent {
    pub kiosk_id: String,
    pub stream: i64,
    pub seq: u64,
    #[serde(flatten)]
    pub message: PushMessage,
}

/// HMAC-SHA256 of `parts` under `context`, each part ended by a newline.
pub(super) fn mac(key: &[u8], context: &[u8], parts: &[&[u8]]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(context);
    for part in parts {
        mac.update(part);
        mac.update(b"\n");
    }
    mac
}

/// The signature header's value for opening `stream` as `kiosk`.
pub fn sign_push_request(key: &[u8], kiosk: &str, stream: i64) -> String {
    hex::encode(mac(key, REQUEST_CONTEXT, &[kiosk.as_bytes(), stream.to_string().as_bytes()]).finalize().into_bytes())
}

/// Checks a request to open a stream: signed by the kiosk, and made within five minutes.
pub fn verify_push_request(key: &[u8], kiosk: &str, stream: i64, signature: &str, now_ms: i64) -> Result<(), String> {
    let signature = hex::decode(signature.trim()).map_err(|_| "signature is not hex".to_string())?;
    mac(key, REQUEST_CONTEXT, &[kiosk.as_bytes(), stream.to_string().as_bytes()])
        .verify_slice(&signature)
        .map_err(|_| "signature does not match".to_string())?;
    if (now_ms - stream).abs() > MAX_AGE_MS {
        return Err(format!("stream {stream} is more than {} s from now", MAX_AGE_MS / 1000));
    }
    Ok(())
}

/// The event as one SSE `data:` payload: `SIGNATURE JSON`.
pub fn event_data(key: &[u8], event: &PushEvent) -> String {
    let json = serde_json::to_string(event).expect("an event serializes");
    let signature = hex::encode(mac(key, EVENT_CONTEXT, &[json.as_bytes()]).finalize().into_bytes());
    format!("{signature} {json}")
}

/// The event as it goes on the wire.
pub fn event_bytes(key: &[u8], event: &PushEvent) -> Vec<u8> {
    format!("data: {}\n\n", event_data(key, event)).into_bytes()
}

/// The kiosk's side of one stream: takes each event's data, checks it, returns its message.
pub struct EventVerifier {
    key: Vec<u8>,
    kiosk: String,
    stream: i64,
    last_seq: u64,
}

impl EventVerifier {
    pub fn new(key: &[u8], kiosk: &str, stream: i64) -> Self {
        Self { key: key.to_vec(), kiosk: kiosk.to_string(), stream, last_seq: 0 }
    }

    pub fn verify(&mut self, data: &str) -> Result<PushMessage, String> {
        let (signature, json) = data.split_once(' ').ok_or("event is not `SIGNATURE JSON`")?;
        let signature = hex::decode(signature).map_err(|_| "signature is not hex".to_string())?;
        mac(&self.key, EVENT_CONTEXT, &[json.as_bytes()]).verify_slice(&signature).map_err(|_| "signature does not match".to_string())?;
        let event: PushEvent = serde_json::from_str(json).map_err(|e| format!("event: {e}"))?;
        if event.kiosk_id != self.kiosk || event.stream != self.stream {
            return Err(format!("event of kiosk {:?} stream {}, not of this stream", event.kiosk_id, event.stream));
        }
        if event.seq <= self.last_seq {
            return Err(format!("event {} after {}: replayed", event.seq, self.last_seq));
        }
        self.last_seq = event.seq;
        Ok(event.message)
    }
}

/// Splits an SSE byte stream into the data of its events (comments, such as keep-alives,
/// and other fields are skipped), however the bytes are cut into chunks.
#[derive(Default)]
pub struct SseReader {
    pending: Vec<u8>,
    data: Option<String>,
}

/// No event the hub sends is near this; a longer line ends the stream.
const MAX_LINE: usize = 64 * 1024;

impl SseReader {
    /// The events completed by `chunk`, or why the stream cannot be read.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<String>, String> {
        self.pending.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = std::str::from_utf8(&line).map_err(|_| "stream is not UTF-8".to_string())?;
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                events.extend(self.data.take());
            } else if let Some(value) = line.strip_prefix("data:") {
                let value = value.strip_prefix(' ').unwrap_or(value);
                match &mut self.data {
                    Some(data) => {
                        data.push('\n');
                        data.push_str(value);
                    }
                    None => self.data = Some(value.to_string()),
                }
            }
        }
        if self.pending.len() > MAX_LINE || self.data.as_ref().is_some_and(|d| d.len() > MAX_LINE) {
            return Err(format!("a line longer than {MAX_LINE} bytes"));
        }
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef";

    #[test]
    fn only_a_fresh_request_signed_by_the_kiosk_opens_a_stream() {
        let signature = sign_push_request(KEY, "hall-1", 1_000_000);
        assert_eq!(verify_push_request(KEY, "hall-1", 1_000_000, &signature, 1_010_000), Ok(()));
        assert!(verify_push_request(b"another key here", "hall-1", 1_000_000, &signature, 1_010_000).is_err());
        assert!(verify_push_request(KEY, "hall-2", 1_000_000, &signature, 1_010_000).is_err(), "another kiosk's name");
        assert!(verify_push_request(KEY, "hall-1", 1_000_001, &signature, 1_010_000).is_err(), "another stream");
        assert!(verify_push_request(KEY, "hall-1", 1_000_000, &signature, 1_400_000).unwrap_err().contains("300 s"));
    }

    #[test]
    fn events_pass_once_in_order_and_only_in_their_own_stream() {
        let event = |seq, stream| PushEvent {
            kiosk_id: "hall-1".into(),
            stream,
            seq,
            message: PushMessage::Bundle { version: 7, manifest_sha256: "ab".repeat(32), spread_ms: 0 },
        };
        let mut verifier = EventVerifier::new(KEY, "hall-1", 5);
        let first = event_data(KEY, &event(1, 5));
        assert_eq!(verifier.verify(&first), Ok(event(1, 5).message));
        assert!(verifier.verify(&first).unwrap_err().contains("replayed"));
        assert!(verifier.verify(&event_data(KEY, &event(2, 4))).unwrap_err().contains("not of this stream"));
        assert!(verifier.verify(&event_data(b"another key here", &event(3, 5))).unwrap_err().contains("does not match"));
        let forged = event_data(KEY, &event(4, 5)).replace("\"version\":7", "\"version\":8");
        assert!(verifier.verify(&forged).is_err());
        assert!(verifier.verify(&event_data(KEY, &event(9, 5))).is_ok(), "a gap is no replay");
        assert!(EventVerifier::new(KEY, "hall-2", 5).verify(&event_data(KEY, &event(10, 5))).is_err());
        // What a later hub may send, signed as it would sign it.
        let later = |event: &PushEvent, from: &str, to: &str| {
            let json = serde_json::to_string(event).unwrap().replace(from, to);
            format!("{} {json}", hex::encode(mac(KEY, EVENT_CONTEXT, &[json.as_bytes()]).finalize().into_bytes()))
        };
        assert_eq!(verifier.verify(&later(&event(10, 5), "\"bundle\"", "\"power_off\"")), Ok(PushMessage::Unknown));
        let restart = PushEvent { message: PushMessage::Command { id: 3, command: KioskCommand::Restart, spread_ms: 0 }, ..event(11, 5) };
        assert_eq!(verifier.verify(&later(&restart, "\"restart\"", "\"power_off\"")), Ok(PushMessage::Command { id: 3, command: KioskCommand::Unknown, spread_ms: 0 }));
    }

    #[test]
    fn events_are_read_however_the_stream_is_cut() {
        let event = event_bytes(KEY, &PushEvent {
            kiosk_id: "k".into(),
            stream: 1,
            seq: 1,
            message: PushMessage::Bundle { version: 2, manifest_sha256: String::new(), spread_ms: 0 },
        });
        let stream = [KEEPALIVE_BYTES, &event, b"event: x\r\ndata: a\r\ndata: b\r\n\r\n", KEEPALIVE_BYTES].concat();
        let want = vec![String::from_utf8(event[6..event.len() - 2].to_vec()).unwrap(), "a\nb".to_string()];
        for cut in 1..stream.len() {
            let mut reader = SseReader::default();
            let mut events = reader.feed(&stream[..cut]).unwrap();
            events.extend(reader.feed(&stream[cut..]).unwrap());
            assert_eq!(events, want, "cut at {cut}");
        }
        assert!(SseReader::default().feed(&vec![b'x'; MAX_LINE + 1]).is_err());
    }
}
