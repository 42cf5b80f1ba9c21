//! The log-in and log-out pages.

use std::sync::Arc;

use axum::{
    extract::{Form, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::auth::{self, LOCK_S, MAX_FAILURES, Staff};
use gongkai_core::handoff::constant_time_eq;
use crate::{Hub, cookies, page::staff_page};

/// How long a session cookie lives in the browser at most; the server also ends idle ones.
const SESSION_COOKIE_S: i64 = 12 * 3600;

pub async fn show(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    if auth::signed_in(&hub, &headers).await.is_some() {
        return Redirect::to("/staff").into_response();
    }
    page(StatusCode::OK, None)
}

fn page(status: StatusCode, error: Option<&str>) -> Response {
    // Double-submit token: the cookie and the hidden field must match, so another site
    // cannot sign a browser in to an account of its choosing.
    let token = gongkai_core::random::hex_token().unwrap_or_default();
    let body = html! {
        @if let Some(e) = error { div class="errors" role="alert" { (e) } }
        form class="card" method="post" action="/staff/login" style="max-width:28rem" {
            input type="hidden" name="csrf" value=(token);
            label for="username" { "用户名" }
            input id="username" type="text" name="username" autocomplete="username" required;
            label for="password" { "密码" }
            input id="password" type="password" name="password" autocomplete="current-password" required;
            button class="submit" type="submit" { "登录" }
        }
    };
    let mut response = (status, staff_page("工作人员登录", html! {}, body)).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookies::set(cookies::LOGIN_CSRF, &token, 3600, true));
    response
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
    csrf: String,
}

pub async fn submit(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(form): Form<Credentials>) -> Response {
    let cookie = cookies::get(&headers, cookies::LOGIN_CSRF).unwrap_or_default();
    if cookie.is_empty() || !constant_time_eq(cookie.as_bytes(), form.csrf.as_bytes()) {
        return page(StatusCode::FORBIDDEN, Some("登录页面已过期，请重新输入。"));
    }
    let store = Arc::clone(&hub.store);
    let now = chrono::Utc::now().timestamp();
    let outcome = tokio::task::spawn_blocking(move || -> Result<Option<String>, String> {
        let failure = |detail: &str| store.audit(&form.username, "login_failed", detail).map_err(|e| e.to_string());
        let account = store.staff(&form.username).map_err(|e| e.to_string())?;
        let Some(account) = account else {
            // Same work as for a real account, so timing does not tell which names exist.
            auth::verify_password(auth::stand_in_hash(), &form.password);
            failure("未知用户名")?;
            return Ok(None);
        };
        if account.locked_until > now {
            failure("账号锁定期间尝试登录")?;
            return Ok(None);
        }
        if !auth::verify_password(&account.password_hash, &form.password) {
            let lock = (account.failed_logins + 1 >= MAX_FAILURES).then_some(now + LOCK_S);
            store.login_failed(account.id, lock).map_err(|e| e.to_string())?;
            failure(if lock.is_some() { "密码错误，账号锁定 15 分钟" } else { "密码错误" })?;
            return Ok(None);
        }
        let token = gongkai_core::random::hex_token().map_err(|e| e.to_string())?;
        let csrf = gongkai_core::random::hex_token().map_err(|e| e.to_string())?;
        store.start_session(&auth::token_hash(&token), account.id, &csrf, now).map_err(|e| e.to_string())?;
        store.audit(&account.username, "login", "登录").map_err(|e| e.to_string())?;
        Ok(Some(token))
    })
    .await;
    match outcome {
        Ok(Ok(Some(token))) => {
            let mut response = Redirect::to("/staff").into_response();
            response.headers_mut().append(header::SET_COOKIE, cookies::set(cookies::STAFF_SESSION, &token, SESSION_COOKIE_S, true));
            response
        }
        Ok(Ok(None)) => page(
            StatusCode::UNAUTHORIZED,
            Some(&format!("用户名或密码不正确。连续 {MAX_FAILURES} 次错误后账号将锁定 15 分钟。")),
        ),
        Ok(Err(e)) => {
            eprintln!("log-in failed: {e}");
            page(StatusCode::SERVICE_UNAVAILABLE, Some("系统暂时无法登录，请稍后再试。"))
        }
        Err(_) => page(StatusCode::SERVICE_UNAVAILABLE, Some("系统暂时无法登录，请稍后再试。")),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

pub async fn logout(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(form): Form<CsrfOnly>) -> Response {
    let staff: Staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    if !staff.csrf_ok(form.csrf.as_deref()) {
        return auth::forbidden();
    }
    let store = Arc::clone(&hub.store);
    let (hash, username) = (staff.token_hash.clone(), staff.session.username.clone());
    let _ = tokio::task::spawn_blocking(move || {
        store.end_session(&hash)?;
        store.audit(&username, "logout", "退出登录")
    })
    .await;
    let mut response = Redirect::to("/staff/login").into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookies::set(cookies::STAFF_SESSION, "0", 0, true));
    response
}
