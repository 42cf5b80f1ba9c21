//! A TCP proxy on 127.0.0.1 in front of a real hub that breaks the link on demand: drops a
//! file transfer part-way, throttles to a few KB/s, or answers HTTP 500 (bodies of requests,
//! such as heartbeats, pass by their Content-Length). One request per
//! connection (it asks the hub to close after each response).

use std::{
    io::{Read, Write},
    net::{Shutdown, TcpListener, TcpStream},
    sync::{Arc, Mutex},
    thread,
    time::Duration,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Cut a file download after this many bytes of the response.
    DropFilesAfter(usize),
    /// Relay at about this many bytes a second.
    Throttle(usize),
    /// Answer every request with HTTP 500.
    ServerError,
}

pub struct FaultProxy {
    pub url: String,
    fault: Arc<Mutex<Fault>>,
}

impl FaultProxy {
    pub fn start(upstream: &str) -> Self {
        let upstream = upstream.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let fault = Arc::new(Mutex::new(Fault::None));
        let shared = fault.clone();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let upstream = upstream.clone();
                let fault = *shared.lock().unwrap();
                thread::spawn(move || relay(client, &upstream, fault));
            }
        });
        Self { url, fault }
    }

    pub fn set(&self, fault: Fault) {
        *self.fault.lock().unwrap() = fault;
    }
}

fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut request = Vec::new();
    let mut byte = [0u8; 1];
    while !request.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).ok()? == 0 {
            return None;
        }
        request.push(byte[0]);
    }
    Some(request)
}

/// Passes on the body of a request that has one (a heartbeat), by its Content-Length.
fn relay_body(client: &mut TcpStream, hub: &mut TcpStream, head: &str) -> bool {
    let length = head
        .lines()
        .find_map(|line| line.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("content-length")))
        .and_then(|(_, value)| value.trim().parse::<u64>().ok())
        .unwrap_or(0);
    std::io::copy(&mut client.take(length), hub).is_ok_and(|copied| copied == length)
}

fn relay(mut client: TcpStream, upstream: &str, fault: Fault) {
    let Some(request) = read_request(&mut client) else { return };
    if fault == Fault::ServerError {
        let _ = client.write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    }
    let text = String::from_utf8_lossy(&request);
    let is_file = text.starts_with("GET /objects/");
    // One request per connection: ask the hub to close, so the relay ends with the response.
    let request = text.replacen("\r\n", "\r\nConnection: close\r\n", 1).replace("connection: keep-alive\r\n", "");
    let Ok(mut hub) = TcpStream::connect(upstream) else { return };
    if hub.write_all(request.as_bytes()).is_err() || !relay_body(&mut client, &mut hub, &text) {
        return;
    }
    let mut sent = 0usize;
    let mut buffer = [0u8; 512];
    loop {
        let n = match hub.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut chunk = &buffer[..n];
        if let Fault::DropFilesAfter(limit) = fault
            && is_file
        {
            chunk = &chunk[..n.min(limit.saturating_sub(sent))];
        }
        if client.write_all(chunk).is_err() {
            break;
        }
        sent += chunk.len();
        match fault {
            Fault::DropFilesAfter(limit) if is_file && sent >= limit => break,
            Fault::Throttle(rate) => thread::sleep(Duration::from_secs_f64(n as f64 / rate as f64)),
            _ => {}
        }
    }
    let _ = client.shutdown(Shutdown::Both);
}
