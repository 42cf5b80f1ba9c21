//! `POST SCREENSHOT_PATH`: a kiosk's signed 截图, kept as its latest for the fleet page. One
//! taken for a command answers it once it is kept.

use std::sync::Arc;

use axum::{
    body::{Body, to_bytes},
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use super::{header_text, sender};
use crate::{Hub, submissions::store::{Screenshot, StoreError}};
use gongkai_core::fleet::{
    SIGNATURE_HEADER,
    screenshot::{COMMAND_HEADER, CONTENT_SHA256_HEADER, MAX_SCREENSHOT_BYTES, TAKEN_AT_HEADER, check_thumbnail, verify_screenshot_request},
};

/// What the command's answer says once its screenshot is kept.
pub const UPLOADED: &str = "已上传截图";

pub async fn receive(State(hub): State<Arc<Hub>>, headers: HeaderMap, body: Body) -> Response {
    // The headers are signed: nobody but the kiosk makes the hub read a body of this size.
    let (kiosk, key) = match sender(&hub, &headers) {
        Ok(sender) => sender,
        Err(refusal) => return refusal,
    };
    let header = |name| header_text(&headers, name);
    let now_ms = chrono::Utc::now().timestamp_millis();
    let request = match verify_screenshot_request(&key, &kiosk, &header(TAKEN_AT_HEADER), &header(COMMAND_HEADER), &header(CONTENT_SHA256_HEADER), &header(SIGNATURE_HEADER), now_ms) {
        Ok(request) => request,
        Err(reason) => return (StatusCode::UNAUTHORIZED, reason).into_response(),
    };
    let Ok(png) = to_bytes(body, MAX_SCREENSHOT_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, format!("larger than {MAX_SCREENSHOT_BYTES} bytes")).into_response();
    };
    if let Err(reason) = check_thumbnail(&request, &png) {
        return (StatusCode::UNPROCESSABLE_ENTITY, reason).into_response();
    }
    let store = Arc::clone(&hub.store);
    let screenshot = Screenshot { taken_at_ms: request.taken_at_ms, png: png.into() };
    let saved = tokio::task::spawn_blocking(move || {
        let kept = store.save_screenshot(&kiosk, screenshot)?;
        if let (true, Some(command)) = (kept, request.command) {
            store.command_answered(command, &kiosk, true, UPLOADED, now_ms / 1000)?;
        }
        Ok::<_, StoreError>(kept)
    })
    .await;
    match saved {
        Ok(Ok(true)) => StatusCode::NO_CONTENT.into_response(),
        // A replay, or one overtaken by a later capture: the later one stays, and the kiosk
        // answers its command with this.
        Ok(Ok(false)) => (StatusCode::CONFLICT, "a screenshot taken at the same time or later is kept").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "screenshot not saved").into_response(),
    }
}
