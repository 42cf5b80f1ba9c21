//! The staff console: sign-in, the inbox, a case with its workflow actions and audit trail,
//! statistics (the QR funnel per kiosk and hall), the CSV export, the content workspace with
//! its review and publishing, the fleet's status and its proof of play, and 账号管理.

mod accounts;
mod appeals;
mod attachments;
mod auth;
mod case;
mod commands;
mod content;
mod document_form;
mod fleet;
mod import;
mod inbox;
mod item_form;
mod letters;
mod login;
mod organs;
mod password;
mod plays;
mod report;
mod register;
mod reviews;
mod screenshots;
mod stats;
mod throttle;
mod upload_form;

use std::sync::Arc;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use maud::{Markup, html};

pub use import::{MAX_CONTENT_FORM_BYTES, MAX_UPLOAD_REQUEST_BYTES, console_body_limit};
pub use password::{MIN_PASSWORD_CHARS, hash_password, too_short};
pub use throttle::LoginGuard;

use super::Hub;
use crate::{
    local_time::{local_time, local_time_as},
    roles::Role,
    submissions::store::{Store, StoreError},
};

pub fn routes() -> Router<Arc<Hub>> {
    Router::new()
        .route("/staff/login", get(login::show).post(login::submit))
        .route("/staff/logout", post(login::logout))
        .route("/staff", get(inbox::show))
        .route("/staff/register", get(register::page).post(register::submit))
        .route("/staff/export.csv", get(inbox::export))
        .route("/staff/s/{code}", get(case::show).post(case::act))
        .route("/staff/s/{code}/appeals", post(appeals::add))
        .route("/staff/s/{code}/letters/{file}", get(letters::pdf))
        .route("/staff/s/{code}/appeals/decide", post(appeals::decide))
        .route("/staff/stats", get(stats::show))
        .route("/staff/report", get(report::page))
        .route("/staff/report.xlsx", get(report::xlsx))
        .route("/staff/report/content", post(report::into_content))
        .route("/staff/report/fee", post(report::fee))
        .route("/staff/audit", get(stats::audit))
        .route("/staff/accounts", get(accounts::page))
        .route("/staff/accounts/add", post(accounts::add))
        .route("/staff/accounts/roles", post(accounts::roles))
        .route("/staff/accounts/password", post(accounts::password))
        .route("/staff/accounts/state", post(accounts::state))
        .route("/staff/accounts/organ", post(accounts::organ))
        .route("/content", get(content::overview))
        .route("/content/{kind}", get(content::list))
        .route("/content/{kind}/item", get(item_form::item))
        .route("/content/{kind}/new", get(item_form::new))
        .route("/content/{kind}/save", post(item_form::save).layer(DefaultBodyLimit::max(MAX_CONTENT_FORM_BYTES)))
        .route("/content/{kind}/delete", post(item_form::delete))
        .route("/content/{kind}/import", get(import::page).post(import::upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_REQUEST_BYTES)))
        .route("/content/{kind}/import/apply", post(import::apply))
        .route("/content/{kind}/template.xlsx", get(import::download_template))
        .route("/content/documents/item", get(document_form::edit))
        .route("/content/documents/new", get(document_form::new))
        .route("/content/documents/save", post(document_form::save).layer(DefaultBodyLimit::max(MAX_CONTENT_FORM_BYTES)))
        .route("/content/documents/delete", post(document_form::delete))
        .route("/content/{kind}/attachments", post(attachments::add).layer(DefaultBodyLimit::max(MAX_UPLOAD_REQUEST_BYTES)))
        .route("/content/{kind}/attachments/remove", post(attachments::remove))
        .route("/content/site/logo", post(attachments::logo).layer(DefaultBodyLimit::max(MAX_UPLOAD_REQUEST_BYTES)))
        .route("/content/reviews", get(reviews::list))
        .route("/content/reviews/submit", post(reviews::submit))
        .route("/content/reviews/withdraw", post(reviews::withdraw))
        .route("/content/reviews/{id}", get(reviews::show))
        .route("/content/reviews/{id}/approve", post(reviews::approve))
        .route("/content/reviews/{id}/return", post(reviews::send_back))
        .route("/fleet", get(fleet::page))
        .route("/fleet/commands", post(commands::issue))
        .route("/fleet/screenshot", get(screenshots::image))
        .route("/fleet/plays", get(plays::page))
        .route("/fleet/plays.csv", get(plays::csv))
        .route("/api/kiosks", get(fleet::kiosks))
}

/// The menu of a signed-in page, with the log-out button (a POST with the CSRF token).
fn nav(staff: &auth::Staff) -> Markup {
    html! {
        a href="/staff" { "收件箱" }
        a href="/staff/register" { "窗口登记" }
        a href="/staff/stats" { "统计" }
        a href="/staff/report" { "年度报告" }
        a href="/staff/audit" { "审计日志" }
        a href="/content" { "内容" }
        a href="/content/reviews" { "送审与发布" }
        a href="/fleet" { "终端状态" }
        a href="/fleet/plays" { "播放记录" }
        @if staff.session.roles.has(Role::Admin) { a href="/staff/accounts" { "账号管理" } }
        form method="post" action="/staff/logout" {
            input type="hidden" name="csrf" value=(staff.session.csrf);
            (staff.session.display_name) " "
            button class="secondary" type="submit" { "退出" }
        }
    }
}

/// What a page says above everything else: what was just done, or why a post was refused.
enum Message {
    None,
    Done(String),
    Refused(String),
}

impl Message {
    fn markup(&self) -> Markup {
        html! {
            @match self {
                Message::Done(notice) => p class="ok" { (notice) },
                Message::Refused(reason) => div class="errors" { @for line in reason.lines() { p class="field-error" { (line) } } },
                Message::None => {},
            }
        }
    }
}


/// Runs store work off the async threads.
async fn blocking<R: Send + 'static>(hub: &Arc<Hub>, work: impl FnOnce(&dyn Store) -> Result<R, StoreError> + Send + 'static) -> Result<R, StoreError> {
    let store = Arc::clone(&hub.store);
    tokio::task::spawn_blocking(move || work(store.as_ref())).await.map_err(|e| StoreError::Failed(e.to_string()))?
}

/// The answer when the store fails: the reason goes to the log, not to the page.
fn unavailable(reason: impl std::fmt::Display) -> Response {
    eprintln!("store: {reason}");
    (StatusCode::SERVICE_UNAVAILABLE, "数据库暂时不可用，请稍后再试。").into_response()
}

/// A kind of file the console hands out: its media type and the extension of its name.
struct FileKind {
    media_type: &'static str,
    extension: &'static str,
}

const XLSX: FileKind = FileKind { media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extension: "xlsx" };
const PDF: FileKind = FileKind { media_type: "application/pdf", extension: "pdf" };

/// `bytes` as a download named `file_name` (the browser keeps the Chinese name).
fn download(file_name: &str, kind: FileKind, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"download.{}\"; filename*=UTF-8''{}", kind.extension, rfc5987(file_name));
    ([(axum::http::header::CONTENT_TYPE, kind.media_type.to_string()), (axum::http::header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

/// `text` percent-encoded as RFC 5987 wants a `filename*`: only its attr-chars as they are
/// (a space is %20, never `+`).
fn rfc5987(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
