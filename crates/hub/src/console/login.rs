//! The log-in and log-out pages.

use std::sync::Arc;

use axum::{
    extract::{Form, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::{
    auth::{self, KNOWN_BROWSER_S, Staff},
    password,
    throttle::{Attempt, Refusal},
};
use crate::{Hub, client::Source, cookies::{self, SameSite}, page::staff_page};

/// The longest user name kept in the log of failed log-ins.
const LOGGED_NAME_CHARS: usize = 64;

pub async fn show(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    if auth::signed_in(&hub, &headers).await.is_some() {
        return Redirect::to("/staff").into_response();
    }
    page(&hub, StatusCode::OK, None)
}

fn page(hub: &Hub, status: StatusCode, error: Option<&str>) -> Response {
    let token = auth::login_form_token(hub, chrono::Utc::now().timestamp());
    let body = html! {
        @if let Some(e) = error { div class="errors" role="alert" { (e) } }
        form class="card narrow" method="post" action="/staff/login" {
            input type="hidden" name="csrf" value=(token);
            label for="username" { "用户名" }
            input id="username" type="text" name="username" autocomplete="username" maxlength="64" required;
            label for="password" { "密码" }
            input id="password" type="password" name="password" autocomplete="current-password" required;
            button class="submit" type="submit" { "登录" }
        }
    };
    let mut response = (status, staff_page("工作人员登录", html! {}, body)).into_response();
    response.headers_mut().insert(header::SET_COOKIE, hub.cookie(cookies::LOGIN_CSRF, &token, 3600, SameSite::Strict));
    response
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
    csrf: String,
}

/// What a checked log-in came to.
enum Outcome {
    SignedIn { token: String },
    Refused,
    /// No work area was free: the check did not run.
    NotChecked,
}

pub async fn submit(State(hub): State<Arc<Hub>>, source: Source, headers: HeaderMap, Form(form): Form<Credentials>) -> Response {
    let now = chrono::Utc::now().timestamp();
    if !auth::login_form_ok(&hub, cookies::get(&headers, cookies::LOGIN_CSRF).as_deref(), &form.csrf, now) {
        return page(&hub, StatusCode::FORBIDDEN, Some("登录页面已过期，请重新输入。"));
    }
    let known = auth::known_browser(&hub, &headers, &form.username);
    let attempt = Attempt::new(source, &form.username, known.as_deref());
    let turn = match hub.login.turn(&attempt).await {
        Ok(turn) => turn,
        Err(Refusal::Wait(wait)) => {
            let message = format!("登录失败次数过多，请于 {} 秒后再试。", wait.as_secs().max(1));
            return page(&hub, StatusCode::TOO_MANY_REQUESTS, Some(&message));
        }
        Err(Refusal::Busy) => return page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some("系统繁忙，请稍后再试。")),
    };
    let (store, checking) = (Arc::clone(&hub.store), Arc::clone(&hub));
    let username = form.username.clone();
    let outcome = tokio::task::spawn_blocking(move || -> Result<Outcome, String> {
        // The turn ends with this check, even when the client has gone and the handler with it.
        let _turn = turn;
        // Every attempt takes this same path, known name or not: one read, one argon2 check
        // (against a stand-in hash for an unknown name), one write.
        let account = store.staff(&form.username).map_err(|e| e.to_string())?;
        let hash = account.as_ref().map_or(password::stand_in_hash(), |a| a.password_hash.as_str());
        let Some(password_ok) = checking.login.checker.verify(hash, &form.password) else { return Ok(Outcome::NotChecked) };
        let refusal = match &account {
            None => Some("未知用户名"),
            Some(a) if a.disabled => Some("账号已停用"),
            Some(_) if !password_ok => Some("密码错误"),
            Some(_) => None,
        };
        let Some(account) = account.filter(|_| refusal.is_none()) else {
            let name: String = form.username.chars().take(LOGGED_NAME_CHARS).collect();
            store.login_failure(&name, &source.to_string(), refusal.unwrap_or_default()).map_err(|e| e.to_string())?;
            return Ok(Outcome::Refused);
        };
        let token = gongkai_core::random::hex_token().map_err(|e| e.to_string())?;
        let csrf = gongkai_core::random::hex_token().map_err(|e| e.to_string())?;
        store.start_session(&auth::token_hash(&token), account.id, &csrf, now).map_err(|e| e.to_string())?;
        store.audit(&account.username, "login", "登录").map_err(|e| e.to_string())?;
        Ok(Outcome::SignedIn { token })
    })
    .await;
    match outcome {
        Ok(Ok(Outcome::SignedIn { token })) => {
            hub.login.succeeded(&attempt);
            let mut response = Redirect::to("/staff").into_response();
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, hub.cookie(cookies::STAFF_SESSION, &token, auth::LIFETIME_S, SameSite::Strict));
            let known = auth::known_browser_cookie(&hub, &username);
            headers.append(header::SET_COOKIE, hub.cookie(cookies::KNOWN_BROWSER, &known, KNOWN_BROWSER_S, SameSite::Strict));
            response
        }
        Ok(Ok(Outcome::NotChecked)) => {
            hub.login.not_checked(&attempt);
            page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some("系统繁忙，请稍后再试。"))
        }
        Ok(Ok(Outcome::Refused)) => {
            page(&hub, StatusCode::UNAUTHORIZED, Some("用户名或密码不正确。多次错误后需等待一段时间才能再试。"))
        }
        Ok(Err(e)) => {
            eprintln!("log-in failed: {e}");
            page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some("系统暂时无法登录，请稍后再试。"))
        }
        Err(_) => page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some("系统暂时无法登录，请稍后再试。")),
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
    response.headers_mut().insert(header::SET_COOKIE, hub.cookie(cookies::STAFF_SESSION, "0", 0, SameSite::Strict));
    response
}
