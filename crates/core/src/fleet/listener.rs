//! The kiosk's side of the push channel: a thread that keeps one stream open to the hub,
//! hands on each verified message, and opens a new stream after a pause when the old one
//! breaks or goes silent. While it is down, the sync loop's own polling carries on.

use std::{
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use super::{
    ACK_PATH, CommandAck, KIOSK_HEADER, SIGNATURE_HEADER, sign_ack,
    push::{EventVerifier, PUSH_PATH, PushMessage, STREAM_HEADER, SseReader, sign_push_request},
};
use crate::random;

/// Where to listen (or upload), as whom.
#[derive(Debug, Clone)]
pub struct PushSettings {
    pub hub_url: String,
    pub kiosk_id: String,
    /// The kiosk's own key (`handoff.secret`), as for heartbeats.
    pub key: Vec<u8>,
    /// Silence after which the stream is taken as dead: `push::RECEIVE_TIMEOUT`.
    pub receive_timeout: Duration,
}

/// What the kiosk made of a command: its answer for the hub, and what to do once the answer
/// is sent (a restart must not go before it).
pub struct CommandOutcome {
    pub done: bool,
    pub detail: String,
    pub then: Option<Box<dyn FnOnce() + Send>>,
}

/// Whether a stream is open now, and why the last one ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushState {
    pub connected: bool,
    pub last_error: Option<String>,
}

/// The pause before the first new try, doubled after each failed one up to `LONGEST_PAUSE`,
/// each spread by ±50 % so that a fleet does not come back all at once after a hub restart.
const FIRST_PAUSE: Duration = Duration::from_secs(2);
const LONGEST_PAUSE: Duration = Duration::from_secs(60);
/// A stream that stayed open this long was a good one: the next pause starts short again.
const GOOD_STREAM: Duration = Duration::from_secs(60);

/// What the kiosk does with a message; a command must come back with its outcome.
pub type OnMessage = dyn Fn(PushMessage) -> Option<CommandOutcome> + Send;

/// Starts listening on its own thread, for as long as the process runs; `on_message` is
/// called on that thread, and a command's outcome is sent to the hub.
pub fn start_listener(settings: PushSettings, on_message: Box<OnMessage>) -> Arc<Mutex<PushState>> {
    let state = Arc::new(Mutex::new(PushState::default()));
    let shared = Arc::clone(&state);
    let spawned = thread::Builder::new().name("push".into()).spawn(move || run(&settings, &shared, &on_message));
    if let Err(e) = spawned {
        set(&state, PushState { connected: false, last_error: Some(format!("not started: {e}")) });
    }
    state
}

fn run(settings: &PushSettings, state: &Mutex<PushState>, on_message: &OnMessage) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    // No overall timeout: the stream is meant to stay open. Silence is caught per chunk.
    let client = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).build();
    let (Ok(runtime), Ok(client)) = (runtime, client) else {
        set(state, PushState { connected: false, last_error: Some("cannot start the network client".into()) });
        return;
    };
    let mut last_stream = 0;
    let mut pause = FIRST_PAUSE;
    loop {
        // Streams are named by time, each later than the last even if the clock stepped back.
        let stream = chrono::Utc::now().timestamp_millis().max(last_stream + 1);
        last_stream = stream;
        let opened = Instant::now();
        let reason = runtime.block_on(listen(&client, settings, stream, state, on_message));
        set(state, PushState { connected: false, last_error: Some(reason) });
        if opened.elapsed() >= GOOD_STREAM {
            pause = FIRST_PAUSE;
        }
        thread::sleep(spread(pause));
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
}

/// Opens one stream and reads it until it ends; returns why it ended.
async fn listen(client: &reqwest::Client, settings: &PushSettings, stream: i64, state: &Mutex<PushState>, on_message: &OnMessage) -> String {
    let url = format!("{}{PUSH_PATH}", settings.hub_url.trim_end_matches('/'));
    let request = client
        .get(url)
        .header(KIOSK_HEADER, &settings.kiosk_id)
        .header(STREAM_HEADER, stream.to_string())
        .header(SIGNATURE_HEADER, sign_push_request(&settings.key, &settings.kiosk_id, stream));
    let silence = settings.receive_timeout;
    let mut response = match tokio::time::timeout(silence, request.send()).await {
        Err(_) => return format!("no answer in {} s", silence.as_secs_f32()),
        Ok(Err(e)) => return format!("hub unreachable: {e}"),
        Ok(Ok(response)) => response,
    };
    if !response.status().is_success() {
        let status = response.status();
        let said: String = response.text().await.unwrap_or_default().chars().take(200).collect();
        return format!("hub answered {status}: {said}");
    }
    set(state, PushState { connected: true, last_error: None });
    let mut reader = SseReader::default();
    let mut verifier = EventVerifier::new(&settings.key, &settings.kiosk_id, stream);
    loop {
        let chunk = match tokio::time::timeout(silence, response.chunk()).await {
            Err(_) => return format!("nothing heard for {} s", silence.as_secs_f32()),
            Ok(Err(e)) => return format!("stream broken: {e}"),
            Ok(Ok(None)) => return "the hub closed the stream".into(),
            Ok(Ok(Some(chunk))) => chunk,
        };
        let events = match reader.feed(&chunk) {
            Ok(events) => events,
            Err(e) => return format!("stream unreadable: {e}"),
        };
        for data in events {
            let message = match verifier.verify(&data) {
                Ok(message) => message,
                Err(e) => return format!("event refused: {e}"),
            };
            let command_id = match &message {
                PushMessage::Command { id, .. } => Some(*id),
                _ => None,
            };
            if let (Some(command_id), Some(outcome)) = (command_id, on_message(message)) {
                answer(client, settings, command_id, outcome.done, &outcome.detail).await;
                if let Some(then) = outcome.then {
                    then();
                }
            }
        }
    }
}

/// Posts a command's outcome; an answer lost on the way leaves the command 已送达 on the
/// fleet page, which is what the office then knows.
pub(super) async fn answer(client: &reqwest::Client, settings: &PushSettings, command_id: i64, done: bool, detail: &str) {
    let ack = CommandAck { kiosk_id: settings.kiosk_id.clone(), command_id, sent_at: chrono::Utc::now().timestamp(), done, detail: detail.into() };
    let body = serde_json::to_vec(&ack).expect("an answer serializes");
    let request = client
        .post(format!("{}{ACK_PATH}", settings.hub_url.trim_end_matches('/')))
        .header(KIOSK_HEADER, &settings.kiosk_id)
        .header(SIGNATURE_HEADER, sign_ack(&settings.key, &body))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .timeout(Duration::from_secs(10))
        .body(body);
    let _ = request.send().await;
}

fn set(state: &Mutex<PushState>, new: PushState) {
    if let Ok(mut state) = state.lock() {
        *state = new;
    }
}

/// `pause` times a random factor in [0.5, 1.5).
fn spread(pause: Duration) -> Duration {
    pause.mul_f64(0.5 + random::fraction())
}
