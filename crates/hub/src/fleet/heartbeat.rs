//! `POST /api/heartbeat`: a kiosk's signed report of itself, kept in the fleet and the store,
//! with its proof of play.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use super::{header_text, implausible};
use crate::Hub;
use gongkai_core::fleet::{KIOSK_HEADER, SIGNATURE_HEADER, verify_report};

pub async fn receive(State(hub): State<Arc<Hub>>, headers: HeaderMap, body: Bytes) -> Response {
    let (kiosk, signature) = (header_text(&headers, KIOSK_HEADER), header_text(&headers, SIGNATURE_HEADER));
    let now = chrono::Utc::now().timestamp();
    let (state, (pages, screens)) = {
        let Ok(mut fleet) = hub.fleet.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
        let Some(key) = fleet.key(&kiosk).map(<[u8]>::to_vec) else {
            return (StatusCode::UNAUTHORIZED, "unknown kiosk").into_response();
        };
        let mut report = match verify_report(&key, &body, &signature, &kiosk, now) {
            Ok(report) => report,
            Err(reason) => return (StatusCode::UNAUTHORIZED, reason).into_response(),
        };
        if let Some(reason) = implausible(&report) {
            return (StatusCode::UNPROCESSABLE_ENTITY, reason).into_response();
        }
        // Proof of play goes to its own tables, not into the kept state.
        let plays = (std::mem::take(&mut report.plays), std::mem::take(&mut report.screens_opened));
        match fleet.record(report, now) {
            Ok(state) => (state, plays),
            Err(reason) => return (StatusCode::CONFLICT, reason).into_response(),
        }
    };
    let store = Arc::clone(&hub.store);
    let saved = tokio::task::spawn_blocking(move || {
        store.save_kiosk_state(&state)?;
        let report = &state.report;
        if !pages.is_empty() || !screens.is_empty() {
            store.record_plays(&report.kiosk_id, &pages, &screens)?;
        }
        if report.qr_shown.is_empty() { Ok(()) } else { store.record_shown(&report.kiosk_id, report.started_at, &report.qr_shown) }
    })
    .await;
    if !matches!(saved, Ok(Ok(()))) {
        return (StatusCode::SERVICE_UNAVAILABLE, "report not saved").into_response();
    }
    StatusCode::NO_CONTENT.into_response()
}
