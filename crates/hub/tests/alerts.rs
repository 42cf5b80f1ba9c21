//! Fleet alerts end to end: a real hub process looks at its kiosks every second and sends each
//! change to a webhook receiver on loopback and through a real SMTP server (Python's aiosmtpd,
//! which scripts/test installs), once per change, a refused one again until it is taken, and
//! not again after a restart.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use gongkai_core::fleet::{KIOSK_HEADER, KioskReport, SIGNATURE_HEADER, sign_report};
use gongkai_testkit::hub::{publish_demo, start_hub, try_http};
use serde_json::{Value, json};

const KEY: [u8; 16] = [5; 16];

/// Keeps every JSON body POSTed to it, or answers 500 to each while `refusing`.
struct WebhookReceiver {
    url: String,
    bodies: Arc<Mutex<Vec<Value>>>,
    refusing: Arc<AtomicBool>,
    refused: Arc<AtomicUsize>,
}

impl WebhookReceiver {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let (refusing, refused) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
        let (kept, refuse, count) = (bodies.clone(), refusing.clone(), refused.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream);
                let mut length = 0;
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 && !line.trim_end().is_empty() {
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                    line.clear();
                }
                let mut body = vec![0; length];
                let read = reader.read_exact(&mut body).is_ok();
                if refuse.load(Ordering::SeqCst) {
                    count.fetch_add(1, Ordering::SeqCst);
                    let _ = reader.get_mut().write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    continue;
                }
                if read {
                    kept.lock().unwrap().push(serde_json::from_slice(&body).unwrap_or(Value::Null));
                }
                let _ = reader.get_mut().write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            }
        });
        Self { url, bodies, refusing, refused }
    }

    fn events(&self) -> Vec<Value> {
        self.bodies.lock().unwrap().clone()
    }
}

/// aiosmtpd on loopback, delivering into a Maildir.
struct SmtpServer {
    process: Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let maildir = tempfile::tempdir().unwrap();
        // Debian's python3-aiosmtpd is installed for the system interpreter.
        let process = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            // A folder that does not exist yet: the Maildir is made whole, with tmp/, new/ and cur/.
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("/usr/bin/python3 (scripts/test installs python3-aiosmtpd)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start: is python3-aiosmtpd installed?");
            thread::sleep(Duration::from_millis(100));
        }
        Self { process, port, maildir }
    }

    /// The subject and body of every message received, oldest first.
    fn messages(&self) -> Vec<(String, String)> {
        let mut files: Vec<_> = std::fs::read_dir(self.maildir.path().join("mail/new"))
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|path| std::fs::metadata(path).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|path| {
                let bytes = std::fs::read(path).unwrap();
                let mail = mailparse::parse_mail(&bytes).unwrap();
                (mail.headers.iter().find(|h| h.get_key() == "Subject").map(|h| h.get_value()).unwrap_or_default(), mail.get_body().unwrap())
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// A kiosk reporting every 300 ms to whatever hub `url` holds, while `beating`; its frame
/// count moves while `drawing`; it reports a sync error while `sync_failing`.
struct FakeKiosk {
    url: Arc<Mutex<String>>,
    beating: Arc<AtomicBool>,
    drawing: Arc<AtomicBool>,
    sync_failing: Arc<AtomicBool>,
}

const SYNC_ERROR: &str = "无法连接内容服务器：connection refused";

impl FakeKiosk {
    fn start(url: &str) -> Self {
        let flag = |on| Arc::new(AtomicBool::new(on));
        let kiosk = FakeKiosk { url: Arc::new(Mutex::new(url.into())), beating: flag(true), drawing: flag(true), sync_failing: flag(false) };
        let (url, beating, drawing, failing) = (kiosk.url.clone(), kiosk.beating.clone(), kiosk.drawing.clone(), kiosk.sync_failing.clone());
        thread::spawn(move || {
            let started_at = chrono::Utc::now().timestamp();
            let mut frames = 0;
            for sequence in 1.. {
                if drawing.load(Ordering::SeqCst) {
                    frames += 10;
                }
                if beating.load(Ordering::SeqCst) {
                    let report = KioskReport {
                        kiosk_id: "k-1".into(),
                        started_at,
                        sequence,
                        sent_at: chrono::Utc::now().timestamp(),
                        frames_drawn: frames,
                        sync_error: failing.load(Ordering::SeqCst).then(|| SYNC_ERROR.to_string()),
                        ..Default::default()
                    };
                    let body = serde_json::to_vec(&report).unwrap();
                    let headers = [(KIOSK_HEADER, "k-1".to_string()), (SIGNATURE_HEADER, sign_report(&KEY, &body))];
                    let url = url.lock().unwrap().clone();
                    let _ = try_http(&url, "POST", "/api/heartbeat", &headers, &body);
                }
                thread::sleep(Duration::from_millis(300));
            }
        });
        kiosk
    }
}

/// Frozen is said after 15 s without a frame (the hub's least `--frozen-after-s`).
const FROZEN_AFTER_S: u64 = 15;

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let limit = FROZEN_AFTER_S + 15;
    let deadline = Instant::now() + Duration::from_secs(limit);
    while !done() {
        assert!(Instant::now() < deadline, "{what}: not within {limit} s");
        thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn each_change_of_a_kiosk_is_sent_once_by_webhook_and_email_and_not_again_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let webhook = WebhookReceiver::start();
    let smtp = SmtpServer::start();
    let kiosks = dir.path().join("kiosks.toml");
    let key = hex::encode(KEY);
    std::fs::write(
        &kiosks,
        format!("[[kiosk]]\nid = \"k-1\"\nkey = \"{key}\"\nhall = \"云溪\"\n[[kiosk]]\nid = \"k-2\"\nkey = \"{key}\"\n"),
    )
    .unwrap();
    let alerts = dir.path().join("alerts.toml");
    std::fs::write(
        &alerts,
        format!(
            "check_every_s = 1\n[webhook]\nurl = \"{}\"\n[email]\nserver = \"127.0.0.1\"\nport = {}\ntls = \"none\"\nfrom = \"终端 <gk@example.cn>\"\nto = [\"duty@example.cn\"]\n",
            webhook.url, smtp.port
        ),
    )
    .unwrap();
    let data = dir.path().join("hub");
    // Something is published, so that a kiosk that cannot fetch it is 同步失败.
    publish_demo(dir.path(), &data);
    let frozen_after = FROZEN_AFTER_S.to_string();
    let args = ["--kiosks", kiosks.to_str().unwrap(), "--alerts", alerts.to_str().unwrap(), "--offline-after-s", "3", "--frozen-after-s", &frozen_after];
    let mut hub = start_hub(&data, &args);
    let kiosk = FakeKiosk::start(&hub.url);
    let sent = || (webhook.events().len(), smtp.messages().len());

    // Healthy; k-2 never reports: nothing to say about either. The first look comes after
    // --offline-after-s, then one each second.
    thread::sleep(Duration::from_secs(6));
    assert_eq!(webhook.events(), Vec::<Value>::new());
    assert!(smtp.messages().is_empty());

    // The webhook refuses for a while: the e-mail goes out all the same, the webhook is asked
    // again at each look, and takes the alert once it answers.
    webhook.refusing.store(true, Ordering::SeqCst);
    kiosk.beating.store(false, Ordering::SeqCst);
    wait_until("the offline e-mail while the webhook refuses", || smtp.messages().len() == 1 && webhook.refused.load(Ordering::SeqCst) >= 2);
    assert!(webhook.events().is_empty());
    let (subject, body) = smtp.messages()[0].clone();
    assert_eq!(subject, "【终端告警】k-1（云溪）离线");
    assert!(body.contains("终端：k-1") && body.contains("当前：离线"), "{body}");
    webhook.refusing.store(false, Ordering::SeqCst);
    wait_until("the offline webhook", || webhook.events().len() == 1);
    let event = &webhook.events()[0];
    assert_eq!((&event["event"], &event["kiosk"], &event["started"]), (&json!("alert"), &json!("k-1"), &json!(["offline"])), "{event}");
    // Still offline: no storm.
    thread::sleep(Duration::from_secs(3));
    assert_eq!(sent(), (1, 1));

    kiosk.beating.store(true, Ordering::SeqCst);
    wait_until("the recovery", || sent() == (2, 2));
    assert_eq!((&webhook.events()[1]["event"], &webhook.events()[1]["ended"]), (&json!("recovered"), &json!(["offline"])));
    assert_eq!(smtp.messages()[1].0, "【终端恢复】k-1（云溪）离线已恢复");

    // Its sync fails, then works again.
    kiosk.sync_failing.store(true, Ordering::SeqCst);
    wait_until("the sync alert", || sent() == (3, 3));
    assert_eq!(webhook.events()[2]["started"], json!(["sync_failing"]));
    let (subject, body) = smtp.messages()[2].clone();
    assert_eq!(subject, "【终端告警】k-1（云溪）同步失败");
    assert!(body.lines().any(|line| line == format!("同步错误：{SYNC_ERROR}")), "{body}");
    kiosk.sync_failing.store(false, Ordering::SeqCst);
    wait_until("the sync recovery", || sent() == (4, 4));
    assert_eq!(smtp.messages()[3].0, "【终端恢复】k-1（云溪）同步失败已恢复");

    // Heartbeats go on, but the screen stops drawing.
    kiosk.drawing.store(false, Ordering::SeqCst);
    wait_until("the frozen alert", || sent() == (5, 5));
    assert_eq!(webhook.events()[4]["started"], json!(["frozen"]));
    assert_eq!(smtp.messages()[4].0, "【终端告警】k-1（云溪）画面冻结");

    // A restart of the hub while the kiosk is still frozen sends nothing again, neither an
    // offline alert for the moment the hub was away nor the frozen one.
    drop(hub);
    hub = start_hub(&data, &args);
    *kiosk.url.lock().unwrap() = hub.url.clone();
    thread::sleep(Duration::from_secs(7));
    assert_eq!(sent(), (5, 5), "{:?}", webhook.events());
    assert!(webhook.events().iter().all(|e| e["kiosk"] == "k-1"), "k-2 never reported: no alert about it");
}
