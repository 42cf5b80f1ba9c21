//! `gongkai-hub serve`: one HTTP server for the kiosks (the static layout, heartbeats), the
//! visitors' phones (forms and the 查询码 status page) and the office (the staff console).
//!
//! The connection loop is the hub's own, so that no client can hold the server: a
//! connection that sends no complete request head within `HEADER_TIMEOUT` (idle keep-alive
//! connections included) is closed, each connection reads at most `READ_BUFFER` at a time,
//! and connections beyond `Limits::max_connections`, or beyond `PER_PEER` from one address
//! (other than a trusted proxy), are closed at once. Requests themselves are bounded by
//! `http_policy`.

use std::{
    collections::HashMap,
    convert::Infallible,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Body,
    extract::DefaultBodyLimit,
    http::Request,
    middleware,
    routing::{get, post},
};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower_service::Service;

use super::{Hub, client::Peer, submissions::store::StoreError, console, fleet::{commands, heartbeat, push, screenshots}, forms, http_policy, static_files};
use gongkai_core::fleet::{ACK_PATH, push::PUSH_PATH, screenshot::SCREENSHOT_PATH};

/// How often the server looks for a newly published bundle (a look is one `stat` unless it
/// changed), and then tells the kiosks on the push channel.
const REFRESH_EVERY: Duration = Duration::from_millis(500);
/// Data sent on a connection and not acknowledged for this long means the peer is gone:
/// with the push channel's keep-alives, a vanished kiosk's stream is closed within a minute.
const UNACKNOWLEDGED_TIMEOUT: Duration = Duration::from_secs(30);
/// A request head must arrive within this, and so must the next one on a kept-alive
/// connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection's read buffer at most: a request head is far smaller.
const READ_BUFFER: usize = 64 * 1024;
/// Connections one address may hold open: a hall's phones behind one Wi-Fi, each with a few.
pub const PER_PEER: usize = 512;

pub fn routes(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/api/heartbeat", post(heartbeat::receive))
        .route(PUSH_PATH, get(push::open))
        .route(ACK_PATH, post(commands::acknowledge))
        .route(SCREENSHOT_PATH, post(screenshots::receive))
        .merge(forms::routes())
        .merge(console::routes())
        .route("/{*path}", get(static_files::file))
        // Chunked bodies have no length to refuse up front: they are cut off here.
        .layer(DefaultBodyLimit::max(http_policy::MAX_BODY_BYTES as usize))
        .layer(middleware::from_fn_with_state(Arc::clone(&hub), http_policy::bound_request))
        .layer(middleware::map_response(http_policy::add_security_headers))
        .with_state(hub)
}

/// Remote commands are kept this long: the fleet page lists the latest, the audit log keeps
/// who issued them for good.
const KEEP_COMMANDS_DAYS: i64 = 90;

/// Removes proof of play past `--keep-plays-days` and commands past `KEEP_COMMANDS_DAYS`, at
/// start and then once a day.
async fn prune_daily(hub: Arc<Hub>) {
    loop {
        let now = chrono::Utc::now().timestamp();
        let (plays_before, commands_before) = (now - hub.keep_plays_days * 86_400, now - KEEP_COMMANDS_DAYS * 86_400);
        let store = Arc::clone(&hub.store);
        let pruned = tokio::task::spawn_blocking(move || Ok::<_, StoreError>((store.prune_plays(plays_before)?, store.prune_commands(commands_before)?))).await;
        match pruned {
            Ok(Ok((0, _))) => {}
            Ok(Ok((removed, _))) => eprintln!("proof of play: {removed} records older than {} days removed", hub.keep_plays_days),
            Ok(Err(e)) => eprintln!("proof of play, commands: not pruned: {e}"),
            Err(e) => eprintln!("proof of play, commands: not pruned: {e}"),
        }
        tokio::time::sleep(Duration::from_secs(86_400)).await;
    }
}

/// How often the hub looks for applications whose 补正期限 has passed: a query of the few
/// awaiting 补正, and a day's end is noticed within this.
const LAPSE_EVERY: Duration = Duration::from_secs(10);

/// Ends the applications not corrected within their 补正期限 (`submissions::lapse`).
async fn close_lapsed(hub: Arc<Hub>) {
    loop {
        let working = Arc::clone(&hub);
        let closed = tokio::task::spawn_blocking(move || {
            crate::submissions::lapse::close_lapsed(working.store.as_ref(), &working.calendar, working.today())
        })
        .await;
        match closed {
            Ok(Ok(codes)) => {
                for code in codes {
                    eprintln!("application {code}: 补正期限 passed without a corrected application, no longer handled (条例第三十条)");
                }
            }
            Ok(Err(e)) => eprintln!("applications past their 补正期限: not closed: {e}"),
            Err(e) => eprintln!("applications past their 补正期限: not closed: {e}"),
        }
        tokio::time::sleep(LAPSE_EVERY).await;
    }
}

/// How often the hub looks for a review whose 发布时间 has come.
const SCHEDULE_EVERY: Duration = Duration::from_secs(5);

/// Publishes each approved review at its 发布时间 (`content::review::publish_due`), with the
/// hub's publisher key; without one nothing can have been approved.
async fn publish_scheduled(hub: Arc<Hub>) {
    if hub.publisher_key.is_none() {
        let store = Arc::clone(&hub.store);
        if let Ok(Ok(Some(review))) = tokio::task::spawn_blocking(move || store.due_review(i64::MAX)).await {
            eprintln!("送审稿 #{} is approved for a 发布时间, but the hub has no --publisher-key: it will not be published", review.id);
        }
        return;
    }
    loop {
        tokio::time::sleep(SCHEDULE_EVERY).await;
        let working = Arc::clone(&hub);
        let published = tokio::task::spawn_blocking(move || {
            let Some(key) = &working.publisher_key else { return Ok(None) };
            let _one_at_a_time = working.one_publish_at_a_time();
            crate::content::review::publish_due(working.store.as_ref(), &working.data, key, chrono::Utc::now().timestamp())
        })
        .await;
        match published {
            Ok(Ok(None)) => {}
            Ok(Ok(Some(done))) => eprintln!("{done}"),
            Ok(Err(e)) => eprintln!("scheduled publish: {e}"),
            Err(e) => eprintln!("scheduled publish: {e}"),
        }
    }
}

/// Serves until the process ends.
pub async fn serve(listener: TcpListener, hub: Arc<Hub>) -> std::io::Result<()> {
    let refreshing = Arc::clone(&hub);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(REFRESH_EVERY).await;
            let hub = Arc::clone(&refreshing);
            if let Ok(Some((version, manifest_sha256))) = tokio::task::spawn_blocking(move || hub.published.refresh()).await {
                refreshing.push.send_all(&refreshing.push.bundle_message(version, manifest_sha256));
            }
        }
    });
    if let Some(alerter) = &hub.alerter {
        alerter.start(&hub);
    }
    tokio::spawn(prune_daily(Arc::clone(&hub)));
    tokio::spawn(publish_scheduled(Arc::clone(&hub)));
    tokio::spawn(close_lapsed(Arc::clone(&hub)));
    let open = Arc::new(Connections { max: hub.limits.max_connections, exempt: hub.limits.trusted_proxies.clone(), ..Connections::default() });
    let router = routes(hub);
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, usually: wait for connections to close.
                eprintln!("accept: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Some(slot) = Connections::take(&open, peer.ip().to_canonical()) else { continue };
        // A kernel without it (before Linux 2.6.37) still ends a dead stream at a write
        // error after the keep-alives, only later.
        let _ = socket2::SockRef::from(&stream).set_tcp_user_timeout(Some(UNACKNOWLEDGED_TIMEOUT));
        let router = router.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(Peer(peer));
                let mut router = router.clone();
                async move { Ok::<_, Infallible>(router.call(request.map(Body::new)).await.unwrap_or_else(|e| match e {})) }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(READ_BUFFER)
                .serve_connection(TokioIo::new(stream), service);
            // A client that goes away mid-request is no error of the hub's.
            let _ = connection.await;
            drop(slot);
        });
    }
}

/// The open connections, in all and per address.
#[derive(Default)]
struct Connections {
    max: usize,
    exempt: Vec<IpAddr>,
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// One open connection; its place is given back when it closes.
struct Slot {
    connections: Arc<Connections>,
    peer: IpAddr,
}

impl Connections {
    fn take(connections: &Arc<Connections>, peer: IpAddr) -> Option<Slot> {
        let mut open = connections.open.lock().unwrap_or_else(|p| p.into_inner());
        let (total, by_peer) = &mut *open;
        let from_peer = by_peer.entry(peer).or_default();
        if *total >= connections.max || (*from_peer >= PER_PEER && !connections.exempt.contains(&peer)) {
            if *from_peer == 0 {
                by_peer.remove(&peer);
            }
            return None;
        }
        *total += 1;
        *from_peer += 1;
        Some(Slot { connections: Arc::clone(connections), peer })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.connections.open.lock().unwrap_or_else(|p| p.into_inner());
        let (total, by_peer) = &mut *open;
        *total -= 1;
        if let Some(count) = by_peer.get_mut(&self.peer) {
            *count -= 1;
            if *count == 0 {
                by_peer.remove(&self.peer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_bounded_in_all_and_per_address_except_for_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let open = Arc::new(Connections { max: PER_PEER + 10, exempt: vec![proxy], ..Connections::default() });
        let phone: IpAddr = "203.0.113.9".parse().unwrap();
        let held: Vec<Slot> = (0..PER_PEER).map(|_| Connections::take(&open, phone).unwrap()).collect();
        assert!(Connections::take(&open, phone).is_none(), "one address at its limit");
        let others: Vec<Slot> = (0..10).map(|_| Connections::take(&open, proxy).unwrap()).collect();
        assert!(Connections::take(&open, proxy).is_none(), "the whole hub at its limit");
        drop(held);
        assert_eq!(open.open.lock().unwrap().1.get(&phone), None, "closed connections give their place back");
        assert!(Connections::take(&open, phone).is_some());
        drop(others);
    }
}
