//! Staff sign-in: argon2 password hashes, server-side sessions (only the SHA-256 of the
//! cookie is stored), a CSRF token per session, and a lock after repeated failures.

use std::sync::Arc;

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use axum::{
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use sha2::{Digest, Sha256};

use gongkai_core::handoff::constant_time_eq;
use crate::{Hub, cookies, submissions::store::Session};

/// A session ends after this long without a request.
pub const IDLE_S: i64 = 2 * 3600;
/// Failed log-ins in a row that lock an account, and for how long.
pub const MAX_FAILURES: i64 = 5;
pub const LOCK_S: i64 = 15 * 60;
pub const MIN_PASSWORD_CHARS: usize = 10;

/// An argon2id hash in PHC form, with a fresh salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("password: must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    let salt_bytes = gongkai_core::random::bytes::<16>().map_err(|e| format!("no randomness for the salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash to check unknown user names against, so that they take as long as known ones.
pub fn stand_in_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no such account, only for timing").unwrap_or_default())
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A signed-in member of staff.
pub struct Staff {
    pub session: Session,
    pub token_hash: String,
}

impl Staff {
    /// Whether a posted form carries this session's CSRF token.
    pub fn csrf_ok(&self, submitted: Option<&str>) -> bool {
        submitted.is_some_and(|s| constant_time_eq(s.as_bytes(), self.session.csrf.as_bytes()))
    }
}

/// The member of staff signed in on this browser, if any.
pub async fn signed_in(hub: &Arc<Hub>, headers: &HeaderMap) -> Option<Staff> {
    let token = cookies::get(headers, cookies::STAFF_SESSION)?;
    let hash = token_hash(&token);
    let store = Arc::clone(&hub.store);
    let lookup = hash.clone();
    let now = chrono::Utc::now().timestamp();
    let session = tokio::task::spawn_blocking(move || store.session(&lookup, now, IDLE_S)).await.ok()?.ok()??;
    Some(Staff { session, token_hash: hash })
}

/// The signed-in member of staff, or a redirect to the log-in page.
pub async fn require(hub: &Arc<Hub>, headers: &HeaderMap) -> Result<Staff, Response> {
    signed_in(hub, headers).await.ok_or_else(|| Redirect::to("/staff/login").into_response())
}

/// The answer to a posted form without a valid CSRF token.
pub fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, "表单已过期或来源不明（CSRF 校验未通过），请返回刷新页面后重试。").into_response()
}
