//! The push channel against a real hub process on 127.0.0.1: the kiosk's listener hears each
//! publish at once, notices when the hub goes, and comes back when it does; the stream keeps
//! itself alive, and only a fresh request signed by the kiosk opens one.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    sync::{
        Arc, Mutex,
        mpsc::{Receiver, channel},
    },
    time::{Duration, Instant},
};

use ed25519_dalek::SigningKey;
use gongkai_core::fleet::{
    ACK_PATH, CommandAck, CommandOutcome, KIOSK_HEADER, PushSettings, PushState, SIGNATURE_HEADER,
    push::{EventVerifier, KEEPALIVE, KioskCommand, PUSH_PATH, PushMessage, RECEIVE_TIMEOUT, STREAM_HEADER, SseReader, sign_push_request},
    sign_ack,
    start_listener,
};
use gongkai_hub::fleet::KioskSummary;
use gongkai_testkit::{
    hub::{HubProcess, Response, add_staff, form_body, hidden_value, http, screenshot_address, sign_in, start_hub_at},
    signed_minimal_bundle,
};

const KEY_HEX: &str = "00112233445566778899aabbccddeeff";
const OTHER_KEY_HEX: &str = "ffeeddccbbaa99887766554433221100";

struct Setup {
    dir: tempfile::TempDir,
    publisher: SigningKey,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = |id: &str, key: &str| format!("[[kiosk]]\nid = \"{id}\"\nkey = \"{key}\"\ntags = [\"街道\"]\n");
        let registry = kiosk("k-1", KEY_HEX) + &kiosk("k-2", OTHER_KEY_HEX);
        std::fs::write(dir.path().join("kiosks.toml"), registry).unwrap();
        Self { dir, publisher: SigningKey::from_bytes(&[7; 32]) }
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("hub")
    }

    fn publish(&self, version: u64) {
        let bundle = signed_minimal_bundle(self.dir.path(), version, &self.publisher, |_| {});
        gongkai_hub::publish(&bundle, &self.data()).unwrap();
    }

    fn hub_at(&self, listen: &str) -> HubProcess {
        let kiosks = self.dir.path().join("kiosks.toml");
        start_hub_at(&self.data(), listen, &["--kiosks", kiosks.to_str().unwrap()])
    }
}

/// A hub with bundle 1 published and staff `ops` signed in to its console.
struct Console {
    hub: HubProcess,
    session: [(&'static str, String); 1],
}

impl Console {
    fn start(setup: &Setup) -> Self {
        setup.publish(1);
        let hub = setup.hub_at("127.0.0.1:0");
        add_staff(&hub.data, "ops", "运维", "correct horse battery");
        let session = [("Cookie", sign_in(&hub.url, "ops", "correct horse battery"))];
        Self { hub, session }
    }

    fn page(&self) -> String {
        http(&self.hub.url, "GET", "/fleet", &self.session, b"").body
    }

    /// Posts the fleet page's command form with `fields`.
    fn issue(&self, fields: &[(&str, &str)]) -> Response {
        let csrf = hidden_value(&self.page(), "csrf").unwrap();
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let headers = [self.session[0].clone(), ("Content-Type", "application/x-www-form-urlencoded".to_string())];
        http(&self.hub.url, "POST", "/fleet/commands", &headers, &form_body(&form))
    }
}

fn settings(url: &str, receive_timeout: Duration) -> PushSettings {
    PushSettings { hub_url: url.into(), kiosk_id: "k-1".into(), key: hex::decode(KEY_HEX).unwrap(), receive_timeout }
}

/// Hands each message to `messages`; answers each command as done, with `answer`.
fn listen(settings: PushSettings, answer: &'static str) -> (Receiver<PushMessage>, Arc<Mutex<PushState>>) {
    let (sender, messages) = channel();
    let state = start_listener(
        settings,
        Box::new(move |message| {
            let command = matches!(message, PushMessage::Command { .. });
            sender.send(message).unwrap();
            command.then(|| CommandOutcome { done: true, detail: answer.into(), then: None })
        }),
    );
    (messages, state)
}

fn next_version(messages: &Receiver<PushMessage>, within: Duration) -> u64 {
    match messages.recv_timeout(within).expect("a message from the hub") {
        PushMessage::Bundle { version, .. } => version,
        other => panic!("not a bundle: {other:?}"),
    }
}

fn wait_for_state(state: &std::sync::Mutex<PushState>, within: Duration, wanted: impl Fn(&PushState) -> bool) -> PushState {
    let until = Instant::now() + within;
    loop {
        let now = state.lock().unwrap().clone();
        if wanted(&now) {
            return now;
        }
        assert!(Instant::now() < until, "push state stayed {now:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_kiosk_hears_each_publish_at_once_and_comes_back_after_the_hub_restarts() {
    let setup = Setup::new();
    setup.publish(1);
    let hub = setup.hub_at("127.0.0.1:0");
    add_staff(&hub.data, "ops", "运维", "correct horse battery");
    let (messages, state) = listen(settings(&hub.url, RECEIVE_TIMEOUT), "");
    assert_eq!(next_version(&messages, Duration::from_secs(10)), 1, "the stream opens with what is published");
    assert!(state.lock().unwrap().connected);
    let fleet = |url: &str| -> Vec<KioskSummary> {
        let session = [("Cookie", sign_in(url, "ops", "correct horse battery"))];
        serde_json::from_str(&http(url, "GET", "/api/kiosks", &session, b"").body).unwrap()
    };
    assert!(fleet(&hub.url)[0].push_connected);

    // A publish reaches the kiosk within the hub's half-second look and the message's trip.
    setup.publish(2);
    let started = Instant::now();
    assert_eq!(next_version(&messages, Duration::from_secs(10)), 2);
    println!("publish to kiosk: {:?}", started.elapsed());

    // The hub goes: the kiosk notices at once (the socket closes), not at its timeout.
    let listen = hub.url.trim_start_matches("http://").to_string();
    drop(hub);
    let gone = wait_for_state(&state, Duration::from_secs(5), |s| !s.connected);
    assert!(gone.last_error.is_some(), "{gone:?}");

    // Back on the same address, with a bundle published meanwhile: the kiosk opens a new
    // stream by itself and hears of it first thing.
    setup.publish(3);
    let hub = setup.hub_at(&listen);
    // Its pauses (2 s, 4 s … each ±50 %) may have grown while the hub was away.
    assert_eq!(next_version(&messages, Duration::from_secs(60)), 3);
    wait_for_state(&state, Duration::from_secs(1), |s| s.connected && s.last_error.is_none());
    assert!(fleet(&hub.url)[0].push_connected);
}

#[test]
fn a_silent_stream_is_given_up_after_the_receive_timeout() {
    let setup = Setup::new();
    setup.publish(1);
    let hub = setup.hub_at("127.0.0.1:0");
    // Shorter than the hub's keep-alive, so the stream is silent for longer than this.
    let (messages, state) = listen(settings(&hub.url, Duration::from_secs(2)), "");
    assert_eq!(next_version(&messages, Duration::from_secs(10)), 1);
    let given_up = wait_for_state(&state, Duration::from_secs(6), |s| !s.connected);
    assert_eq!(given_up.last_error.as_deref(), Some("nothing heard for 2 s"));
    // And it tries again, so it is back within its pause.
    assert_eq!(next_version(&messages, Duration::from_secs(10)), 1);
}

/// Opens a stream by hand; returns the status line and the connection, past the head.
fn open_stream(url: &str, kiosk: &str, stream: i64, signature: &str) -> (String, BufReader<TcpStream>) {
    let mut connection = TcpStream::connect(url.trim_start_matches("http://")).unwrap();
    write!(
        connection,
        "GET {PUSH_PATH} HTTP/1.1\r\nHost: hub\r\n{KIOSK_HEADER}: {kiosk}\r\n{STREAM_HEADER}: {stream}\r\n{SIGNATURE_HEADER}: {signature}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(connection);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            return (status, reader);
        }
    }
}

/// The next bytes of a chunked body.
fn next_chunk(reader: &mut BufReader<TcpStream>) -> Vec<u8> {
    let mut size = String::new();
    reader.read_line(&mut size).unwrap();
    let size = usize::from_str_radix(size.trim(), 16).unwrap();
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk).unwrap();
    chunk.truncate(size);
    chunk
}

#[test]
fn only_a_fresh_signed_request_opens_a_stream_and_the_hub_keeps_it_alive() {
    let setup = Setup::new();
    setup.publish(1);
    let hub = setup.hub_at("127.0.0.1:0");
    let key = hex::decode(KEY_HEX).unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let refused = |kiosk: &str, stream: i64, signature: &str| open_stream(&hub.url, kiosk, stream, signature).0;
    assert!(refused("k-1", now, &sign_push_request(b"another key here", "k-1", now)).contains(" 401 "));
    assert!(refused("k-9", now, &sign_push_request(&key, "k-9", now)).contains(" 401 "), "unknown kiosk");
    let stale = now - 600_000;
    assert!(refused("k-1", stale, &sign_push_request(&key, "k-1", stale)).contains(" 401 "), "ten minutes old");

    let (status, mut stream) = open_stream(&hub.url, "k-1", now, &sign_push_request(&key, "k-1", now));
    assert!(status.contains(" 200 "), "{status}");
    let mut reader = SseReader::default();
    let mut verifier = EventVerifier::new(&key, "k-1", now);
    let first = reader.feed(&next_chunk(&mut stream)).unwrap();
    assert!(matches!(verifier.verify(&first[0]), Ok(PushMessage::Bundle { version: 1, .. })));
    // The same request again is a replay: refused, and the open stream stays.
    assert!(refused("k-1", now, &sign_push_request(&key, "k-1", now)).contains(" 409 "));
    let waited = Instant::now();
    stream.get_ref().set_read_timeout(Some(KEEPALIVE + Duration::from_secs(5))).unwrap();
    assert_eq!(next_chunk(&mut stream), b":\n\n", "a keep-alive");
    let quiet = waited.elapsed();
    assert!(quiet >= KEEPALIVE - Duration::from_secs(1) && quiet < RECEIVE_TIMEOUT, "{quiet:?}");
}

#[test]
fn commands_from_the_fleet_page_reach_the_kiosk_and_its_answer_is_shown() {
    let setup = Setup::new();
    let console = Console::start(&setup);
    let (hub, session) = (&console.hub, &console.session[..]);
    let page = || console.page();
    let issue = |fields: &[(&str, &str)]| console.issue(fields);
    let row = |page: &str, kiosk: &str, command: &str| -> Option<String> {
        let table = &page[page.find("远程命令")?..];
        table.split("<tr>").find(|r| r.contains(&format!("<td>{kiosk}</td>")) && r.contains(command)).map(str::to_string)
    };

    // Issued while k-1 holds no stream: it waits, and goes when the kiosk comes.
    assert_eq!(issue(&[("kiosk", "k-1"), ("command", "sync")]).status, 303);
    assert!(row(&page(), "k-1", "立即同步").is_some_and(|r| r.contains("待送达")), "{}", page());
    let (messages, _state) = listen(settings(&hub.url, RECEIVE_TIMEOUT), "已开始同步");
    assert_eq!(next_version(&messages, Duration::from_secs(10)), 1);
    let sent = messages.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(matches!(sent, PushMessage::Command { command: KioskCommand::Sync, .. }), "{sent:?}");
    let until = Instant::now() + Duration::from_secs(10);
    while !row(&page(), "k-1", "立即同步").is_some_and(|r| r.contains("已完成") && r.contains("已开始同步")) {
        assert!(Instant::now() < until, "never answered: {}", page());
        std::thread::sleep(Duration::from_millis(100));
    }

    // To every kiosk tagged 街道, once confirmed on the page that names them: k-1 gets it at
    // once over its stream, k-2 (no stream) waits.
    let asked = issue(&[("tag", "街道"), ("command", "restart")]);
    assert!(asked.status == 200 && asked.body.contains("将重启以下 2 台终端") && asked.body.contains("k-1、k-2"), "{}", asked.body);
    assert!(!page().contains("重启程序</td>"), "nothing issued before it is confirmed");
    let listed = hidden_value(&asked.body, "kiosks").unwrap();
    assert_eq!(issue(&[("kiosks", &listed), ("confirmed", "1"), ("tag", "街道"), ("command", "restart")]).status, 303);
    let PushMessage::Command { id, command: KioskCommand::Restart, .. } = messages.recv_timeout(Duration::from_secs(5)).unwrap() else { panic!() };
    let until = Instant::now() + Duration::from_secs(10);
    while !row(&page(), "k-1", "重启程序").is_some_and(|r| r.contains("已完成")) {
        assert!(Instant::now() < until, "never answered: {}", page());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(row(&page(), "k-2", "重启程序").is_some_and(|r| r.contains("待送达")));
    let audit = http(&hub.url, "GET", "/staff/audit", session, b"").body;
    assert!(audit.contains("重启程序：k-1、k-2"), "{audit}");

    // Refused: a form without its token, a command that does not exist, an answer to another
    // kiosk's command, an answer not signed by its kiosk.
    let headers = [session[0].clone(), ("Content-Type", "application/x-www-form-urlencoded".to_string())];
    assert_eq!(http(&hub.url, "POST", "/fleet/commands", &headers, &form_body(&[("kiosk", "k-1"), ("command", "sync")])).status, 403);
    assert_eq!(issue(&[("kiosk", "k-1"), ("command", "format_disk")]).status, 422);
    let answer = |kiosk: &str, key: &str| {
        let ack = CommandAck { kiosk_id: kiosk.into(), command_id: id, sent_at: chrono::Utc::now().timestamp(), done: false, detail: "伪造".into() };
        let body = serde_json::to_vec(&ack).unwrap();
        let headers = [(KIOSK_HEADER, kiosk.to_string()), (SIGNATURE_HEADER, sign_ack(&hex::decode(key).unwrap(), &body))];
        http(&hub.url, "POST", ACK_PATH, &headers, &body).status
    };
    assert_eq!(answer("k-2", OTHER_KEY_HEX), 404, "k-1's command");
    assert_eq!(answer("k-1", OTHER_KEY_HEX), 401);
    assert_eq!(answer("k-1", KEY_HEX), 404, "answered already: a replay changes nothing");
    assert!(row(&page(), "k-1", "重启程序").is_some_and(|r| r.contains("已完成") && !r.contains("伪造")));
}

#[test]
fn a_screenshot_asked_of_one_kiosk_is_shown_on_the_fleet_page_and_only_a_signed_fresh_one_is_kept() {
    use gongkai_core::fleet::screenshot::{
        BLANK, COMMAND_HEADER, CONTENT_SHA256_HEADER, Capture, FrameCapture, MAX_SCREENSHOT_BYTES, PixelRect, SCREENSHOT_PATH, TAKEN_AT_HEADER, content_sha256, sign_screenshot,
        start_uploader, thumbnail,
    };
    let setup = Setup::new();
    let console = Console::start(&setup);
    let (hub, session) = (&console.hub, &console.session[..]);
    let page = || console.page();
    let issue = |fields: &[(&str, &str)]| console.issue(&[fields, &[("command", "screenshot")]].concat());
    // One 截图 button a kiosk row, none for the filtered kiosks together, which are refused.
    assert_eq!(page().matches("value=\"screenshot\"").count(), 2, "{}", page());
    let together = issue(&[("tag", "街道")]);
    assert!(together.status == 422 && together.body.contains("截图需逐台发出"), "{}", together.body);

    // The kiosk's listener hands 截图 on without answering: the upload answers it.
    let (sender, commands) = channel();
    let _state = start_listener(
        settings(&hub.url, RECEIVE_TIMEOUT),
        Box::new(move |message| {
            if let PushMessage::Command { id, command, .. } = message {
                sender.send((id, command)).unwrap();
            }
            None
        }),
    );
    let until = Instant::now() + Duration::from_secs(10);
    while !page().contains("推送通道已连接 1") {
        assert!(Instant::now() < until, "never connected");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(issue(&[("kiosk", "k-1")]).status, 303);
    let (id, command) = commands.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(command, KioskCommand::Screenshot);
    // A frame of 1280×720 whose top left quarter held a visitor's input.
    let frame = |shade: u8| FrameCapture {
        command: None,
        taken_at_ms: chrono::Utc::now().timestamp_millis(),
        width: 1280,
        height: 720,
        rgb: vec![shade; 1280 * 720 * 3],
        blanked: vec![PixelRect { x: 0.0, y: 0.0, width: 640.0, height: 360.0 }],
    };
    start_uploader(settings(&hub.url, RECEIVE_TIMEOUT)).send(Capture::Frame(FrameCapture { command: Some(id), ..frame(250) })).unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    while !page().contains("已上传截图") {
        assert!(Instant::now() < until, "never answered: {}", page());
        std::thread::sleep(Duration::from_millis(100));
    }
    let shown = page();
    let src = screenshot_address(&shown).expect("the screenshot on the fleet page");
    assert!(shown.contains("截于 "), "with its time: {shown}");
    let kept = |headers: &[(&str, String)]| http(&hub.url, "GET", &src, headers, b"");
    assert_eq!(kept(&[]).status, 401, "staff only");
    let response = kept(session);
    assert_eq!(response.header("content-type"), Some("image/png"));
    let kept_picture = image::load_from_memory(&response.bytes).unwrap().to_rgb8();
    assert_eq!(kept_picture.dimensions(), (640, 360));
    assert_eq!(kept_picture.get_pixel(100, 100).0, BLANK, "the visitor's input");
    assert_eq!(kept_picture.get_pixel(500, 300).0, [250; 3]);

    // By hand: refused unless signed by the kiosk, fresh, a thumbnail, and later than the
    // one kept.
    let upload = |kiosk: &str, key: &str, taken_at: i64, command: &str, png: &[u8]| {
        let signature = sign_screenshot(&hex::decode(key).unwrap(), kiosk, taken_at, command, png);
        let mut headers = vec![
            (KIOSK_HEADER, kiosk.to_string()),
            (TAKEN_AT_HEADER, taken_at.to_string()),
            (CONTENT_SHA256_HEADER, content_sha256(png)),
            (SIGNATURE_HEADER, signature),
        ];
        if !command.is_empty() {
            headers.push((COMMAND_HEADER, command.to_string()));
        }
        http(&hub.url, "POST", SCREENSHOT_PATH, &headers, png).status
    };
    let now = chrono::Utc::now().timestamp_millis();
    let darker = thumbnail(&frame(20)).unwrap();
    assert_eq!(upload("k-1", OTHER_KEY_HEX, now, "", &darker), 401, "another kiosk's key");
    assert_eq!(upload("k-9", KEY_HEX, now, "", &darker), 401, "not in kiosks.toml");
    assert_eq!(upload("k-1", KEY_HEX, now - 600_000, "", &darker), 401, "stale");
    assert_eq!(upload("k-1", KEY_HEX, now, "", b"\x89PNG but not one"), 422, "not a PNG");
    assert_eq!(upload("k-1", KEY_HEX, now, "", &vec![0; MAX_SCREENSHOT_BYTES + 1]), 413);
    // Headers not signed by the kiosk are refused before any of the body is read: the
    // answer comes though the body never does.
    let mut stream = TcpStream::connect(hub.url.trim_start_matches("http://")).unwrap();
    let head = format!(
        "POST {SCREENSHOT_PATH} HTTP/1.1\r\nHost: hub\r\n{KIOSK_HEADER}: k-1\r\n{TAKEN_AT_HEADER}: {now}\r\n{CONTENT_SHA256_HEADER}: {}\r\n{SIGNATURE_HEADER}: {}\r\nContent-Length: {MAX_SCREENSHOT_BYTES}\r\n\r\n",
        content_sha256(&darker),
        sign_screenshot(&hex::decode(OTHER_KEY_HEX).unwrap(), "k-1", now, "", &darker)
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut status = String::new();
    BufReader::new(stream).read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 401"), "{status:?}");
    // A periodic one, later: it replaces the kept one; sent again, or an earlier one, it does not.
    assert_eq!(upload("k-1", KEY_HEX, now, "", &darker), 204);
    assert_eq!(upload("k-1", KEY_HEX, now, "", &darker), 409, "a replay");
    assert_eq!(upload("k-1", KEY_HEX, now - 1000, "", &thumbnail(&frame(90)).unwrap()), 409, "an earlier capture");
    let png = http(&hub.url, "GET", "/fleet/screenshot?kiosk=k-1", session, b"").bytes;
    assert_eq!(image::load_from_memory(&png).unwrap().to_rgb8().get_pixel(500, 300).0, [20; 3]);
    assert_eq!(http(&hub.url, "GET", "/fleet/screenshot?kiosk=k-2", session, b"").status, 404);
}
