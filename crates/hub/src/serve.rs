//! `gongkai-hub serve`: one HTTP server for the kiosks (the static layout, heartbeats), the
//! visitors' phones (forms and the 查询码 status page) and the office (the staff console).
//!
//! The connection loop is the hub's own, so that no client can hold the server: a
//! connection that sends no complete request head within `HEADER_TIMEOUT` (idle keep-alive
//! connections included) is closed, and connections beyond `Limits::max_connections` are
//! closed at once. Requests themselves are bounded by `http_policy`.

use std::{convert::Infallible, sync::Arc, time::Duration};

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
use tokio::{net::TcpListener, sync::Semaphore};
use tower_service::Service;

use super::{Hub, client::Peer, console, fleet::heartbeat, forms, http_policy, static_files};

/// How often the server looks for a newly published bundle.
const REFRESH_EVERY: Duration = Duration::from_secs(5);
/// A request head must arrive within this, and so must the next one on a kept-alive
/// connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

pub fn routes(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/api/heartbeat", post(heartbeat::receive).layer(DefaultBodyLimit::max(heartbeat::MAX_REPORT_BYTES)))
        .merge(forms::routes())
        .merge(console::routes())
        .route("/{*path}", get(static_files::file))
        .layer(middleware::from_fn_with_state(Arc::clone(&hub), http_policy::bound_request))
        .layer(middleware::map_response(http_policy::add_security_headers))
        .with_state(hub)
}

/// Serves until the process ends.
pub async fn serve(listener: TcpListener, hub: Arc<Hub>) -> std::io::Result<()> {
    let refreshing = Arc::clone(&hub);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(REFRESH_EVERY).await;
            let hub = Arc::clone(&refreshing);
            let _ = tokio::task::spawn_blocking(move || hub.published.refresh()).await;
        }
    });
    let open = Arc::new(Semaphore::new(hub.limits.max_connections));
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
        let Ok(slot) = Arc::clone(&open).try_acquire_owned() else { continue };
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
                .serve_connection(TokioIo::new(stream), service);
            // A client that goes away mid-request is no error of the hub's.
            let _ = connection.await;
            drop(slot);
        });
    }
}
