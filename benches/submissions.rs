//! Durable submissions per second and their latency: 64 concurrent clients post 意见建议
//! forms over HTTP on 127.0.0.1 to a hub whose SQLite database runs in WAL mode with
//! `synchronous = FULL`. A form counts once the hub has answered with its 查询码, which it
//! only does after the commit.
//!
//!     cargo bench --no-default-features --bench submissions [-- SECONDS]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use gongkai::{hub, submissions::calendar::WorkCalendar};

const CLIENTS: usize = 64;

fn main() {
    let seconds: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10);
    let dir = tempfile::tempdir().expect("temporary folder");
    let served = hub::Hub::open(dir.path(), Default::default(), 180, None, WorkCalendar::builtin()).expect("hub");
    let server = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let listener = server.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let url = format!("http://{}/f/opinion", listener.local_addr().expect("address"));
    server.spawn(hub::serve(listener, served));

    let clients = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    // Warm up the connections and the database file.
    clients.block_on(run(&http, &url, Duration::from_secs(1), u64::MAX));
    let started = Instant::now();
    let mut latencies = clients.block_on(run(&http, &url, Duration::from_secs(seconds), 0));
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)].as_secs_f64() * 1000.0;
    println!("{CLIENTS} clients, {seconds} s: {} durable submissions", latencies.len());
    println!("throughput: {:.0} submissions/s", latencies.len() as f64 / elapsed);
    println!("latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms", at(0.50), at(0.99), at(1.0));
}

/// Each client posts forms one after another for `duration`; returns every latency.
/// `tag` keeps the warm-up's idempotency keys apart from the measured run's.
async fn run(http: &reqwest::Client, url: &str, duration: Duration, tag: u64) -> Vec<Duration> {
    let deadline = Instant::now() + duration;
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (http, url) = (http.clone(), url.to_string());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    // A distinct phone for every form: the rate limit is per phone, and
                    // these stand for a city's visitors, not one phone sending thousands.
                    let key = format!("{tag:016x}{client:016x}{n:032x}");
                    let body = format!("category=%E5%85%B6%E4%BB%96&content=bench+{client}+{n}&key={key}");
                    let sent = Instant::now();
                    let response = http
                        .post(&url)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", format!("gk_device={key}"))
                        .body(body)
                        .send()
                        .await;
                    match response {
                        Ok(r) if r.status() == reqwest::StatusCode::SEE_OTHER => latencies.push(sent.elapsed()),
                        Ok(r) => panic!("submission refused: {}", r.status()),
                        Err(e) => panic!("submission failed: {e}"),
                    }
                    n += 1;
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("client"));
    }
    all
}
