//! `GET /api/push`: the push channel's hub side. Each kiosk holds one stream (a newer one
//! replaces the older); the hub writes each event signed for that kiosk and stream, and a
//! keep-alive every `KEEPALIVE` so that the kiosk, and every proxy between, sees it live.
//! A stream whose kiosk stopped reading is dropped when its queue is full; one whose kiosk
//! vanished is closed by the socket's user timeout (`serve`).

use std::{
    collections::HashMap,
    convert::Infallible,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use tokio::sync::mpsc;

use super::{header_text, sender};
use crate::Hub;
use gongkai_core::fleet::{
    SIGNATURE_HEADER,
    push::{KEEPALIVE, KEEPALIVE_BYTES, KioskCommand, PushEvent, PushMessage, STREAM_HEADER, event_bytes, verify_push_request},
};

/// Events waiting for a kiosk that reads them slowly; a stream this far behind is dropped.
const QUEUE: usize = 16;

/// A publish tells each kiosk to wait a random part of this per open stream before it syncs,
/// at most `MAX_SPREAD_MS`: 10,000 kiosks come within 2 s, not in one instant.
const SPREAD_MS_PER_STREAM: f64 = 0.2;
const MAX_SPREAD_MS: u64 = 3000;

/// The open streams, by kiosk.
pub struct PushChannels {
    state: Mutex<Channels>,
    /// Streams named before the hub started are refused: `Channels::newest` is not kept over
    /// a restart, and so a request recorded before it cannot be replayed after it.
    started_ms: i64,
}

#[derive(Default)]
struct Channels {
    open: HashMap<String, OpenStream>,
    /// The newest stream each kiosk opened since the hub started: an older name is a replay.
    newest: HashMap<String, i64>,
}

struct OpenStream {
    stream: i64,
    seq: u64,
    key: Vec<u8>,
    sender: mpsc::Sender<Bytes>,
}

impl Default for PushChannels {
    fn default() -> Self {
        Self { state: Mutex::default(), started_ms: chrono::Utc::now().timestamp_millis() }
    }
}

impl PushChannels {
    /// Takes `stream` as `kiosk`'s open one in place of any older, if it is newer than every
    /// stream the kiosk opened before.
    fn open(&self, kiosk: &str, key: Vec<u8>, stream: i64) -> Result<mpsc::Receiver<Bytes>, String> {
        let mut channels = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let newest = channels.newest.get(kiosk).copied().unwrap_or(self.started_ms - 1);
        if stream <= newest {
            return Err(format!("stream {stream} is not newer than {newest}, the last stream or the hub's start"));
        }
        channels.newest.insert(kiosk.to_string(), stream);
        let (sender, receiver) = mpsc::channel(QUEUE);
        channels.open.insert(kiosk.to_string(), OpenStream { stream, seq: 0, key, sender });
        Ok(receiver)
    }

    /// Forgets `kiosk`'s stream if it is still `stream` (a newer one may have replaced it).
    fn close(&self, kiosk: &str, stream: i64) {
        let mut channels = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if channels.open.get(kiosk).is_some_and(|open| open.stream == stream) {
            channels.open.remove(kiosk);
        }
    }

    /// The message that tells every kiosk of the published bundle.
    pub fn bundle_message(&self, version: u64, manifest_sha256: String) -> PushMessage {
        PushMessage::Bundle { version, manifest_sha256, spread_ms: self.spread_ms() }
    }

    /// A command; 立即同步 for the whole fleet is spread as a publish is.
    pub fn command_message(&self, id: i64, command: KioskCommand) -> PushMessage {
        PushMessage::Command { id, command, spread_ms: self.spread_ms() }
    }

    fn spread_ms(&self) -> u64 {
        ((self.open_count() as f64 * SPREAD_MS_PER_STREAM) as u64).min(MAX_SPREAD_MS)
    }

    /// Sends `message` to every kiosk with an open stream.
    pub fn send_all(&self, message: &PushMessage) {
        let mut channels = self.state.lock().unwrap_or_else(|p| p.into_inner());
        channels.open.retain(|kiosk, open| send(kiosk, open, message));
    }

    /// Sends `message` to `kiosk`; false if it has no stream that takes it.
    pub fn send_to(&self, kiosk: &str, message: &PushMessage) -> bool {
        let mut channels = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(open) = channels.open.get_mut(kiosk) else { return false };
        let sent = send(kiosk, open, message);
        if !sent {
            channels.open.remove(kiosk);
        }
        sent
    }

    pub fn is_open(&self, kiosk: &str) -> bool {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).open.contains_key(kiosk)
    }

    pub fn open_count(&self) -> usize {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).open.len()
    }
}

/// Queues the event; false if the stream is closed or its kiosk is too far behind.
fn send(kiosk: &str, open: &mut OpenStream, message: &PushMessage) -> bool {
    open.seq += 1;
    let event = PushEvent { kiosk_id: kiosk.to_string(), stream: open.stream, seq: open.seq, message: message.clone() };
    open.sender.try_send(Bytes::from(event_bytes(&open.key, &event))).is_ok()
}

pub async fn open(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    let Ok(stream) = header_text(&headers, STREAM_HEADER).parse::<i64>() else {
        return (StatusCode::BAD_REQUEST, format!("{STREAM_HEADER}: not a number")).into_response();
    };
    let (kiosk, key) = match sender(&hub, &headers) {
        Ok(sender) => sender,
        Err(refusal) => return refusal,
    };
    if let Err(reason) = verify_push_request(&key, &kiosk, stream, &header_text(&headers, SIGNATURE_HEADER), chrono::Utc::now().timestamp_millis()) {
        return (StatusCode::UNAUTHORIZED, reason).into_response();
    }
    let events = match hub.push.open(&kiosk, key, stream) {
        Ok(events) => events,
        Err(reason) => return (StatusCode::CONFLICT, reason).into_response(),
    };
    // What is published now, so that a kiosk back from an outage catches up at once.
    if let Some((version, manifest_sha256)) = hub.published.bundle() {
        hub.push.send_to(&kiosk, &hub.push.bundle_message(version, manifest_sha256));
    }
    super::commands::send_unanswered(&hub, &kiosk).await;
    let body = EventStream {
        events,
        keepalive: tokio::time::interval_at(tokio::time::Instant::now() + KEEPALIVE, KEEPALIVE),
        hub: Arc::clone(&hub),
        kiosk,
        stream,
    };
    (
        [(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-store"), (header::HeaderName::from_static("x-accel-buffering"), "no")],
        Body::from_stream(body),
    )
        .into_response()
}

/// The response body: queued events and keep-alives, until the stream is replaced or the
/// kiosk goes; then the stream is forgotten.
struct EventStream {
    events: mpsc::Receiver<Bytes>,
    keepalive: tokio::time::Interval,
    hub: Arc<Hub>,
    kiosk: String,
    stream: i64,
}

impl futures_core::Stream for EventStream {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(event) = self.events.poll_recv(cx) {
            // `None`: a newer stream replaced this one, or this one fell behind.
            return Poll::Ready(event.map(Ok));
        }
        if self.keepalive.poll_tick(cx).is_ready() {
            return Poll::Ready(Some(Ok(Bytes::from_static(KEEPALIVE_BYTES))));
        }
        Poll::Pending
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.hub.push.close(&self.kiosk, self.stream);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(version: u64) -> PushMessage {
        PushMessage::Bundle { version, manifest_sha256: String::new(), spread_ms: 0 }
    }

    #[test]
    fn a_newer_stream_replaces_the_older_and_an_old_name_is_refused() {
        let channels = PushChannels::default();
        let start = channels.started_ms;
        assert!(channels.open("a", vec![1; 16], start - 1).is_err(), "named before the hub started");
        let mut first = channels.open("a", vec![1; 16], start + 100).unwrap();
        let mut second = channels.open("a", vec![1; 16], start + 200).unwrap();
        assert!(channels.open("a", vec![1; 16], start + 150).is_err(), "replayed or older");
        assert!(first.try_recv().is_err() && first.is_closed(), "the older stream ends");
        channels.close("a", start + 100);
        assert!(channels.is_open("a"), "closing the replaced stream leaves the newer");
        channels.send_all(&bundle(3));
        assert!(String::from_utf8(second.try_recv().unwrap().to_vec()).unwrap().contains("\"seq\":1"));
        channels.close("a", start + 200);
        assert!(!channels.is_open("a") && !channels.send_to("a", &bundle(4)));
    }

    #[test]
    fn a_publish_spreads_a_large_fleet_over_seconds() {
        let channels = PushChannels::default();
        let spread = |channels: &PushChannels| match channels.bundle_message(1, String::new()) {
            PushMessage::Bundle { spread_ms, .. } => spread_ms,
            other => panic!("not a bundle: {other:?}"),
        };
        assert_eq!(spread(&channels), 0, "one kiosk syncs at once");
        let _streams: Vec<_> = (0..10_000).map(|i| channels.open(&format!("k-{i}"), vec![1; 16], channels.started_ms).unwrap()).collect();
        assert_eq!(spread(&channels), 2000);
    }

    #[test]
    fn a_kiosk_that_stops_reading_is_dropped_when_its_queue_is_full() {
        let channels = PushChannels::default();
        let _unread = channels.open("a", vec![1; 16], channels.started_ms).unwrap();
        for version in 0..QUEUE as u64 {
            assert!(channels.send_to("a", &bundle(version)));
        }
        channels.send_all(&bundle(99));
        assert_eq!(channels.open_count(), 0);
    }
}
