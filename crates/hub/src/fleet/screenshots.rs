//! `POST SCREENSHOT_PATH`: a kiosk's signed 截图, kept as its latest for the fleet page. One
//! taken for a command answers it.

use std::sync::Arc;

use axum::{
    body::{Body, to_bytes},
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use super::{header_text, sender};
use crate::{Hub, submissions::store::Screenshot};
use gongkai_core::fleet::{
    SIGNATURE_HEADER,
    screenshot::{COMMAND_HEADER, MAX_SCREENSHOT_BYTES, TAKEN_AT_HEADER, verify_screenshot},
};

/// What the command's answer says once its screenshot is kept.
pub const UPLOADED: &str = "已上传截图";

pub async fn receive(State(hub): State<Arc<Hub>>, headers: HeaderMap, body: Body) -> Response {
    // The sender is known before the body is read: nobody else makes the hub hold a large one.
    let (kiosk, key) = match sender(&hub, &headers) {
        Ok(sender) => sender,
        Err(refusal) => return refusal,
    };
    let Ok(png) = to_bytes(body, MAX_SCREENSHOT_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, format!("larger than {MAX_SCREENSHOT_BYTES} bytes")).into_response();
    };
    let (taken_at, command, signature) = (header_text(&headers, TAKEN_AT_HEADER), header_text(&headers, COMMAND_HEADER), header_text(&headers, SIGNATURE_HEADER));
    let now_ms = chrono::Utc::now().timestamp_millis();
    let checked = match verify_screenshot(&key, &kiosk, &taken_at, &command, &png, &signature, now_ms) {
        Ok(checked) => checked,
        Err(reason) => return (StatusCode::UNAUTHORIZED, reason).into_response(),
    };
    let store = Arc::clone(&hub.store);
    let screenshot = Screenshot { taken_at_ms: checked.taken_at_ms, png: png.to_vec() };
    let saved = tokio::task::spawn_blocking(move || {
        let kept = store.save_screenshot(&kiosk, &screenshot)?;
        if let Some(command) = checked.command {
            store.command_answered(command, &kiosk, true, UPLOADED, now_ms / 1000)?;
        }
        Ok::<_, crate::submissions::store::StoreError>(kept)
    })
    .await;
    match saved {
        Ok(Ok(true)) => StatusCode::NO_CONTENT.into_response(),
        // A replay, or one overtaken by a later capture: the later one stays.
        Ok(Ok(false)) => (StatusCode::CONFLICT, "a later screenshot is kept").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "screenshot not saved").into_response(),
    }
}
