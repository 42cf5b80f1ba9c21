//! The staff console over a large inbox: N stored submissions (default 10^5; one in 50 a
//! 政府信息公开申请 with its statutory clock running, the rest 意见建议), then the pages staff
//! open, over HTTP on 127.0.0.1 with a signed-in session: the inbox's first page and one deep
//! in it, a deadline filter, a 查询码 search, the statistics, and the whole CSV export.
//!
//!     cargo bench -p gongkai-hub --bench inbox [-- N]

use std::time::{Duration, Instant};

use gongkai_hub::{
    self as hub, HubConfig,
    submissions::{
        channel::Channel,
        form::{Entry, Fields, Kind},
        store::{InboxQuery, NewSubmission, SqliteStore, Store},
    },
};

const FILLERS: u64 = 8;
const PASSWORD: &str = "bench password 2025";
const BASE_TIME: i64 = 1_760_000_000;

fn main() {
    let rows: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let database = dir.path().join("submissions.db");
    let started = Instant::now();
    fill(&database, rows);
    println!("{rows} submissions stored in {:.1} s", started.elapsed().as_secs_f64());

    let served = hub::Hub::open(dir.path(), HubConfig { database: Some(database), ..HubConfig::default() }).expect("hub");
    let code = served.store.inbox(&InboxQuery::default(), None, 1).expect("inbox")[0].code.to_string();
    let server = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let listener = server.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    server.spawn(hub::serve(listener, served));

    let client = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let session = client.block_on(sign_in(&http, &url));
    let middle = format!("/staff?after={}.{}", BASE_TIME + rows as i64 / 2, rows / 2);
    let pages = [
        ("inbox, first page", "/staff".to_string()),
        ("inbox, a page half way down", middle),
        ("inbox, 已超期 filter", "/staff?urgency=overdue".to_string()),
        ("inbox, search by 查询码", format!("/staff?q={code}")),
        ("statistics", "/staff/stats".to_string()),
    ];
    println!("page (10 views each): p50, max");
    for (what, path) in pages {
        let mut times: Vec<Duration> = (0..10).map(|_| client.block_on(view(&http, &url, &path, &session)).0).collect();
        times.sort();
        println!("  {what}: {:.1} ms, {:.1} ms", ms(times[5]), ms(times[9]));
    }
    let peak_before = gongkai_core::process_memory::peak_mb();
    let (took, bytes) = client.block_on(view(&http, &url, "/staff/export.csv", &session));
    println!(
        "export of all {rows} rows: {:.2} s, {:.1} MB of CSV; peak memory of the process {:.0} MB (was {peak_before:.0} MB)",
        took.as_secs_f64(),
        bytes as f64 / 1e6,
        gongkai_core::process_memory::peak_mb()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Fills a fresh database as the hub's writer would: concurrent submissions, group-committed.
fn fill(database: &std::path::Path, rows: u64) {
    let store = std::sync::Arc::new(SqliteStore::open(database).expect("database"));
    let threads: Vec<_> = (0..FILLERS)
        .map(|filler| {
            let store = std::sync::Arc::clone(&store);
            std::thread::spawn(move || {
                for n in (filler..rows).step_by(FILLERS as usize) {
                    let kind = if n % 50 == 0 { Kind::Apply } else { Kind::Opinion };
                    let entry = Entry { name: "content".into(), label: "内容".into(), value: format!("第 {n} 条：希望延长周末办理时间") };
                    let new = NewSubmission {
                        key: format!("{n:064x}"),
                        kind,
                        subject: None,
                        fields: Fields(vec![entry]),
                        kiosk: Some(format!("hall-{}", n % 12)),
                        origin_note: None,
                        submitted_at: BASE_TIME + n as i64,
                        received_on: chrono::NaiveDate::from_ymd_opt(2025, 10, 1).expect("date"),
                        channel: Channel::Online,
                        organ: "main".into(),
                    };
                    store.submit(new).expect("stored");
                }
            })
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().expect("filler"));
    store.add_staff("bench", "测试", &hub::hash_password(PASSWORD).expect("hash"), Default::default(), "", "bench").expect("staff");
}

async fn sign_in(http: &reqwest::Client, url: &str) -> String {
    let page = http.get(format!("{url}/staff/login")).send().await.expect("log-in page");
    let cookie = page.headers().get("set-cookie").and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).expect("cookie").to_string();
    let token = cookie.trim_start_matches("gk_login=").to_string();
    let answer = http
        .post(format!("{url}/staff/login"))
        .header("Cookie", &cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("username=bench&password={}&csrf={token}", PASSWORD.replace(' ', "+")))
        .send()
        .await
        .expect("log-in");
    assert_eq!(answer.status(), reqwest::StatusCode::SEE_OTHER, "signed in");
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next())
        .find(|c| c.starts_with("gk_staff="))
        .expect("session")
        .to_string()
}

/// One view: the time until the whole body has arrived, and its length.
async fn view(http: &reqwest::Client, url: &str, path: &str, session: &str) -> (Duration, usize) {
    let started = Instant::now();
    let mut answer = http.get(format!("{url}{path}")).header("Cookie", session).send().await.expect("view");
    assert!(answer.status().is_success(), "{path}: {}", answer.status());
    // Read as it comes, so that the process's peak is the hub's, not a buffered download's.
    let mut length = 0;
    while let Some(chunk) = answer.chunk().await.expect("body") {
        length += chunk.len();
    }
    (started.elapsed(), length)
}
