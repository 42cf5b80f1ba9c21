//! What an anonymous visitor on the internet could do to a real `gongkai-hub serve` on
//! 127.0.0.1, one test per finding of the outside review: floods that exhaust memory, a
//! staff member locked out, an unbounded inbox, replayed heartbeats and links, held
//! connections. Each failed on the hub before the fix.
//!
//! Many visitors are simulated from one machine through a trusted proxy: the hub is told that
//! 127.0.0.1 is its reverse proxy, and each request names its client in `X-Forwarded-For`.

use std::{
    io::{Read, Write},
    net::TcpStream,
    thread,
    time::{Duration, Instant},
};

use gongkai_core::{
    fleet::{KIOSK_HEADER, KioskReport, SIGNATURE_HEADER, sign_report},
    handoff::Target,
    process_memory::{peak_mb_of, rss_mb_of},
};
use gongkai_testkit::hub::{
    DEMO_KIOSK, DEMO_SECRET_HEX, DemoHub, Response, add_staff, application, encode, form_body, hidden_value, http, sign_in, try_sign_in,
};

const PASSWORD: &str = "公开办 2025 secure";
const BEHIND_PROXY: [&str; 2] = ["--trusted-proxy", "127.0.0.1"];

/// The `X-Forwarded-For` of simulated client `n`.
fn client(n: usize) -> (&'static str, String) {
    ("X-Forwarded-For", format!("10.{}.{}.{}", n / 65536 % 256, n / 256 % 256, n % 256))
}

fn get(demo: &DemoHub, path: &str, headers: &[(&str, String)]) -> Response {
    http(&demo.hub.url, "GET", path, headers, b"")
}

fn post_form(demo: &DemoHub, path: &str, headers: &[(&str, String)], body: &[u8]) -> Response {
    let mut all = vec![("Content-Type", "application/x-www-form-urlencoded".to_string())];
    all.extend_from_slice(headers);
    http(&demo.hub.url, "POST", path, &all, body)
}

fn opinion(text: &str) -> Vec<u8> {
    form_body(&[("category", "其他"), ("content", text)])
}

/// A phone's device cookie, as the hub sets it when the form is opened.
fn phone_cookie(demo: &DemoHub, headers: &[(&str, String)]) -> String {
    let page = get(demo, "/f/opinion", headers);
    page.cookies().into_iter().find(|c| c.starts_with("gk_device=")).expect("the form sets a device cookie")
}

/// Runs `attempts` calls of `work`, `at_once` at a time, and returns their results.
fn in_waves<T: Send + 'static>(attempts: usize, at_once: usize, work: impl Fn(usize) -> T + Send + Sync + 'static) -> Vec<T> {
    let work = std::sync::Arc::new(work);
    let mut results = Vec::new();
    for wave in 0..attempts.div_ceil(at_once) {
        let threads: Vec<_> = (wave * at_once..((wave + 1) * at_once).min(attempts))
            .map(|n| {
                let work = std::sync::Arc::clone(&work);
                thread::spawn(move || work(n))
            })
            .collect();
        results.extend(threads.into_iter().map(|t| t.join().unwrap()));
    }
    results
}

fn heartbeat(demo: &DemoHub, report: &KioskReport) -> Response {
    let body = serde_json::to_vec(report).unwrap();
    let key = hex::decode(DEMO_SECRET_HEX).unwrap();
    let headers = [(KIOSK_HEADER, DEMO_KIOSK.to_string()), (SIGNATURE_HEADER, sign_report(&key, &body))];
    http(&demo.hub.url, "POST", "/api/heartbeat", &headers, &body)
}

/// Finding 1: every wrong log-in ran argon2 (19 MiB) on its own thread, without a bound.
#[test]
fn concurrent_wrong_log_ins_keep_the_hub_memory_flat() {
    let demo = DemoHub::start_with(&BEHIND_PROXY);
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let (url, pid) = (demo.hub.url.clone(), demo.hub.process.id());
    for n in 0..4 {
        try_sign_in(&url, "clerk", "wrong password", &[client(n)]);
    }
    let before = rss_mb_of(pid);
    // 192 wrong log-ins, 64 at a time, each from its own address so no delay holds them back.
    let flood_url = url.clone();
    // Each under its own name too, known or not: an unknown name runs the same check.
    let statuses = in_waves(192, 64, move |n| try_sign_in(&flood_url, &format!("user-{n}"), "wrong password", &[client(1000 + n)]).status);
    let (peak, after) = (peak_mb_of(pid), rss_mb_of(pid));
    println!("hub memory: {before:.0} MB before, peak {peak:.0} MB, {after:.0} MB after 192 concurrent log-ins");
    assert!(peak - before < 150.0, "peak {peak:.0} MB from {before:.0} MB");
    assert!(statuses.iter().all(|s| *s == 401 || *s == 503), "{statuses:?}");
    // 503 for those beyond the 32 that may wait; on a busy machine a wait can run out too.
    assert!(statuses.iter().filter(|s| **s == 401).count() >= 32, "checked: {statuses:?}");
    // The hub still signs staff in afterwards.
    sign_in(&url, "clerk", PASSWORD);
}

/// Finding 2: the limiter kept each `via` string whole, before the form was checked.
#[test]
fn a_flood_of_long_unverified_links_keeps_the_hub_memory_flat() {
    let demo = DemoHub::start_with(&[&BEHIND_PROXY[..], &["--max-submits-per-second", "100000"]].concat());
    let (url, pid) = (demo.hub.url.clone(), demo.hub.process.id());
    let send = move |url: &str, n: usize| {
        let via = format!("{n:08}{}", "V".repeat(60 * 1024));
        let body = form_body(&[("category", "其他"), ("content", "flood"), ("via", &via)]);
        let headers = [("Content-Type", "application/x-www-form-urlencoded".to_string()), client(n)];
        http(url, "POST", "/f/opinion", &headers, &body).status
    };
    for n in 0..20 {
        send(&url, n);
    }
    let before = rss_mb_of(pid);
    let flood_url = url.clone();
    let statuses = in_waves(1500, 8, move |n| send(&flood_url, 100 + n));
    let after = rss_mb_of(pid);
    println!("hub memory: {before:.0} MB before, {after:.0} MB after 1,500 forms with a 60 KB link each");
    assert!(statuses.iter().all(|s| *s == 303), "taken, unattributed: {:?}", &statuses[..10]);
    assert!(after - before < 80.0, "{after:.0} MB after, {before:.0} MB before");
}

/// Finding 3: without a cookie every request was a new phone, so nothing bounded a flood.
#[test]
fn without_cookies_an_address_is_challenged_and_bounded_while_a_halls_phones_all_submit() {
    let demo = DemoHub::start_with(&[&BEHIND_PROXY[..], &["--max-submits-per-address", "100"]].concat());
    let hall = client(7);
    // A script that never keeps a cookie: the first 20 forms are taken, then each one is
    // shown again with a cookie, and none of those is stored.
    for n in 0..20 {
        assert_eq!(post_form(&demo, "/f/opinion", &[hall.clone()], &opinion(&format!("script {n}"))).status, 303, "form {n}");
    }
    for n in 0..30 {
        let challenged = post_form(&demo, "/f/opinion", &[hall.clone()], &opinion(&format!("script {n}")));
        assert_eq!(challenged.status, 200, "shown again");
        assert!(challenged.body.contains("请再点一次“提交”") && challenged.body.contains(&format!("script {n}")), "answers kept");
        assert!(challenged.cookies().iter().any(|c| c.starts_with("gk_device=")), "with a cookie to send back");
    }
    // A made-up cookie counts as none.
    let forged = ("Cookie", format!("gk_device={}", "a".repeat(64)));
    assert_eq!(post_form(&demo, "/f/opinion", &[hall.clone(), forged], &opinion("forged")).status, 200);
    // The challenge passes for a browser that sends the cookie back.
    let challenged = post_form(&demo, "/f/opinion", &[hall.clone()], &opinion("a real phone without its cookie yet"));
    let cookie = challenged.cookies().into_iter().find(|c| c.starts_with("gk_device=")).unwrap();
    assert_eq!(post_form(&demo, "/f/opinion", &[hall.clone(), ("Cookie", cookie)], &opinion("sent again")).status, 303);
    // The hall's visitors, each on their own phone behind the same Wi-Fi: 79 more fit under
    // the address's 100.
    for n in 0..79 {
        let cookie = phone_cookie(&demo, &[hall.clone()]);
        let answer = post_form(&demo, "/f/opinion", &[hall.clone(), ("Cookie", cookie)], &opinion(&format!("visitor {n}")));
        assert_eq!(answer.status, 303, "visitor {n}");
    }
    // The 101st form from the address is refused, even from a phone with its cookie…
    let cookie = phone_cookie(&demo, &[hall.clone()]);
    let refused = post_form(&demo, "/f/opinion", &[hall.clone(), ("Cookie", cookie)], &opinion("one too many"));
    assert_eq!(refused.status, 429);
    assert!(refused.body.contains("提交过于频繁") && refused.body.contains("one too many"), "{}", refused.body);
    // …and another hall is not affected.
    assert_eq!(post_form(&demo, "/f/opinion", &[client(8)], &opinion("another hall")).status, 303);

    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let session = ("Cookie", sign_in(&demo.hub.url, "clerk", PASSWORD));
    let inbox = get(&demo, "/staff", &[session.clone()]);
    assert!(inbox.body.contains("共 101 条"), "20 + 1 + 79 + 1 stored: {}", inbox.body);
}

/// Finding 4: five wrong passwords locked the account, and its owner with it.
#[test]
fn an_attacker_slows_guessing_but_cannot_keep_the_owner_out() {
    let demo = DemoHub::start_with(&BEHIND_PROXY);
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let url = demo.hub.url.clone();
    // The owner has signed in from the office browser before.
    let office = client(1);
    let first = try_sign_in(&url, "clerk", PASSWORD, &[office.clone()]);
    assert_eq!(first.status, 303);
    let known = first.cookies().into_iter().find(|c| c.starts_with("gk_known=")).expect("the browser is remembered");

    // An attacker who knows the user name tries 40 passwords from 40 addresses.
    let attacker_url = url.clone();
    let statuses = in_waves(40, 8, move |n| try_sign_in(&attacker_url, "clerk", &format!("guess {n}"), &[client(5000 + n)]).status);
    assert!(statuses.contains(&429), "the account's failures delay further guesses: {statuses:?}");
    assert!(statuses.iter().all(|s| [401, 429, 503].contains(s)), "{statuses:?}");
    let delayed = try_sign_in(&url, "clerk", PASSWORD, &[client(9000)]);
    assert_eq!(delayed.status, 429, "a new browser must wait, even with the right password");
    assert!(delayed.body.contains("秒后再试"), "{}", delayed.body);

    // The owner, on the known browser, signs in at once.
    let owner = try_sign_in(&url, "clerk", PASSWORD, &[office.clone(), ("Cookie", known.clone())]);
    assert_eq!(owner.status, 303, "{}", owner.body);
    // A known-browser cookie of another account does not help.
    add_staff(&demo.hub.data, "chief", "李主任", "另一个 secure 密码");
    let other = try_sign_in(&url, "chief", "另一个 secure 密码", &[client(2)]);
    let chief_known = other.cookies().into_iter().find(|c| c.starts_with("gk_known=")).unwrap();
    let borrowed = try_sign_in(&url, "clerk", PASSWORD, &[client(3), ("Cookie", chief_known)]);
    assert_eq!(borrowed.status, 429);
}

/// Finding 5: a locked account answered in 1 ms, an unknown name in 35 ms.
#[test]
fn every_log_in_outcome_takes_the_same_path_and_time() {
    let demo = DemoHub::start_with(&BEHIND_PROXY);
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    add_staff(&demo.hub.data, "chief", "李主任", PASSWORD);
    let url = demo.hub.url.clone();
    let attempt = |name: &str, n: usize| {
        let started = Instant::now();
        let answer = try_sign_in(&url, name, "wrong password", &[client(n)]);
        assert_eq!(answer.status, 401);
        started.elapsed()
    };
    // Known and unknown names in turn, so that a busy moment slows both alike; nine tries a
    // name stay within an account's free failures.
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for n in 0..18 {
        known.push(attempt(if n < 9 { "clerk" } else { "chief" }, 100 + n));
        unknown.push(attempt(if n < 9 { "nobody-here" } else { "nobody-else" }, 200 + n));
    }
    known.sort();
    unknown.sort();
    let ratio = known[9].as_secs_f64() / unknown[9].as_secs_f64();
    println!("median answer: wrong password {:?}, unknown name {:?}", known[9], unknown[9]);
    assert!((0.6..1.6).contains(&ratio), "known/unknown answer-time ratio {ratio:.2}");
    // Delayed attempts answer the same for a known and an unknown name: the decision never
    // looks at the account.
    let attacker = client(77);
    let delayed = |name: &str| {
        (0..30).map(|n| try_sign_in(&url, name, &format!("g{n}"), &[attacker.clone()])).find(|r| r.status == 429).expect("a delay")
    };
    let (a, b) = (delayed("clerk"), delayed("nobody-here"));
    let text = |r: &Response| r.body.split("role=\"alert\">").nth(1).unwrap_or_default().split('<').next().unwrap_or_default().to_string();
    assert!(text(&a).contains("秒后再试") && text(&b).contains("秒后再试"), "{} / {}", text(&a), text(&b));
}

/// Finding 6: failed log-ins filled the audit log, with the user name as sent (1 MiB).
#[test]
fn failed_log_ins_are_kept_apart_from_the_audit_log_and_their_names_bounded() {
    let demo = DemoHub::start_with(&BEHIND_PROXY);
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let session = ("Cookie", sign_in(&demo.hub.url, "clerk", PASSWORD));
    let url = demo.hub.url.clone();
    in_waves(520, 8, move |n| try_sign_in(&url, &format!("guess-{n}"), "x", &[client(10 + n)]).status);
    let long_name = "长".repeat(5_000);
    assert_eq!(try_sign_in(&demo.hub.url, &long_name, "x", &[client(1)]).status, 401);
    let huge = format!("username={}&password=x&csrf=x", "a".repeat(1024 * 1024));
    assert_eq!(post_form(&demo, "/staff/login", &[], huge.as_bytes()).status, 413, "a 1 MiB name is not even read");
    // Sent in chunks, without a length to refuse up front, it is cut off at 64 KB.
    let mut chunked = TcpStream::connect(demo.hub.url.trim_start_matches("http://")).unwrap();
    chunked
        .write_all(b"POST /staff/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, "a".repeat(16 * 1024));
    for _ in 0..8 {
        if chunked.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    chunked.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = [0; 12];
    chunked.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 413");
    let audit = get(&demo, "/staff/audit", &[session]).body;
    let (cases, failures) = audit.split_once("id=\"login-failures\"").expect("failed log-ins have their own table");
    assert!(cases.contains("<td>登录</td>"), "the real sign-in is still in view");
    assert!(!cases.contains("guess-"), "no failed log-in among the case history");
    assert!(failures.contains(&format!("<td>{}</td>", "长".repeat(64))), "the name cut to 64 characters");
    assert!(!failures.contains(&"长".repeat(65)));
}

/// Finding 7: one signed heartbeat with a count near i64::MAX broke the statistics for good.
#[test]
fn impossible_qr_counts_are_refused_and_the_statistics_stay_readable() {
    let demo = DemoHub::start();
    let report = |sequence, count| KioskReport {
        kiosk_id: DEMO_KIOSK.into(),
        sent_at: chrono::Utc::now().timestamp(),
        started_at: 1,
        sequence,
        qr_shown: [("apply".to_string(), count)].into(),
        ..Default::default()
    };
    let refused = heartbeat(&demo, &report(1, i64::MAX as u64 - 5));
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(heartbeat(&demo, &report(2, 1_000_000_000)).status, 204, "the most a kiosk can show");
    let mut another_run = report(3, 1_000_000_000);
    (another_run.started_at, another_run.sent_at) = (2, another_run.sent_at + 1);
    assert_eq!(heartbeat(&demo, &another_run).status, 204);
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let stats = get(&demo, "/staff/stats", &[("Cookie", sign_in(&demo.hub.url, "clerk", PASSWORD))]);
    assert_eq!(stats.status, 200);
    assert!(stats.body.contains("<td>yunxi-hall-01</td><td>2000000000</td>"), "{}", stats.body);
}

/// Finding 8: a replayed or older heartbeat overwrote a newer one.
#[test]
fn replayed_and_older_heartbeats_are_refused() {
    let demo = DemoHub::start();
    let report = |sequence: u64, content_version| KioskReport {
        kiosk_id: DEMO_KIOSK.into(),
        sent_at: chrono::Utc::now().timestamp(),
        started_at: 100,
        sequence,
        content_version,
        ..Default::default()
    };
    let older = report(1, 41);
    let newer = report(2, 42);
    assert_eq!(heartbeat(&demo, &newer).status, 204);
    assert_eq!(heartbeat(&demo, &newer).status, 409, "the same report again");
    assert_eq!(heartbeat(&demo, &older).status, 409, "an older one arriving late");
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let kiosks = get(&demo, "/api/kiosks", &[("Cookie", sign_in(&demo.hub.url, "clerk", PASSWORD))]);
    let list: serde_json::Value = serde_json::from_str(&kiosks.body).unwrap();
    let demo_kiosk = list.as_array().unwrap().iter().find(|k| k["kiosk_id"] == DEMO_KIOSK).unwrap();
    assert_eq!(demo_kiosk["content_version"], 42);
}

/// Finding 9: 查询码 look-ups were limited per cookie only.
#[test]
fn code_look_ups_are_bounded_per_address_without_cookies() {
    let demo = DemoHub::start_with(&BEHIND_PROXY);
    let code = post_form(&demo, "/f/opinion", &[client(1)], &opinion("查询码"));
    let location = code.header("location").unwrap().trim_end_matches("?new=1").to_string();
    let statuses: Vec<u16> = (0..301).map(|_| get(&demo, &location, &[client(2)]).status).collect();
    assert!(statuses[..300].iter().all(|s| *s == 200), "a hall's worth of look-ups");
    assert_eq!(statuses[300], 429, "the 301st from one address within the minute");
    assert_eq!(get(&demo, &location, &[client(3)]).status, 200, "another address");
}

/// Finding 10: staff actions took any date, and deadlines walked the calendar day by day.
#[test]
fn staff_action_dates_must_lie_between_the_receipt_and_today() {
    let demo = DemoHub::start();
    let page = get(&demo, &demo.link_path(&Target::Apply(None)), &[]);
    let submitted = post_form(&demo, "/f/apply", &[], &encode(&application(&page.body, &[])));
    let code = submitted.header("location").unwrap().trim_start_matches("/q/").trim_end_matches("?new=1").to_string();
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let session = ("Cookie", sign_in(&demo.hub.url, "clerk", PASSWORD));
    let act = |action: &[(&str, &str)]| {
        let case = get(&demo, &format!("/staff/s/{code}"), &[session.clone()]);
        let (csrf, version) = (hidden_value(&case.body, "csrf").unwrap(), hidden_value(&case.body, "version").unwrap());
        let mut pairs = vec![("csrf", csrf.as_str()), ("version", version.as_str())];
        pairs.extend_from_slice(action);
        post_form(&demo, &format!("/staff/s/{code}"), &[session.clone()], &form_body(&pairs))
    };
    assert_eq!(act(&[("action", "accept")]).status, 303);
    let until = gongkai_hub::submissions::calendar::WorkCalendar::builtin().add_working_days(chrono::Local::now().date_naive(), 15).to_string();
    let ancient = act(&[("action", "third_party_started"), ("on", "-200000-01-01"), ("until", &until), ("party", "某公司")]);
    assert_eq!(ancient.status, 422, "stored: {}", ancient.body);
    assert!(ancient.body.contains("不能早于收到申请的日期"), "{}", ancient.body);
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    let future = act(&[("action", "third_party_started"), ("on", &tomorrow), ("until", &until), ("party", "某公司")]);
    assert_eq!(future.status, 422);
    assert!(future.body.contains("晚于今天"), "{}", future.body);
    let today = chrono::Local::now().date_naive().to_string();
    let far = act(&[("action", "third_party_started"), ("on", &today), ("until", "2205-01-01"), ("party", "某公司")]);
    assert!(far.status == 422 && far.body.contains("请核对年份"), "{}", far.body);
    assert_eq!(act(&[("action", "third_party_started"), ("on", &today), ("until", &until), ("party", "某公司")]).status, 303);
    assert_eq!(get(&demo, &format!("/q/{code}"), &[]).status, 200);
}

/// Finding 11: idle and half-sent connections stayed open for ever.
#[test]
fn idle_half_sent_and_surplus_connections_are_closed() {
    let demo = DemoHub::start_with(&["--max-connections", "20"]);
    let address = demo.hub.url.trim_start_matches("http://").to_string();
    // A request claiming a 10 GB body is refused before any of it is read.
    let mut claims = TcpStream::connect(&address).unwrap();
    claims.write_all(b"POST /f/opinion HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000000\r\n\r\n").unwrap();
    claims.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = [0; 12];
    claims.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 413");
    drop(claims);
    thread::sleep(Duration::from_millis(200));

    let opened = Instant::now();
    let mut idle: Vec<TcpStream> = (0..20).map(|_| TcpStream::connect(&address).unwrap()).collect();
    // Half a request head on one of them.
    idle[0].write_all(b"GET /q HTTP/1.1\r\nHost: x\r\n").unwrap();
    thread::sleep(Duration::from_millis(300));
    // The 21st connection is closed at once.
    let mut surplus = TcpStream::connect(&address).unwrap();
    surplus.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = surplus.write_all(b"GET /q HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut byte = [0; 1];
    assert!(matches!(surplus.read(&mut byte), Ok(0) | Err(_)), "no answer over the limit");
    // The idle ones are closed within the header timeout (10 s).
    for (n, stream) in idle.iter_mut().enumerate() {
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        assert!(opened.elapsed() < Duration::from_secs(18), "connection {n} held for {:?}", opened.elapsed());
    }
    drop(idle);
    thread::sleep(Duration::from_millis(300));
    // A kept-alive connection left idle after a finished request is closed in time too.
    let mut kept = TcpStream::connect(&address).unwrap();
    kept.write_all(b"GET /q HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    kept.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let finished = Instant::now();
    let mut answer = Vec::new();
    let _ = kept.read_to_end(&mut answer);
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"), "answered first");
    assert!(finished.elapsed() < Duration::from_secs(15), "then closed after {:?}", finished.elapsed());
    // A body sent one byte and then nothing: the request is ended.
    let mut slow = TcpStream::connect(&address).unwrap();
    slow.write_all(b"POST /f/opinion HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nc").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(45))).unwrap();
    let started = Instant::now();
    let mut answer = [0; 12];
    slow.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 408", "after {:?}", started.elapsed());
    // And the hub still serves.
    assert_eq!(get(&demo, "/q", &[]).status, 200);
}

/// Finding 12: a QR link reopened counted again, and one link credited other forms.
#[test]
fn a_link_counts_once_per_phone_and_credits_only_its_own_form() {
    let demo = DemoHub::start_with(&BEHIND_PROXY);
    let link = demo.link_path(&Target::Satisfaction);
    let phone = ("Cookie", phone_cookie(&demo, &[client(1)]));
    for _ in 0..5 {
        assert_eq!(get(&demo, &link, &[client(1), phone.clone()]).status, 200);
    }
    let other_phone = ("Cookie", phone_cookie(&demo, &[client(1)]));
    get(&demo, &link, &[client(1), other_phone.clone()]);
    // The 满意度 link used as `via` on the 意见建议 form.
    let token = link.trim_start_matches("/H/");
    let body = form_body(&[("category", "其他"), ("content", "借用链接"), ("via", token)]);
    let reused = post_form(&demo, "/f/opinion", &[client(1), phone.clone()], &body);
    let code = reused.header("location").unwrap().trim_start_matches("/q/").trim_end_matches("?new=1").to_string();

    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let session = ("Cookie", sign_in(&demo.hub.url, "clerk", PASSWORD));
    let case = get(&demo, &format!("/staff/s/{code}"), &[session.clone()]).body;
    assert!(case.contains("未记录终端（二维码对应其他事项）"), "{case}");
    let stats = get(&demo, "/staff/stats", &[session]).body;
    assert!(stats.contains("<td>yunxi-hall-01</td><td>0</td><td>2</td><td>0</td>"), "opened twice, by two phones; nothing credited: {stats}");
}

/// Finding 13: `via` went into the document page's links as it came.
#[test]
fn the_link_is_encoded_into_the_document_pages_links() {
    let demo = DemoHub::start();
    let page = get(&demo, "/d/doc-a-001?via=X%26doc%3Devil%22", &[]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("/f/apply?doc=doc-a-001&amp;via=X%26doc%3Devil%22"), "{}", page.body);
    assert!(!page.body.contains("doc=evil"));
}

#[test]
fn every_answer_carries_the_security_headers_and_private_pages_are_not_stored() {
    let demo = DemoHub::start_with(&["--public-url", "https://gk.example.gov.cn"]);
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let login = try_sign_in(&demo.hub.url, "clerk", PASSWORD, &[]);
    for cookie in login.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie")).map(|(_, v)| v) {
        assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    }
    let session = ("Cookie", login.cookies().into_iter().find(|c| c.starts_with("gk_staff=")).unwrap());
    let code = post_form(&demo, "/f/opinion", &[], &opinion("头部"));
    let status_page = code.header("location").unwrap().trim_end_matches("?new=1").to_string();
    for (path, private) in [
        ("/f/opinion", false),
        ("/bundle/manifest.json", false),
        ("/no-such-page", false),
        ("/staff", true),
        ("/staff/export.csv", true),
        (status_page.as_str(), true),
    ] {
        let answer = get(&demo, path, &[session.clone()]);
        let csp = answer.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(answer.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(answer.header("referrer-policy"), Some("no-referrer"), "{path}");
        if private {
            assert_eq!(answer.header("cache-control"), Some("no-store"), "{path}");
        }
    }
    let form = get(&demo, "/f/opinion", &[]);
    assert!(form.headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.contains("; Secure")));
}

#[test]
fn forms_take_only_form_encoding_and_the_log_in_only_the_hubs_own_token() {
    let demo = DemoHub::start();
    let json = http(&demo.hub.url, "POST", "/f/opinion", &[("Content-Type", "application/json".into())], b"{\"content\":\"x\"}");
    assert_eq!(json.status, 415);
    assert!(json.body.contains("请在手机上打开表单页面填写后提交"), "{}", json.body);
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    // A token of the attacker's making in both the cookie and the form.
    let made_up = "ab".repeat(40);
    let body = form_body(&[("username", "clerk"), ("password", PASSWORD), ("csrf", &made_up)]);
    let forged = post_form(&demo, "/staff/login", &[("Cookie", format!("gk_login={made_up}"))], &body);
    assert_eq!(forged.status, 403);
    // Two genuine tokens, but the form's is not the cookie's.
    let token = |page: &Response| page.cookies().into_iter().find(|c| c.starts_with("gk_login=")).unwrap();
    let (first, second) = (token(&get(&demo, "/staff/login", &[])), token(&get(&demo, "/staff/login", &[])));
    let body = form_body(&[("username", "clerk"), ("password", PASSWORD), ("csrf", second.trim_start_matches("gk_login="))]);
    assert_eq!(post_form(&demo, "/staff/login", &[("Cookie", first)], &body).status, 403);
}

#[test]
fn disabling_an_account_ends_its_sessions() {
    let demo = DemoHub::start();
    add_staff(&demo.hub.data, "clerk", "王科员", PASSWORD);
    let session = ("Cookie", sign_in(&demo.hub.url, "clerk", PASSWORD));
    assert_eq!(get(&demo, "/staff", &[session.clone()]).status, 200);
    let disabled = std::process::Command::new(gongkai_testkit::workspace_binary("gongkai-hub"))
        .args(["--data", demo.hub.data.to_str().unwrap(), "staff", "disable", "clerk"])
        .output()
        .unwrap();
    assert!(disabled.status.success(), "{}", String::from_utf8_lossy(&disabled.stderr));
    assert_eq!(get(&demo, "/staff", &[session]).status, 303, "signed out");
    assert_eq!(try_sign_in(&demo.hub.url, "clerk", PASSWORD, &[]).status, 401, "and cannot sign in");
}

#[test]
fn the_layout_is_served_by_rfc_9110_and_never_through_a_symlink_out_of_the_data_folder() {
    let demo = DemoHub::start();
    let whole = get(&demo, "/bundle/manifest.json", &[]);
    let tag = whole.header("etag").unwrap().to_string();
    let len = whole.body.len();
    let suffix = get(&demo, "/bundle/manifest.json", &[("Range", "bytes=-10".into())]);
    assert_eq!(suffix.status, 206);
    assert_eq!(suffix.header("content-range"), Some(format!("bytes {}-{}/{len}", len - 10, len - 1).as_str()));
    assert_eq!(get(&demo, "/bundle/manifest.json", &[("Range", "bytes=0-1,4-5".into())]).status, 200, "a list: the whole file");
    assert_eq!(get(&demo, "/bundle/manifest.json", &[("Range", "bytes=9-3".into())]).status, 200, "invalid: the whole file");
    assert_eq!(get(&demo, "/bundle/manifest.json", &[("If-None-Match", format!("\"other\", W/{tag}"))]).status, 304);
    assert_eq!(get(&demo, "/bundle/manifest.json", &[("If-None-Match", "*".into())]).status, 304);
    assert_eq!(get(&demo, "/bundle/manifest.json", &[("If-None-Match", "\"other\"".into())]).status, 200);

    let outside = demo.dir.path().join("secret.txt");
    std::fs::write(&outside, "not for the web").unwrap();
    let name = "ab".repeat(32);
    let objects = demo.hub.data.join("objects").join("ab");
    std::fs::create_dir_all(&objects).unwrap();
    std::os::unix::fs::symlink(&outside, objects.join(&name)).unwrap();
    let through = get(&demo, &format!("/objects/ab/{name}"), &[]);
    assert_eq!(through.status, 404);
    assert!(!through.body.contains("not for the web"));
}
