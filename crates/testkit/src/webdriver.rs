//! A small WebDriver client for the tests: Debian's `chromedriver` driving `/usr/bin/chromium`
//! headless, on a phone's screen or an office PC's.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use crate::hub::http;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The W3C name of an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    url: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(&self.url, "DELETE", &format!("/session/{}", self.session), &[], b"");
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// A headless Chromium with a 390×844 phone screen and a phone's user agent.
    pub fn phone() -> Browser {
        Browser::start(json!({
            "mobileEmulation": {
                "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": true, "mobile": true},
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Phone) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36 MicroMessenger/8.0"
            }
        }), &[])
    }

    /// A headless Chromium in a 1366×768 window, as on an office PC.
    pub fn desktop() -> Browser {
        Browser::start(json!({}), &["--window-size=1366,768"])
    }

    /// `desktop`, saving what it downloads into `folder` without asking.
    pub fn desktop_downloading_to(folder: &std::path::Path) -> Browser {
        let preferences = json!({"prefs": {"download.default_directory": folder, "download.prompt_for_download": false}});
        Browser::start(preferences, &["--window-size=1366,768"])
    }

    fn start(chrome_options: Value, window: &[&str]) -> Browser {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                std::path::Path::new(program).exists(),
                "{program} is missing: the browser tests need Debian's chromium and chromium-driver (scripts/test installs them as root)"
            );
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(CHROMEDRIVER).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        // The closed network refuses Chromium's own background connections; without these
        // flags it keeps trying them.
        let mut args: Vec<String> = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-quic", "--no-first-run"].iter().chain(window).map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut options = json!({"binary": CHROMIUM, "args": args});
        if let (Some(options), Some(extra)) = (options.as_object_mut(), chrome_options.as_object()) {
            options.extend(extra.clone());
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}});
        let answer = call(&url, "POST", "/session", Some(&capabilities));
        let session = answer["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {answer}")).to_string();
        let browser = Browser { driver, url, session, _profile: profile };
        // A click that submits a form returns before the next page has loaded: looking an
        // element up waits for it to appear, as a person waits for the page.
        browser.call("POST", "/timeouts", Some(&json!({"implicit": 10_000})));
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        call(&self.url, method, &format!("/session/{}{path}", self.session), body)
    }

    pub fn open(&self, url: &str) {
        self.call("POST", "/url", Some(&json!({"url": url})));
    }

    pub fn current_url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap_or_default().to_string()
    }

    /// The element matching `css`; panics naming the selector when there is none.
    pub fn find(&self, css: &str) -> String {
        let answer = self.call("POST", "/element", Some(&json!({"using": "css selector", "value": css})));
        answer[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}: {answer}")).to_string()
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.call("POST", &format!("/element/{element}/clear"), Some(&json!({})));
        self.call("POST", &format!("/element/{element}/value"), Some(&json!({"text": text})));
    }

    pub fn click(&self, css: &str) {
        let element = self.find(css);
        // Bring it into view first, as a thumb would scroll to it.
        self.script("arguments[0].scrollIntoView({block: 'center'});", json!([{ELEMENT: element}]));
        self.call("POST", &format!("/element/{element}/click"), Some(&json!({})));
    }

    pub fn text(&self, css: &str) -> String {
        let element = self.find(css);
        self.call("GET", &format!("/element/{element}/text"), None).as_str().unwrap_or_default().to_string()
    }

    pub fn value(&self, css: &str) -> String {
        let element = self.find(css);
        self.call("GET", &format!("/element/{element}/property/value"), None).as_str().unwrap_or_default().to_string()
    }

    /// Runs `script` in the page (the test's probe; the pages themselves have no scripts).
    pub fn script(&self, script: &str, args: Value) -> Value {
        self.call("POST", "/execute/sync", Some(&json!({"script": script, "args": args})))
    }

    /// Forgets every cookie of the current site, as a browser that was cleared would.
    pub fn delete_cookies(&self) {
        self.call("DELETE", "/cookie", None);
    }

    /// The page as a PNG.
    pub fn screenshot(&self) -> Vec<u8> {
        decode_base64(self.call("GET", "/screenshot", None).as_str().unwrap_or_default())
    }
}

fn call(url: &str, method: &str, path: &str, body: Option<&Value>) -> Value {
    let bytes = body.map(|b| serde_json::to_vec(b).unwrap()).unwrap_or_default();
    let headers = [("Content-Type", "application/json".to_string())];
    let response = http(url, method, path, &headers, &bytes);
    let answer: Value = serde_json::from_str(&response.body).unwrap_or_else(|_| panic!("{method} {path}: {}", response.body));
    if response.status >= 400 {
        panic!("{method} {path} answered {}: {answer}", response.status);
    }
    answer["value"].clone()
}

/// Standard base64 without line breaks, as WebDriver sends screenshots.
fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0);
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|a| *a == byte).expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}
