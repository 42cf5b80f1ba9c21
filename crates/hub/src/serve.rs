//! `gongkai-hub serve`: one HTTP server for the kiosks (the static layout, heartbeats), the
//! visitors' phones (forms and the 查询码 status page) and the office (the staff console).

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use tokio::net::TcpListener;

use super::{Hub, console, forms, static_files};
use gongkai_core::fleet::{KIOSK_HEADER, SIGNATURE_HEADER, verify_report};

/// Heartbeats are small; anything larger is refused before it is read.
const MAX_REPORT_BYTES: usize = 64 * 1024;
/// How often the server looks for a newly published bundle.
const REFRESH_EVERY: Duration = Duration::from_secs(5);

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
    let router = Router::new()
        .route("/api/heartbeat", post(heartbeat).layer(axum::extract::DefaultBodyLimit::max(MAX_REPORT_BYTES)))
        .merge(forms::routes())
        .merge(console::routes())
        .route("/{*path}", get(static_files::file))
        .with_state(hub);
    axum::serve(listener, router).await
}

async fn heartbeat(State(hub): State<Arc<Hub>>, headers: HeaderMap, body: Bytes) -> Response {
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let (kiosk, signature) = (header_text(KIOSK_HEADER), header_text(SIGNATURE_HEADER));
    let now = chrono::Utc::now().timestamp();
    let report = {
        let Ok(mut fleet) = hub.fleet.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
        let Some(key) = fleet.key(&kiosk).map(<[u8]>::to_vec) else {
            return (StatusCode::UNAUTHORIZED, "unknown kiosk").into_response();
        };
        match verify_report(&key, &body, &signature, &kiosk, now) {
            Ok(report) => {
                fleet.record(report.clone(), now);
                report
            }
            Err(reason) => return (StatusCode::UNAUTHORIZED, reason).into_response(),
        }
    };
    if !report.qr_shown.is_empty() {
        let store = Arc::clone(&hub.store);
        let saved = tokio::task::spawn_blocking(move || {
            store.record_shown(&report.kiosk_id, report.started_at, &report.qr_shown)
        })
        .await;
        if !matches!(saved, Ok(Ok(()))) {
            return (StatusCode::SERVICE_UNAVAILABLE, "funnel counts not saved").into_response();
        }
    }
    StatusCode::NO_CONTENT.into_response()
}
