//! Durable submissions per second and their latency: 64 concurrent clients post 意见建议
//! forms over HTTP on 127.0.0.1 to a hub whose SQLite database runs in WAL mode with
//! `synchronous = FULL`. A form counts once the hub has answered with its 查询码, which it
//! only does after the commit.
//!
//!     cargo bench -p gongkai-hub --bench submissions [-- SECONDS]
//!
//! It runs twice: clients sending as fast as they are answered (the most the hub can take),
//! then a steady 1,000 forms per second (the latency a visitor sees under heavy load).

use std::time::{Duration, Instant};

use gongkai_hub::{self as hub, HubConfig, Limits};

const CLIENTS: usize = 64;
/// Forms per second in the steady run.
const STEADY_RATE: f64 = 1000.0;

fn main() {
    let seconds: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10);
    let dir = tempfile::tempdir().expect("temporary folder");
    let served = hub::Hub::open(dir.path(), lifted_limits()).expect("hub");
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
    clients.block_on(run(&http, &url, Duration::from_secs(1), 1, None));
    println!("{CLIENTS} clients on 127.0.0.1, {seconds} s each (the hub's visitor limits lifted):");
    let started = Instant::now();
    let latencies = clients.block_on(run(&http, &url, Duration::from_secs(seconds), 2, None));
    report("as fast as they can", latencies, started.elapsed());
    // Latency at a steady load a busy city could bring, measured from when each form was
    // due to be sent, so a stalled server cannot hide its queue.
    let paced = Duration::from_secs_f64(CLIENTS as f64 / STEADY_RATE);
    let started = Instant::now();
    let latencies = clients.block_on(run(&http, &url, Duration::from_secs(seconds), 3, Some(paced)));
    report(&format!("steady {STEADY_RATE:.0}/s offered"), latencies, started.elapsed());
}

/// The store's own throughput is measured: the per-address, cookie and hub-wide limits that
/// guard a real hub (every bench client shares 127.0.0.1 and sends no cookie) are lifted.
fn lifted_limits() -> HubConfig {
    let limits = Limits { submits_per_address: u32::MAX, challenge_after: u32::MAX, submits_per_second: u32::MAX, ..Limits::default() };
    HubConfig { limits, ..HubConfig::default() }
}

fn report(what: &str, mut latencies: Vec<Duration>, elapsed: Duration) {
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "{what}: {} durable submissions, {:.0}/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        at(0.50),
        at(0.99),
        at(1.0)
    );
}

/// Each client posts forms for `duration`, one after another or one every `pace`; returns
/// every latency. `tag` keeps each run's idempotency keys apart.
async fn run(http: &reqwest::Client, url: &str, duration: Duration, tag: u64, pace: Option<Duration>) -> Vec<Duration> {
    let start = Instant::now();
    let deadline = Instant::now() + duration;
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (http, url) = (http.clone(), url.to_string());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    // A distinct form for every request: these stand for a city's visitors,
                    // not one phone sending thousands.
                    let key = format!("{tag:016x}{client:016x}{n:032x}");
                    let body = format!("category=%E5%85%B6%E4%BB%96&content=bench+{client}+{n}&key={key}");
                    let sent = match pace {
                        Some(pace) => {
                            let due = start + pace.mul_f64(n as f64 + client as f64 / CLIENTS as f64);
                            tokio::time::sleep_until(due.into()).await;
                            due
                        }
                        None => Instant::now(),
                    };
                    let response = http
                        .post(&url)
                        .header("Content-Type", "application/x-www-form-urlencoded")
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
