//! Reading and setting the hub's cookies.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::{Hub, secret::Purpose};

/// Identifies a phone for rate limits; holds no personal data. Sealed by the hub, so a
/// client cannot make up a fresh phone for every request.
pub const DEVICE: &str = "gk_device";
/// A staff session (its SHA-256 is stored, never the value).
pub const STAFF_SESSION: &str = "gk_staff";
/// The log-in form's token, sealed by the hub.
pub const LOGIN_CSRF: &str = "gk_login";
/// A browser that has signed in to an account before (see `console::throttle`).
pub const KNOWN_BROWSER: &str = "gk_known";

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

/// `Strict` for staff cookies, so that no other site can make a signed-in browser act;
/// `Lax` for the phone's, so that opening a form from the QR scanner keeps it.
#[derive(Debug, Clone, Copy)]
pub enum SameSite {
    Strict,
    Lax,
}

impl Hub {
    /// A `Set-Cookie` value: HttpOnly always, and Secure when the hub is reached over https.
    pub fn cookie(&self, name: &str, value: &str, max_age_s: i64, same_site: SameSite) -> HeaderValue {
        let secure = if self.limits.secure_cookies { "; Secure" } else { "" };
        let cookie = format!("{name}={value}; Path=/; Max-Age={max_age_s}; HttpOnly; SameSite={same_site:?}{secure}");
        HeaderValue::from_str(&cookie).expect("cookie names and values are ASCII alphanumerics")
    }

    /// The phone this request comes from, if it carries a device cookie the hub issued.
    pub fn device(&self, headers: &HeaderMap) -> Device {
        Device { id: get(headers, DEVICE).and_then(|sealed| self.secret.open(Purpose::Device, &sealed)) }
    }

    /// Gives a phone that had no device cookie a new one on `response`; made only here, so
    /// that answers which set none cost no randomness.
    pub fn give_device_cookie(&self, device: &Device, response: &mut axum::response::Response) {
        if device.id.is_some() {
            return;
        }
        // Without randomness the phone simply gets no cookie, and the address limit.
        if let Ok(id) = gongkai_core::random::bytes::<16>() {
            let cookie = self.cookie(DEVICE, &self.secret.seal(Purpose::Device, &id), 365 * 24 * 3600, SameSite::Lax);
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
}

pub struct Device {
    /// The id inside a cookie this hub issued; `None` for a phone without one.
    pub id: Option<Vec<u8>>,
}
