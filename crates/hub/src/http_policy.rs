//! What every request and response of the hub goes through: a bound on the body a request
//! claims, a deadline for the whole request (a body sent byte by byte cannot hold a task),
//! and the security headers.

use std::{sync::{Arc, OnceLock}, time::Duration};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::{Hub, console, page::{self, visitor_error}};
use gongkai_core::fleet::screenshot::{MAX_SCREENSHOT_BYTES, SCREENSHOT_PATH};

/// No request the hub takes has a larger body: forms are under 40 KB, heartbeats under 64 KB.
/// A kiosk's screenshot, staff uploads and content forms have their own bounds.
pub const MAX_BODY_BYTES: u64 = 64 * 1024;
/// A request must be read and answered within this (a form may wait 5 s in the queue, a
/// log-in 10 s for its password check).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn bound_request(State(hub): State<Arc<Hub>>, request: Request, next: Next) -> Response {
    let claimed = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    // A kiosk's screenshot is read only once its signed headers pass (`fleet::screenshots`).
    if request.uri().path() == SCREENSHOT_PATH {
        if claimed.is_some_and(|bytes| bytes > MAX_SCREENSHOT_BYTES as u64) {
            return (StatusCode::PAYLOAD_TOO_LARGE, format!("larger than {MAX_SCREENSHOT_BYTES} bytes")).into_response();
        }
    } else if let Some(limit) = console::console_body_limit(request.uri().path()) {
        // An upload or a content form: the console reads it only from signed-in staff.
        if claimed.is_some_and(|bytes| bytes > limit as u64) {
            return (StatusCode::PAYLOAD_TOO_LARGE, format!("提交的内容超过 {} MB 的上限", limit >> 20)).into_response();
        }
    } else if claimed.is_some_and(|bytes| bytes > MAX_BODY_BYTES) {
        return too_large(&hub);
    }
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, [(header::CONNECTION, "close")], Body::from("request timed out")).into_response(),
    }
}

/// The answer to a body over `MAX_BODY_BYTES`, claimed or sent.
pub fn too_large(hub: &Hub) -> Response {
    let letterhead = hub.published.content().letterhead.clone();
    visitor_error(StatusCode::PAYLOAD_TOO_LARGE, &letterhead, "提交内容过大", "提交的内容超过了 64 KB 的上限，请精简后再提交。")
}

/// Pages use no script and no outside resource; their one inline stylesheet is named by
/// its hash, so nothing injected could style or script a page either.
fn content_security_policy() -> &'static HeaderValue {
    static POLICY: OnceLock<HeaderValue> = OnceLock::new();
    POLICY.get_or_init(|| {
        let hash = |css: &str| format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(css.as_bytes())));
        let policy = format!(
            "default-src 'none'; style-src {}; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            hash(page::STYLE)
        );
        HeaderValue::from_str(&policy).expect("ASCII")
    })
}

/// Paths whose answers hold personal data or a session's view: never stored by a browser
/// or a proxy.
fn is_private(path: &str) -> bool {
    ["/staff", "/content", "/fleet", "/api/kiosks", "/q/"].iter().any(|prefix| path.starts_with(prefix))
}

pub async fn add_security_headers(uri: axum::http::Uri, mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, content_security_policy().clone());
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if is_private(uri.path()) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
