//! Files of an item in the console (起草): a document's attachments and a 解读's 图解, listed
//! under its form, each with 删除, and a file uploaded with its title; and the site's logo on
//! the site's page. Each change is saved at once as the item's next revision, refused when it
//! changed since its page was opened.

use std::sync::Arc;

use axum::{
    extract::{Form, Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use super::{Message, auth, blocking, document_form, item_form, nav, unavailable, upload_form};
use crate::{
    Hub,
    content::{
        attachments::{self, Files},
        documents::Refused,
        logo,
    },
    page::staff_page,
    roles::Role,
};
use gongkai_core::content::workspace::Kind;

/// The card of a saved item's files, on its page.
pub fn card(files: &Files, id: &str, revision: i64, body: &Value, csrf: &str) -> Markup {
    let listed = body.get(files.field).and_then(Value::as_array).cloned().unwrap_or_default();
    let text = |item: &Value, name: &str| item.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    let (what, action) = (files.what, format!("/content/{}/attachments", files.kind.name()));
    html! {
        div class="card" {
            h2 { (what) }
            p class="hint" { "上传或删除" (what) "会立即保存为这条内容的新一版。表单中尚未保存的修改请先点“保存”。" }
            @if listed.is_empty() { p { "暂无" (what) "。" } }
            @for (index, item) in listed.iter().enumerate() {
                form class="commands" method="post" action={ (action) "/remove" } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="id" value=(id);
                    input type="hidden" name="revision" value=(revision);
                    input type="hidden" name="index" value=(index);
                    span {
                        (text(item, files.title))
                        @if !files.images_only { "（" (text(item, "format")) "）" }
                        @if text(item, "file").is_empty() { " · 未随内容包提供文件" }
                    }
                    button class="secondary" type="submit" { "删除" }
                }
            }
            form method="post" action=(action) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="id" value=(id);
                input type="hidden" name="revision" value=(revision);
                @if files.images_only {
                    label for="attachment-title" { "图片说明" span class="hint" { "显示在图片下方；不填则用文件名" } }
                    input id="attachment-title" type="text" name="title" placeholder="如：一图读懂实施方案";
                    label for="attachment-file" { "图片" span class="hint" { "PNG 或 JPEG 图片，不超过 " (attachments::MAX_ATTACHMENT_BYTES >> 20) " MB" } }
                    input id="attachment-file" type="file" name="file" accept=".png,.jpg,.jpeg" required;
                } @else {
                    label for="attachment-title" { "附件标题" span class="hint" { "不填则用文件名" } }
                    input id="attachment-title" type="text" name="title" placeholder="如：附件1：实施方案";
                    label for="attachment-file" { "文件" span class="hint" { "PDF、OFD、DOCX、XLSX 或 PNG、JPEG 图片，不超过 " (attachments::MAX_ATTACHMENT_BYTES >> 20) " MB" } }
                    input id="attachment-file" type="file" name="file" accept=".pdf,.ofd,.docx,.xlsx,.png,.jpg,.jpeg" required;
                }
                p { button type="submit" { "上传" (what) } }
            }
        }
    }
}

/// The page of item `id` of `files`' kind.
fn address(files: &Files, id: &str) -> String {
    match files.kind {
        Kind::Documents => document_form::address(id),
        kind => item_form::address(kind, id),
    }
}

/// `POST /content/{kind}/attachments` (multipart: `csrf`, `id`, `revision`, `title`, `file`).
pub async fn add(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>, multipart: Multipart) -> Response {
    let Some(files) = Kind::from_name(&kind).and_then(attachments::files_of) else { return (StatusCode::NOT_FOUND, "这类内容没有附件").into_response() };
    let (staff, uploaded) = match upload_form::read_posted(&hub, &headers, Role::Drafter, multipart, |staff, status, reason| said(staff, files, "", status, reason)).await {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let (fields, file) = (uploaded.fields, uploaded.file);
    let id = fields.get("id").cloned().unwrap_or_default();
    let Some(revision) = fields.get("revision").and_then(|r| r.parse::<i64>().ok()) else { return said(&staff, files, &id, StatusCode::UNPROCESSABLE_ENTITY, "请从内容页面上传") };
    let Some((file_name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else { return said(&staff, files, &id, StatusCode::UNPROCESSABLE_ENTITY, "请选择要上传的文件") };
    let (title, username, item) = (fields.get("title").cloned().unwrap_or_default(), staff.session.username.clone(), id.clone());
    let outcome = blocking(&hub, move |store| Ok(attachments::add(store, files, &item, revision, &title, &file_name, bytes, &username))).await;
    answer(&staff, files, &id, outcome)
}

/// The logo card of the site's page.
pub fn logo_card(revision: i64, site: &Value, csrf: &str) -> Markup {
    html! {
        div class="card" {
            h2 { "单位标志" }
            p { "现在：" (site.get("logo").and_then(Value::as_str).unwrap_or("无")) }
            form method="post" action="/content/site/logo" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="revision" value=(revision);
                label for="logo-file" { "新的标志" span class="hint" { "PNG 或 JPEG 图片，不超过 " (logo::MAX_LOGO_BYTES >> 20) " MB；上传后立即保存，送审、批准后显示在终端上" } }
                input id="logo-file" type="file" name="file" accept=".png,.jpg,.jpeg" required;
                p { button type="submit" { "上传单位标志" } }
            }
        }
    }
}

/// `POST /content/site/logo` (multipart: `csrf`, `revision`, `file`).
pub async fn logo(State(hub): State<Arc<Hub>>, headers: HeaderMap, multipart: Multipart) -> Response {
    let back = "/content/site/item?id=site";
    let (staff, uploaded) = match upload_form::read_posted(&hub, &headers, Role::Drafter, multipart, |staff, status, reason| refused_at(staff, back, status, reason)).await {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let revision = uploaded.fields.get("revision").and_then(|r| r.parse::<i64>().ok()).unwrap_or_default();
    let Some((_, bytes)) = uploaded.file.filter(|(_, bytes)| !bytes.is_empty()) else { return refused_at(&staff, back, StatusCode::UNPROCESSABLE_ENTITY, "请选择图片") };
    let username = staff.session.username.clone();
    match blocking(&hub, move |store| Ok(logo::set(store, revision, bytes, &username))).await {
        Ok(Ok(_)) => Redirect::to(back).into_response(),
        Ok(Err(Refused::Invalid(problems))) => refused_at(&staff, back, StatusCode::UNPROCESSABLE_ENTITY, &problems.into_values().flatten().collect::<Vec<_>>().join("；")),
        Ok(Err(Refused::Changed | Refused::Gone)) => refused_at(&staff, back, StatusCode::CONFLICT, "站点信息在您打开后已被他人修改，请重新打开后再上传"),
        Ok(Err(Refused::Store(e))) | Err(e) => unavailable(e),
    }
}

#[derive(Deserialize)]
pub struct Removal {
    #[serde(default)]
    csrf: String,
    id: String,
    revision: i64,
    index: usize,
}

/// `POST /content/{kind}/attachments/remove`.
pub async fn remove(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>, Form(removal): Form<Removal>) -> Response {
    let Some(files) = Kind::from_name(&kind).and_then(attachments::files_of) else { return (StatusCode::NOT_FOUND, "这类内容没有附件").into_response() };
    let staff = match auth::require_posting(&hub, &headers, Role::Drafter, Some(&removal.csrf)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let (username, id) = (staff.session.username.clone(), removal.id.clone());
    let outcome = blocking(&hub, move |store| Ok(attachments::remove(store, files, &removal.id, removal.revision, removal.index, &username))).await;
    answer(&staff, files, &id, outcome)
}

fn answer(staff: &auth::Staff, files: &Files, id: &str, outcome: Result<Result<i64, Refused>, crate::submissions::store::StoreError>) -> Response {
    let what = files.what;
    match outcome {
        Ok(Ok(_)) => Redirect::to(&format!("{}&saved=1", address(files, id))).into_response(),
        Ok(Err(Refused::Invalid(problems))) => said(staff, files, id, StatusCode::UNPROCESSABLE_ENTITY, &problems.into_values().flatten().collect::<Vec<_>>().join("；")),
        Ok(Err(Refused::Changed)) => said(staff, files, id, StatusCode::CONFLICT, &format!("这条内容在您打开后已被他人修改，请重新打开后再操作{what}")),
        Ok(Err(Refused::Gone)) => said(staff, files, id, StatusCode::NOT_FOUND, "这条内容已被删除"),
        Ok(Err(Refused::Store(e))) | Err(e) => unavailable(e),
    }
}

/// Why a file was not changed, with the way back to its item.
fn said(staff: &auth::Staff, files: &Files, id: &str, status: StatusCode, reason: &str) -> Response {
    refused_at(staff, &if id.is_empty() { format!("/content/{}", files.kind.name()) } else { address(files, id) }, status, reason)
}

/// Why an upload was not saved, with the way back to the page it came from.
fn refused_at(staff: &auth::Staff, back: &str, status: StatusCode, reason: &str) -> Response {
    let body = html! {
        (Message::Refused(format!("未保存：{reason}")).markup())
        p { a class="button secondary" href=(back) { "返回" } }
    };
    (status, staff_page("未保存", nav(staff), body)).into_response()
}
