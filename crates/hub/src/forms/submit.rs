//! Receiving a form. The answer is a 303 to the 查询码 page only once the submission is
//! committed; anything refused comes back as the form again with the visitor's answers and a
//! message naming each field.

use std::{sync::Arc, time::Instant};

use axum::{
    body::{Body, to_bytes},
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

use super::{origin, pages::form_view, render::form};
use crate::{
    Hub, cookies,
    page::{visitor_error, visitor_page},
    submissions::{form::{Kind, MAX_PAIRS, validate}, store::NewSubmission},
};

/// The largest form body read: the longest form filled to every limit is under 40 KB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub async fn apply(State(hub): State<Arc<Hub>>, headers: HeaderMap, body: Body) -> Response {
    receive(hub, Kind::Apply, None, headers, body).await
}

pub async fn opinion(State(hub): State<Arc<Hub>>, headers: HeaderMap, body: Body) -> Response {
    receive(hub, Kind::Opinion, None, headers, body).await
}

pub async fn satisfaction(State(hub): State<Arc<Hub>>, headers: HeaderMap, body: Body) -> Response {
    receive(hub, Kind::Satisfaction, None, headers, body).await
}

pub async fn consultation(State(hub): State<Arc<Hub>>, Path(id): Path<String>, headers: HeaderMap, body: Body) -> Response {
    receive(hub, Kind::Consultation, Some(id), headers, body).await
}

async fn receive(hub: Arc<Hub>, kind: Kind, path_subject: Option<String>, headers: HeaderMap, body: Body) -> Response {
    let content = hub.published.content();
    let letterhead = &content.letterhead;
    let refuse = |status, title, message: &str| visitor_error(status, letterhead, title, message);
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "提交内容过大", "提交的内容超过了 64 KB 的上限，请精简后再提交。");
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return refuse(StatusCode::BAD_REQUEST, "无法读取提交内容", "提交的内容不是有效的 UTF-8 文本，请返回重新填写。");
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes()).into_owned().take(MAX_PAIRS + 1).collect();
    if pairs.len() > MAX_PAIRS {
        return refuse(StatusCode::BAD_REQUEST, "无法读取提交内容", "提交的字段过多，请返回重新填写。");
    }
    let value = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    if value("website").is_some() {
        // The hidden field only a program fills in.
        eprintln!("form refused: honeypot field filled ({})", kind.as_str());
        return refuse(StatusCode::BAD_REQUEST, "提交未被接受", "提交未被接受。如果您是在手机上正常填写的，请返回重新提交或到窗口咨询。");
    }
    let subject_id = path_subject.or_else(|| value("doc"));
    let mut view = match form_view(&content, kind, subject_id.as_deref(), hub.today()) {
        Ok(view) => view,
        Err((status, title, message)) => return refuse(status, title, &message),
    };
    let via = value("via");
    let origin = origin::check(&hub, via.as_deref());
    // A form without a proper key (crafted by hand) simply gets no protection from resending.
    let key = value("key")
        .filter(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| gongkai_core::random::hex_token().unwrap_or_default());
    view.via = via.clone();
    view.values = pairs.iter().filter(|(n, _)| !matches!(n.as_str(), "key" | "via" | "doc" | "website")).cloned().collect();
    view.notices.extend(origin.notice.map(String::from));
    view.hidden.push(("key", key.clone()));
    let show_again = |view: &super::render::FormView, status: StatusCode| {
        (status, visitor_page(letterhead, kind.label(), form(view))).into_response()
    };

    let (device, new_cookie) = cookies::device(&headers);
    let device_key = format!("device:{device}");
    let link_key = format!("link:{}", via.as_deref().unwrap_or_default());
    let mut keys = vec![device_key.as_str()];
    if via.is_some() {
        keys.push(&link_key);
    }
    if !hub.submit_limit.allow(&keys, Instant::now()) {
        view.notices.push("提交过于频繁，请 10 分钟后再试。您填写的内容已保留在下面。".into());
        return show_again(&view, StatusCode::TOO_MANY_REQUESTS);
    }
    let fields = match validate(kind, &view.fields, &pairs) {
        Ok(fields) => fields,
        Err(errors) => {
            view.errors = errors;
            return show_again(&view, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let now = chrono::Local::now();
    let new = NewSubmission {
        key,
        kind,
        subject: view.subject.clone(),
        fields,
        kiosk: origin.kiosk,
        origin_note: origin.note,
        submitted_at: now.timestamp(),
        received_on: now.date_naive(),
    };
    let store = Arc::clone(&hub.store);
    match tokio::task::spawn_blocking(move || store.submit(new)).await {
        Ok(Ok(receipt)) => {
            let mut response = Redirect::to(&format!("/q/{}?new=1", receipt.code.as_str())).into_response();
            if let Some(cookie) = new_cookie {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            response
        }
        Ok(Err(e)) => {
            // The reason names the database file and stays in the server log, never on the page.
            eprintln!("submission not stored: {e}");
            view.notices.push("系统暂时无法保存，您的内容没有提交成功，请稍后再点一次“提交”。填写的内容已保留。".into());
            show_again(&view, StatusCode::SERVICE_UNAVAILABLE)
        }
        Err(_) => show_again(&view, StatusCode::SERVICE_UNAVAILABLE),
    }
}
