//! The pages a phone opens: a kiosk QR link (`/H/…`), a document, and the forms.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::{
    origin::{self, Origin},
    pages::form_view,
    render::form,
};
use gongkai_core::handoff::{Target, target_of};
use crate::{Hub, client::Source, page::{visitor_error, visitor_page}, submissions::form::Kind};

#[derive(Debug, Default, Deserialize)]
pub struct FormQuery {
    /// The handoff link the visitor came by.
    via: Option<String>,
    /// The document an application is about.
    doc: Option<String>,
}

/// A kiosk QR code: checked, counted (once per phone), and answered with the page it
/// points to.
pub async fn open_link(State(hub): State<Arc<Hub>>, Path(token): Path<String>, source: Source, headers: HeaderMap) -> Response {
    let checked = hub.verify_link(&token);
    let device = hub.device(&headers);
    if let Ok(verified) = &checked
        && hub.admission.first_open(&token, source, &device)
    {
        let (store, kiosk, target) = (Arc::clone(&hub.store), verified.kiosk.clone(), verified.target.kind_name());
        // A lost count is not worth refusing the visitor a page; the failure is logged.
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || store.record_opened(&kiosk, target)).await {
            eprintln!("link opened but not counted: {e}");
        }
    }
    let origin = Origin::from(&checked);
    let content = hub.published.content();
    let Some(target) = target_of(&token) else {
        let message = "这个二维码的内容不完整或无法识别。请重新扫描终端屏幕上的二维码，或直接选择下面的服务。";
        return visitor_error(StatusCode::NOT_FOUND, &content.letterhead, "二维码无法识别", message);
    };
    let via = Some(token);
    let mut response = match target {
        Target::Document(id) => document_page(&hub, &id, via, origin.notice),
        Target::Guide(id) => match content.guides.get(&id) {
            Some(guide) if guide.online_url.as_deref().is_some_and(|u| u.starts_with("https://") || u.starts_with("http://")) => {
                Redirect::to(guide.online_url.as_deref().unwrap_or_default()).into_response()
            }
            Some(guide) => {
                let body = html! { div class="card" { p { "本事项暂未开通网上办理，请到窗口办理：" (guide.window) } p { "咨询电话：" (guide.phone) } } };
                visitor_page(&content.letterhead, &guide.title, body).into_response()
            }
            None => visitor_error(StatusCode::NOT_FOUND, &content.letterhead, "没有找到该事项", "该办事指南已更新或撤下，请在终端上重新查找。"),
        },
        Target::Consultation(id) => show_form(&hub, Kind::Consultation, Some(&id), via, origin.notice),
        Target::Apply(id) => show_form(&hub, Kind::Apply, id.as_deref(), via, origin.notice),
        Target::Opinion => show_form(&hub, Kind::Opinion, None, via, origin.notice),
        Target::Satisfaction => show_form(&hub, Kind::Satisfaction, None, via, origin.notice),
    };
    // The phone gets its cookie on the first page it opens, so that its next opening and its
    // submission count as the same phone.
    hub.give_device_cookie(&device, &mut response);
    response
}

/// `response`, with a device cookie when the phone had none.
fn with_device_cookie(hub: &Hub, headers: &HeaderMap, mut response: Response) -> Response {
    hub.give_device_cookie(&hub.device(headers), &mut response);
    response
}

pub async fn apply(State(hub): State<Arc<Hub>>, Query(query): Query<FormQuery>, headers: HeaderMap) -> Response {
    let notice = origin::check(&hub, query.via.as_deref()).notice;
    with_device_cookie(&hub, &headers, show_form(&hub, Kind::Apply, query.doc.as_deref(), query.via, notice))
}

pub async fn opinion(State(hub): State<Arc<Hub>>, Query(query): Query<FormQuery>, headers: HeaderMap) -> Response {
    let notice = origin::check(&hub, query.via.as_deref()).notice;
    with_device_cookie(&hub, &headers, show_form(&hub, Kind::Opinion, None, query.via, notice))
}

pub async fn satisfaction(State(hub): State<Arc<Hub>>, Query(query): Query<FormQuery>, headers: HeaderMap) -> Response {
    let notice = origin::check(&hub, query.via.as_deref()).notice;
    with_device_cookie(&hub, &headers, show_form(&hub, Kind::Satisfaction, None, query.via, notice))
}

pub async fn consultation(
    State(hub): State<Arc<Hub>>,
    Path(id): Path<String>,
    Query(query): Query<FormQuery>,
    headers: HeaderMap,
) -> Response {
    let notice = origin::check(&hub, query.via.as_deref()).notice;
    with_device_cookie(&hub, &headers, show_form(&hub, Kind::Consultation, Some(&id), query.via, notice))
}

fn show_form(
    hub: &Hub,
    kind: Kind,
    subject: Option<&str>,
    via: Option<String>,
    notice: Option<&'static str>,
) -> Response {
    let content = hub.published.content();
    let mut view = match form_view(&content, &hub.organs, kind, subject, hub.today()) {
        Ok(view) => view,
        Err((status, title, message)) => return visitor_error(status, &content.letterhead, title, &message),
    };
    view.via = via;
    view.notices.extend(notice.map(String::from));
    // The key makes a second send of this very form (a double tap, a retry) store it once.
    view.hidden.push(("key", gongkai_core::random::hex_token().unwrap_or_default()));
    visitor_page(&content.letterhead, kind.label(), form(&view)).into_response()
}

/// A document to read on the phone (扫码带走), with the ways to act on it.
pub async fn document(State(hub): State<Arc<Hub>>, Path(id): Path<String>, Query(query): Query<FormQuery>) -> Response {
    let notice = origin::check(&hub, query.via.as_deref()).notice;
    document_page(&hub, &id, query.via, notice)
}

fn document_page(hub: &Hub, id: &str, via: Option<String>, notice: Option<&'static str>) -> Response {
    let content = hub.published.content();
    let Some(d) = content.documents.get(id) else {
        return visitor_error(StatusCode::NOT_FOUND, &content.letterhead, "没有找到该文件", "该文件已更新或撤下，请在终端上重新查找。");
    };
    let query = |pairs: &[(&str, &str)]| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(pairs.iter().copied().chain(via.as_deref().map(|v| ("via", v))));
        query.finish()
    };
    let body = html! {
        @if let Some(n) = notice { div class="notice" { (n) } }
        div class="card" {
            dl {
                @if let Some(no) = &d.doc_no { dt { "文号" } dd { (no) } }
                dt { "发文机关" } dd { (d.issuer) }
                dt { "发布日期" } dd { (d.published_on) }
                dt { "索引号" } dd { (d.index_no) }
            }
        }
        div class="card body" { @for paragraph in d.body.split('\n').filter(|p| !p.trim().is_empty()) { p { (paragraph) } } }
        @if !d.attachments.is_empty() {
            div class="card" { strong { "附件" } ul { @for a in &d.attachments { li { (a.title) } } } }
        }
        div class="card links" {
            a href={ "/f/apply?" (query(&[("doc", &d.id)])) } { "申请公开与本文件相关的其他政府信息" }
            a href={ "/f/opinion?" (query(&[])) } { "对本文件提出意见建议" }
        }
    };
    visitor_page(&content.letterhead, &d.title, body).into_response()
}
