//! Reading and setting the hub's cookies.

use axum::http::{HeaderMap, HeaderValue, header};

/// Identifies a phone for rate limits; holds no personal data.
pub const DEVICE: &str = "gk_device";
/// A staff session (its SHA-256 is stored, never the value).
pub const STAFF_SESSION: &str = "gk_staff";
/// The double-submit token of the log-in form.
pub const LOGIN_CSRF: &str = "gk_login";

/// The value of cookie `name`, if the request has it.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|v| v.len() <= 128 && v.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A `Set-Cookie` value: HttpOnly always; `SameSite=Strict` for staff cookies so that no
/// other site can make a signed-in browser act.
pub fn set(name: &str, value: &str, max_age_s: i64, strict: bool) -> HeaderValue {
    let same_site = if strict { "Strict" } else { "Lax" };
    let cookie = format!("{name}={value}; Path=/; Max-Age={max_age_s}; HttpOnly; SameSite={same_site}");
    HeaderValue::from_str(&cookie).expect("cookie names and values are ASCII alphanumerics")
}

/// The phone's device id, and the cookie to set when it had none yet (a year, `Lax` so that
/// opening the form from the QR scanner keeps it).
pub fn device(headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match get(headers, DEVICE) {
        Some(id) => (id, None),
        None => {
            // Without randomness the phone shares the cookie-less limit with others.
            let id = gongkai_core::random::hex_token().unwrap_or_default();
            let cookie = (!id.is_empty()).then(|| set(DEVICE, &id, 365 * 24 * 3600, false));
            (id, cookie)
        }
    }
}
