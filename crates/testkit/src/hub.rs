//! A real `gongkai-hub serve` process on 127.0.0.1, and a plain HTTP/1.1 client for it.

use std::{
    io::{BufRead, BufReader, Read, Write},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
};

pub struct HubProcess {
    pub process: Child,
    pub url: String,
    pub data: PathBuf,
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Starts `gongkai-hub --data DATA serve --listen 127.0.0.1:0 EXTRA…` and waits until it listens.
pub fn start_hub(data: &Path, extra: &[&str]) -> HubProcess {
    start_hub_command(data, "127.0.0.1:0", extra, |_| {})
}

/// `start_hub` on a given address, e.g. the one of a hub that was stopped.
pub fn start_hub_at(data: &Path, listen: &str, extra: &[&str]) -> HubProcess {
    start_hub_command(data, listen, extra, |_| {})
}

/// `start_hub` with its wall clock on `clock`.
pub fn start_hub_on_clock(data: &Path, extra: &[&str], clock: &MovedClock) -> HubProcess {
    start_hub_command(data, "127.0.0.1:0", extra, |command| clock.apply(command))
}

fn start_hub_command(data: &Path, listen: &str, extra: &[&str], adjust: impl FnOnce(&mut Command)) -> HubProcess {
    let mut command = Command::new(super::workspace_binary("gongkai-hub"));
    command.args(["--data", data.to_str().unwrap(), "serve", "--listen", listen]).args(extra).stdout(Stdio::piped());
    adjust(&mut command);
    let mut process = command.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(process.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("hub said {line:?}")).to_string();
    HubProcess { process, url, data: data.to_path_buf() }
}

/// A wall clock that a test moves for a process: libfaketime (Debian's `faketime`, which
/// `scripts/test` installs) is preloaded into it and reads the offset from a file at every
/// call. Monotonic time is left alone, so timeouts and delays run as usual.
pub struct MovedClock {
    dir: tempfile::TempDir,
}

impl MovedClock {
    const LIBRARY: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

    /// A clock at the real time, until moved.
    pub fn new() -> Self {
        assert!(Path::new(Self::LIBRARY).exists(), "{} is missing: install faketime (scripts/test does)", Self::LIBRARY);
        let clock = MovedClock { dir: tempfile::tempdir().unwrap() };
        clock.set_offset(0);
        clock
    }

    /// Puts the clock `seconds` ahead of the real time.
    pub fn set_offset(&self, seconds: i64) {
        // Written whole and renamed, so the process never reads half an offset.
        let next = self.dir.path().join("offset.new");
        std::fs::write(&next, format!("{seconds:+}\n")).unwrap();
        std::fs::rename(next, self.file()).unwrap();
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("offset")
    }

    fn apply(&self, command: &mut Command) {
        command
            .env("LD_PRELOAD", Self::LIBRARY)
            .env("FAKETIME_TIMESTAMP_FILE", self.file())
            .env("FAKETIME_NO_CACHE", "1")
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as text (a picture's bytes are in `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `name=value` of every cookie the response sets.
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next().map(str::to_string))
            .collect()
    }
}

/// One request on a fresh connection; the body is read until the server closes.
pub fn http(url: &str, method: &str, path: &str, headers: &[(&str, String)], body: &[u8]) -> Response {
    try_http(url, method, path, headers, body).unwrap_or_else(|e| panic!("{method} {url}{path}: {e}"))
}

/// As `http`, but a server that is gone is an error rather than a panic.
pub fn try_http(url: &str, method: &str, path: &str, headers: &[(&str, String)], body: &[u8]) -> std::io::Result<Response> {
    let host = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host)?;
    // A server may check the Host header (chromedriver refuses any but its own address).
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    // A server may answer and close before reading a body it refuses.
    let _ = stream.write_all(body);
    // Read the head, then the body by its length: some servers (chromedriver) keep the
    // connection open whatever the request says.
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let Some(status) = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()) else {
        // Killed or gone mid-request: no answer at all.
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, format!("no status line, got {status_line:?}")));
    };
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
        // chromedriver writes `Content-Length:249`, with no space.
        if let Some((name, value)) = line.trim_end().split_once(':') {
            headers.push((name.to_string(), value.trim_start().to_string()));
        }
    }
    let header = |name: &str| headers.iter().find(|(n, _): &&(String, String)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let mut raw = Vec::new();
    if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        raw.resize(length, 0);
        reader.read_exact(&mut raw)?;
    } else {
        let _ = reader.read_to_end(&mut raw);
    }
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        raw = dechunk(&raw).unwrap_or(raw);
    }
    Ok(Response { status, headers, body: String::from_utf8_lossy(&raw).to_string(), bytes: raw })
}

/// Axum answers `Connection: close` requests with a chunked body when the length is unknown.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = body;
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).ok()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        let after = &rest[line_end + 2..];
        out.extend_from_slice(after.get(..size)?);
        rest = after.get(size + 2..).unwrap_or_default();
    }
}

/// Where the first screenshot on a fleet page is loaded from.
pub fn screenshot_address(page: &str) -> Option<String> {
    let src = page.split("<img class=\"screenshot\" src=\"").nth(1)?.split('"').next()?;
    Some(src.replace("&amp;", "&"))
}

/// `application/x-www-form-urlencoded` of `pairs`.
pub fn form_body(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        out.append_pair(name, value);
    }
    out.finish().into_bytes()
}

/// The answers of a complete application, with the hidden fields of `page`.
pub fn application(page: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = [
        ("applicant_type", "自然人"),
        ("name", "张三"),
        ("id_type", "居民身份证"),
        ("id_number", "11010519491231002X"),
        ("phone", "13800138000"),
        ("form_wanted", "电子数据"),
        ("delivery", "当面领取"),
        ("info_title", "2024年区级财政预算执行情况"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    for name in ["key", "via", "doc"] {
        if let Some(value) = hidden_value(page, name) {
            pairs.push((name.into(), value));
        }
    }
    for (n, v) in extra {
        pairs.retain(|(name, _)| name != n);
        pairs.push((n.to_string(), v.to_string()));
    }
    pairs
}

/// `application/x-www-form-urlencoded` of owned pairs.
pub fn encode(pairs: &[(String, String)]) -> Vec<u8> {
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    form_body(&borrowed)
}

/// Adds a staff account with `gongkai-hub staff add`, with the default role (起草).
pub fn add_staff(data: &Path, username: &str, name: &str, password: &str) {
    add_staff_as(data, username, name, password, &[]);
}

/// Adds a staff account with `roles` (起草, 审核, 管理员).
pub fn add_staff_as(data: &Path, username: &str, name: &str, password: &str, roles: &[&str]) {
    let mut child = Command::new(super::workspace_binary("gongkai-hub"))
        .args(["--data", data.to_str().unwrap(), "staff", "add", username, "--name", name])
        .args(roles.iter().flat_map(|role| ["--role", role]))
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "staff add {username}");
}

/// Signs in through the log-in form; returns the `Cookie` header for the session.
pub fn sign_in(url: &str, username: &str, password: &str) -> String {
    let response = try_sign_in(url, username, password, &[]);
    assert_eq!(response.status, 303, "log-in: {}", response.body);
    response.cookies().into_iter().find(|c| c.starts_with("gk_staff=")).expect("session cookie")
}

/// One log-in through the form: loads it, then posts it with `extra` headers (more cookies
/// as `("Cookie", …)`, an `X-Forwarded-For`) on both requests.
pub fn try_sign_in(url: &str, username: &str, password: &str, extra: &[(&str, String)]) -> Response {
    let cookies: Vec<String> = extra.iter().filter(|(n, _)| *n == "Cookie").map(|(_, v)| v.clone()).collect();
    let others: Vec<(&str, String)> = extra.iter().filter(|(n, _)| *n != "Cookie").cloned().collect();
    let mut get_headers = others.clone();
    if !cookies.is_empty() {
        get_headers.push(("Cookie", cookies.join("; ")));
    }
    let page = http(url, "GET", "/staff/login", &get_headers, b"");
    let login_cookie = page.cookies().into_iter().find(|c| c.starts_with("gk_login=")).expect("log-in cookie");
    let token = login_cookie.trim_start_matches("gk_login=").to_string();
    assert!(page.body.contains(&token), "the form carries the same token");
    let body = form_body(&[("username", username), ("password", password), ("csrf", &token)]);
    let mut headers = others;
    headers.push(("Cookie", std::iter::once(login_cookie).chain(cookies).collect::<Vec<_>>().join("; ")));
    headers.push(("Content-Type", "application/x-www-form-urlencoded".to_string()));
    http(url, "POST", "/staff/login", &headers, &body)
}

/// Sends a complete 政府信息公开申请 from a phone, with `extra` answers; returns its 查询码.
pub fn submit_application(url: &str, extra: &[(&str, &str)]) -> String {
    let form = http(url, "GET", "/f/apply", &[], b"");
    let headers = [("Content-Type", "application/x-www-form-urlencoded".to_string())];
    let sent = http(url, "POST", "/f/apply", &headers, &encode(&application(&form.body, extra)));
    assert_eq!(sent.status, 303, "{}", sent.body);
    sent.header("location").expect("to the status page").trim_start_matches("/q/").trim_end_matches("?new=1").to_string()
}

/// A member of staff signed in to the hub at `url`: pages fetched and forms posted with the
/// session's cookie.
pub struct Staff {
    url: String,
    pub cookie: String,
}

impl Staff {
    pub fn sign_in(url: &str, username: &str, password: &str) -> Staff {
        Staff { url: url.to_string(), cookie: sign_in(url, username, password) }
    }

    pub fn get(&self, path: &str) -> Response {
        http(&self.url, "GET", path, &[("Cookie", self.cookie.clone())], b"")
    }

    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        post_form(&self.url, path, &self.cookie, fields)
    }

    /// A case action, posted from the case page of `code` with its CSRF token and version.
    pub fn act(&self, code: &str, fields: &[(&str, &str)]) -> Response {
        let page = self.get(&format!("/staff/s/{code}"));
        let (csrf, version) = (hidden_value(&page.body, "csrf").expect("csrf"), hidden_value(&page.body, "version").expect("version"));
        let mut all = vec![("csrf", csrf.as_str()), ("version", version.as_str())];
        all.extend_from_slice(fields);
        self.post(&format!("/staff/s/{code}"), &all)
    }
}

/// Posts a form with the `Cookie` header `session`.
pub fn post_form(url: &str, path: &str, session: &str, fields: &[(&str, &str)]) -> Response {
    let headers = [("Cookie", session.to_string()), ("Content-Type", "application/x-www-form-urlencoded".to_string())];
    http(url, "POST", path, &headers, &form_body(fields))
}

/// Posts `fields` and the file `(field, file name, bytes)` as `multipart/form-data`, the way
/// a browser sends a form with a file, with the `Cookie` header `session`.
pub fn post_multipart(url: &str, path: &str, session: &str, fields: &[(&str, &str)], file: (&str, &str, &[u8])) -> Response {
    const BOUNDARY: &str = "----gongkai-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    let (name, file_name, bytes) = file;
    body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let headers = [("Cookie", session.to_string()), ("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}"))];
    http(url, "POST", path, &headers, &body)
}

/// Loads the demo content into the content workspace of the hub data folder `data`
/// (`gongkai-hub content import-bundle`).
pub fn import_demo_workspace(data: &Path) {
    let output = Command::new(super::workspace_binary("gongkai-hub")).arg("--data").arg(data).args(["content", "import-bundle", super::DEMO_BUNDLE]).output().unwrap();
    assert!(output.status.success(), "import-bundle: {}", String::from_utf8_lossy(&output.stderr));
}

/// The value of hidden input `name` in a page.
pub fn hidden_value(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    Some(page[start..].split('"').next()?.to_string())
}

pub fn data_dir(dir: &Path) -> PathBuf {
    dir.join("hub")
}

/// The demo kiosk's link key (`kiosk-config/hall-touch.toml`).
pub const DEMO_KIOSK: &str = "yunxi-hall-01";
pub const DEMO_SECRET_HEX: &str = "6b696f736b2d64656d6f2d6b65792d7265706c6163652d6d65";

/// A hub serving the demo content, with the demo kiosk and a second one registered, and a
/// signer making the demo kiosk's QR links for it.
pub struct DemoHub {
    pub dir: tempfile::TempDir,
    pub hub: HubProcess,
    pub signer: gongkai_core::handoff::LinkSigner,
    /// The `serve` options it was started with, kept for a restart.
    extra: Vec<String>,
}

impl DemoHub {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// As `start`, with more `serve` options (limits, a trusted proxy).
    pub fn start_with(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("hub");
        publish_demo(dir.path(), &data);
        let kiosks = dir.path().join("kiosks.toml");
        std::fs::write(
            &kiosks,
            format!(
                "[[kiosk]]\nid = \"{DEMO_KIOSK}\"\nkey = \"{DEMO_SECRET_HEX}\"\nhall = \"云溪区政务服务中心\"\n\
                 [[kiosk]]\nid = \"yunxi-hall-02\"\nkey = \"{}\"\nhall = \"江北便民服务中心\"\n",
                hex::encode([2u8; 16])
            ),
        )
        .unwrap();
        let mut args = vec!["--kiosks", kiosks.to_str().unwrap()];
        args.extend_from_slice(extra);
        let hub = start_hub(&data, &args);
        let signer = Self::signer_for(&hub.url);
        DemoHub { dir, hub, signer, extra: extra.iter().map(|a| a.to_string()).collect() }
    }

    pub fn signer_for(url: &str) -> gongkai_core::handoff::LinkSigner {
        gongkai_core::handoff::LinkSigner::new(url, DEMO_KIOSK, &hex::decode(DEMO_SECRET_HEX).unwrap(), 7200).unwrap()
    }

    /// The path (`/H/…`) of a fresh QR link to `target`.
    pub fn link_path(&self, target: &gongkai_core::handoff::Target) -> String {
        let link = self.signer.link(target, chrono::Utc::now().timestamp()).unwrap();
        link[link.find("/H/").unwrap()..].to_string()
    }

    /// Restarts the hub process on the same data (after a crash).
    pub fn restart(&mut self) {
        let kiosks = self.dir.path().join("kiosks.toml");
        let data = self.hub.data.clone();
        let mut args = vec!["--kiosks", kiosks.to_str().unwrap()];
        args.extend(self.extra.iter().map(String::as_str));
        self.hub = start_hub(&data, &args);
    }
}

/// Builds, signs and publishes the demo bundle into `data`.
pub fn publish_demo(work: &Path, data: &Path) {
    use gongkai_core::content::build::{BuildOptions, build_bundle};
    let bundle = work.join("demo-bundle");
    let options = BuildOptions { bundle_version: Some(1), ..super::fixed_build_options() };
    assert!(build_bundle(Path::new(super::DEMO_BUNDLE), &bundle, &options).unwrap().is_clean());
    gongkai_core::signing::sign_bundle(&bundle, &ed25519_dalek::SigningKey::from_bytes(&[7; 32])).unwrap();
    let status = Command::new(super::workspace_binary("gongkai-hub"))
        .args(["--data", data.to_str().unwrap(), "publish", bundle.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success(), "publish the demo bundle");
}

/// The id of a demo consultation open today, and of one closed, as the hub sees the demo
/// today: checked at the local clock, so moved forward as a living demo is.
pub fn demo_consultations() -> (String, String) {
    use gongkai_core::content::{check::{CheckOptions, check_bundle}, model::ConsultationStatus};
    let checked = check_bundle(Path::new(super::DEMO_BUNDLE), &CheckOptions::at_local_now());
    assert!(checked.is_clean(), "the demo bundle is clean today: {:?}", checked.problems);
    let today = chrono::Local::now().date_naive();
    let find = |wanted: ConsultationStatus| {
        checked.content.consultations.iter().find(|c| c.status_on(today) == wanted).map(|c| c.id.clone())
    };
    let open = find(ConsultationStatus::Open).expect("the demo has a consultation open today");
    let closed = find(ConsultationStatus::Closed).expect("the demo has a closed consultation");
    (open, closed)
}
