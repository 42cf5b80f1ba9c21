//! Idle push streams on one hub: a `gongkai-hub serve` process on 127.0.0.1 with N kiosks
//! registered, each holding its signed stream open (from 127.0.0.2 onwards, 400 to an
//! address, under the per-address limit). Prints the hub's memory per open stream, the time
//! one publish takes to reach every kiosk, and whether every stream had its keep-alive.
//!
//! `cargo bench -p gongkai-hub --bench push [-- KIOSKS]` (default 10,000; needs that many
//! open files, twice: `ulimit -n`).

use std::{
    fs,
    net::{Ipv4Addr, SocketAddr},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use ed25519_dalek::SigningKey;
use gongkai_core::{process_memory::rss_mb_of, fleet::{KIOSK_HEADER, SIGNATURE_HEADER, push::{KEEPALIVE, PUSH_PATH, STREAM_HEADER, sign_push_request}}};
use gongkai_testkit::{budget, signed_minimal_bundle};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpSocket,
    sync::Semaphore,
};

const PER_ADDRESS: usize = 400;

fn main() {
    let kiosks: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let open_files = open_file_limit();
    assert!(open_files > kiosks as u64 + 200, "{kiosks} streams need more open files than {open_files}: raise `ulimit -n`");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    let publisher = SigningKey::from_bytes(&[7; 32]);
    gongkai_hub::publish(&signed_minimal_bundle(dir.path(), 1, &publisher, |_| {}), &data).unwrap();
    let registry = dir.path().join("kiosks.toml");
    let entries: String = (0..kiosks).map(|i| format!("[[kiosk]]\nid = \"k-{i}\"\nkey = \"{}\"\n", key_hex(i))).collect();
    fs::write(&registry, entries).unwrap();
    let (mut hub, address) = start_hub(&data, &registry, kiosks);
    let before = rss_mb_of(hub.id());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (opened, opening) = runtime.block_on(open_all(address, kiosks));
    let open_s = opening.as_secs_f64();
    std::thread::sleep(Duration::from_secs(2));
    let after = rss_mb_of(hub.id());
    let per_stream = (after - before) * 1024.0 / kiosks as f64;

    // One publish, to every open stream.
    let bundle = signed_minimal_bundle(dir.path(), 2, &publisher, |_| {});
    let published = Instant::now();
    gongkai_hub::publish(&bundle, &data).unwrap();
    let until = published + Duration::from_secs(60);
    while opened.heard_2.load(Ordering::Relaxed) < kiosks && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    let fan_out = published.elapsed().as_secs_f64();
    let reached = opened.heard_2.load(Ordering::Relaxed);
    // Idle past a keep-alive: every stream must have had one, and still be open.
    std::thread::sleep(KEEPALIVE + Duration::from_secs(3));
    let kept_alive = opened.kept_alive.load(Ordering::Relaxed);
    let closed = opened.closed.load(Ordering::Relaxed);
    let _ = hub.kill();
    let _ = hub.wait();
    drop(runtime);

    println!("{kiosks} streams opened in {open_s:.1} s; hub memory {before:.0} MB before, {after:.0} MB with them open");
    println!("memory per idle stream: {per_stream:.1} KB");
    println!("one publish reached {reached} of {kiosks} kiosks in {fan_out:.2} s (the hub looks every 0.5 s)");
    println!("keep-alive heard on {kept_alive} streams; {closed} closed while idle");
    budget::at_most("hub memory per idle stream", per_stream, 64.0, "KB");
    budget::at_most(&format!("publish to all {kiosks} kiosks"), if reached == kiosks { fan_out } else { f64::INFINITY }, 5.0, "s");
    budget::at_least("streams kept alive and open", kept_alive.min(kiosks - closed) as f64, kiosks as f64, "");
}

fn key_hex(kiosk: usize) -> String {
    format!("{:032x}", kiosk + 1)
}

fn start_hub(data: &Path, registry: &Path, kiosks: usize) -> (Child, SocketAddr) {
    use std::io::BufRead;
    let max = (kiosks + 100).to_string();
    let mut hub = Command::new(env!("CARGO_BIN_EXE_gongkai-hub"))
        .args(["--data", data.to_str().unwrap(), "serve", "--listen", "127.0.0.1:0", "--max-connections", &max])
        .args(["--kiosks", registry.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(hub.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line.trim().trim_start_matches("listening on http://").parse().unwrap();
    (hub, address)
}

#[derive(Default)]
struct Counts {
    heard_2: AtomicUsize,
    kept_alive: AtomicUsize,
    closed: AtomicUsize,
}

/// Opens a stream for every kiosk, at most 256 opening at once; each then reads on in its
/// own task. Returns once every stream has had its first event.
async fn open_all(hub: SocketAddr, kiosks: usize) -> (Arc<Counts>, Duration) {
    let counts = Arc::new(Counts::default());
    let opening = Arc::new(Semaphore::new(256));
    let (ready, mut all_ready) = tokio::sync::mpsc::channel(kiosks);
    let started = Instant::now();
    for kiosk in 0..kiosks {
        let mut permit = Some(Arc::clone(&opening).acquire_owned().await.unwrap());
        let (counts, mut ready) = (Arc::clone(&counts), Some(ready.clone()));
        tokio::spawn(async move {
            let source = Ipv4Addr::new(127, 0, 0, 2 + (kiosk / PER_ADDRESS) as u8);
            let socket = TcpSocket::new_v4().unwrap();
            socket.bind(SocketAddr::new(source.into(), 0)).unwrap();
            let mut stream = socket.connect(hub).await.unwrap();
            let (id, key) = (format!("k-{kiosk}"), hex::decode(key_hex(kiosk)).unwrap());
            let name = chrono::Utc::now().timestamp_millis();
            let request = format!(
                "GET {PUSH_PATH} HTTP/1.1\r\nHost: hub\r\n{KIOSK_HEADER}: {id}\r\n{STREAM_HEADER}: {name}\r\n{SIGNATURE_HEADER}: {}\r\n\r\n",
                sign_push_request(&key, &id, name)
            );
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut seen = Vec::new();
            let mut buffer = [0u8; 4096];
            let mut first = true;
            let mut heard_2 = false;
            let mut kept_alive = false;
            loop {
                let Ok(read @ 1..) = stream.read(&mut buffer).await else { break };
                seen.extend_from_slice(&buffer[..read]);
                let text = String::from_utf8_lossy(&seen);
                assert!(!first || text.starts_with("HTTP/1.1 200"), "{text}");
                if first && text.contains("\"version\":1") {
                    first = false;
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(()).await;
                    }
                    permit.take();
                }
                if !heard_2 && text.contains("\"version\":2") {
                    heard_2 = true;
                    counts.heard_2.fetch_add(1, Ordering::Relaxed);
                }
                if !kept_alive && text.contains("\r\n:\n\n") {
                    kept_alive = true;
                    counts.kept_alive.fetch_add(1, Ordering::Relaxed);
                }
                // Once the head is read, only what may still hold a match is kept.
                if !first {
                    let keep = seen.len().saturating_sub(64);
                    seen.drain(..keep);
                }
            }
            counts.closed.fetch_add(1, Ordering::Relaxed);
        });
    }
    drop(ready);
    for opened in 0..kiosks {
        // Each task holds a sender until its stream opens: none left means one failed.
        assert!(all_ready.recv().await.is_some(), "only {opened} of {kiosks} streams opened");
    }
    (counts, started.elapsed())
}

/// The soft limit on this process's open files (which the hub it starts inherits).
fn open_file_limit() -> u64 {
    let limits = fs::read_to_string("/proc/self/limits").unwrap_or_default();
    limits.lines().find(|l| l.starts_with("Max open files")).and_then(|l| l.split_whitespace().nth(3)?.parse().ok()).unwrap_or(0)
}
