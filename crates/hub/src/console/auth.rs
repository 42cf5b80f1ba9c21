//! Staff sign-in: argon2 password hashes, server-side sessions (only the SHA-256 of the
//! cookie is stored) that end when idle and after a working day at most, a CSRF token per
//! session, and the sealed values of the log-in form (see `throttle` for failed log-ins).

use std::sync::Arc;

use axum::{
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use sha2::{Digest, Sha256};

use gongkai_core::handoff::constant_time_eq;
use super::throttle::username_key;
use maud::html;

use crate::{Hub, cookies, page::staff_page, roles::Role, secret::{Purpose, be_bytes, from_be}, submissions::store::Session};

/// A session ends after this long without a request,
pub const IDLE_S: i64 = 2 * 3600;
/// and this long after signing in, however busy.
pub const LIFETIME_S: i64 = 12 * 3600;
/// How long the log-in form may stay open before it must be reloaded.
const LOGIN_FORM_S: i64 = 3600;
/// How long a browser is remembered as one that has signed in to an account.
pub const KNOWN_BROWSER_S: i64 = 180 * 24 * 3600;

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
    let session = tokio::task::spawn_blocking(move || store.session(&lookup, now, IDLE_S, LIFETIME_S)).await.ok()?.ok()??;
    Some(Staff { session, token_hash: hash })
}

/// The signed-in member of staff, or a redirect to the log-in page.
pub async fn require(hub: &Arc<Hub>, headers: &HeaderMap) -> Result<Staff, Response> {
    signed_in(hub, headers).await.ok_or_else(|| Redirect::to("/staff/login").into_response())
}

/// The signed-in member of staff when they hold `role`; else a redirect to the log-in page,
/// or a page that says which role the work needs.
pub async fn require_role(hub: &Arc<Hub>, headers: &HeaderMap, role: Role) -> Result<Staff, Response> {
    let staff = require(hub, headers).await?;
    if staff.session.roles.has(role) {
        return Ok(staff);
    }
    let body = html! {
        div class="card" {
            p class="field-error" { "这项工作需要「" (role.label()) "」角色；您的账号的角色：" (staff.session.roles) "。" }
            p { "如需开通，请联系管理员。" }
        }
    };
    Err((StatusCode::FORBIDDEN, staff_page("无权操作", super::nav(&staff), body)).into_response())
}

/// The member of staff posting a form that needs `role`, when it carries their session's
/// CSRF token; else the answer to give.
pub async fn require_posting(hub: &Arc<Hub>, headers: &HeaderMap, role: Role, csrf: Option<&str>) -> Result<Staff, Response> {
    let staff = require_role(hub, headers, role).await?;
    if staff.csrf_ok(csrf) { Ok(staff) } else { Err(forbidden()) }
}

/// The signed-in member of staff posting a form any member may post, when it carries their
/// session's CSRF token; else the answer to give.
pub async fn require_signed_post(hub: &Arc<Hub>, headers: &HeaderMap, csrf: Option<&str>) -> Result<Staff, Response> {
    let staff = require(hub, headers).await?;
    if staff.csrf_ok(csrf) { Ok(staff) } else { Err(forbidden()) }
}

/// The answer to a posted form without a valid CSRF token.
pub fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, "表单已过期或来源不明（CSRF 校验未通过），请返回刷新页面后重试。").into_response()
}

/// A fresh token for the log-in form, sealed by the hub with the time it was issued: the
/// form and the cookie must carry the same one, and only the hub can make one.
pub fn login_form_token(hub: &Hub, now: i64) -> String {
    let mut payload = be_bytes(now).to_vec();
    payload.extend_from_slice(&gongkai_core::random::bytes::<16>().unwrap_or_default());
    hub.secret.seal(Purpose::LoginForm, &payload)
}

/// Whether the posted form token is the cookie's, sealed by this hub within the hour.
pub fn login_form_ok(hub: &Hub, cookie: Option<&str>, posted: &str, now: i64) -> bool {
    let Some(cookie) = cookie else { return false };
    let issued = hub.secret.open(Purpose::LoginForm, cookie).and_then(|p| from_be(&p));
    constant_time_eq(cookie.as_bytes(), posted.as_bytes()) && issued.is_some_and(|at| (0..=LOGIN_FORM_S).contains(&(now - at)))
}

/// The cookie value that marks this browser as one that signed in to `username`.
pub fn known_browser_cookie(hub: &Hub, username: &str) -> String {
    let mut payload = username_key(username).to_vec();
    payload.extend_from_slice(&gongkai_core::random::bytes::<8>().unwrap_or_default());
    hub.secret.seal(Purpose::KnownBrowser, &payload)
}

/// The browser's own id when its cookie marks it as having signed in to `username` before.
pub fn known_browser(hub: &Hub, headers: &HeaderMap, username: &str) -> Option<Vec<u8>> {
    let payload = hub.secret.open(Purpose::KnownBrowser, &cookies::get(headers, cookies::KNOWN_BROWSER)?)?;
    (payload.get(..16) == Some(&username_key(username)[..])).then_some(payload)
}
