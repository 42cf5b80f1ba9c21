//! Receiving a form. The answer is a 303 to the 查询码 page only once the submission is
//! committed; anything refused comes back as the form again with the visitor's answers and a
//! message naming each field.

use std::sync::Arc;

use axum::{
    body::{Body, to_bytes},
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

use super::{admission::Verdict, origin, pages::form_view, render::{ORGAN_FIELD, form}};
use crate::{
    Hub,
    client::Source,
    http_policy::{MAX_BODY_BYTES, too_large},
    page::{visitor_error, visitor_page},
    submissions::{channel::Channel, form::{FieldError, Kind, MAX_PAIRS, validate}, store::NewSubmission},
};

pub async fn apply(State(hub): State<Arc<Hub>>, source: Source, headers: HeaderMap, body: Body) -> Response {
    receive(hub, Kind::Apply, None, source, headers, body).await
}

pub async fn opinion(State(hub): State<Arc<Hub>>, source: Source, headers: HeaderMap, body: Body) -> Response {
    receive(hub, Kind::Opinion, None, source, headers, body).await
}

pub async fn satisfaction(State(hub): State<Arc<Hub>>, source: Source, headers: HeaderMap, body: Body) -> Response {
    receive(hub, Kind::Satisfaction, None, source, headers, body).await
}

pub async fn consultation(
    State(hub): State<Arc<Hub>>,
    Path(id): Path<String>,
    source: Source,
    headers: HeaderMap,
    body: Body,
) -> Response {
    receive(hub, Kind::Consultation, Some(id), source, headers, body).await
}

/// Forms are posted by the pages' own `<form>`s, which send nothing else.
fn is_form_encoded(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

async fn receive(hub: Arc<Hub>, kind: Kind, path_subject: Option<String>, source: Source, headers: HeaderMap, body: Body) -> Response {
    let content = hub.published.content();
    let letterhead = &content.letterhead;
    let refuse = |status, title, message: &str| visitor_error(status, letterhead, title, message);
    if !is_form_encoded(&headers) {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, "无法读取提交内容", "请在手机上打开表单页面填写后提交。");
    }
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES as usize).await else {
        return too_large(&hub);
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
    let mut view = match form_view(&content, &hub.organs, kind, subject_id.as_deref(), hub.today()) {
        Ok(view) => view,
        Err((status, title, message)) => return refuse(status, title, &message),
    };
    let via = value("via");
    let origin = origin::check_submission(&hub, via.as_deref(), kind, view.subject.as_ref().map(|s| s.id.as_str()));
    let key = NewSubmission::key_from(value("key")).unwrap_or_default();
    view.via = via.clone();
    view.values = pairs.iter().filter(|(n, _)| !matches!(n.as_str(), "key" | "via" | "doc" | "website")).cloned().collect();
    view.notices.extend(origin.notice.map(String::from));
    view.hidden.push(("key", key.clone()));
    let show_again = |view: &super::render::FormView, status: StatusCode| {
        (status, visitor_page(letterhead, kind.label(), form(view))).into_response()
    };

    // The organ chosen on the form; a page without the choice sends to the one it would
    // have preselected.
    if let (Some(choice), Some(id)) = (view.organs.as_mut(), value(ORGAN_FIELD)) {
        choice.chosen = id;
    }
    let chosen = view.organs.as_ref().map_or(&hub.organs.receiving().id, |choice| &choice.chosen);
    let organ = hub.organs.get(chosen).map(|organ| organ.id.clone());
    let (fields, organ) = match (validate(kind, &view.fields, &pairs), organ) {
        (Ok(fields), Some(organ)) => (fields, organ),
        (validated, organ) => {
            view.errors = validated.err().unwrap_or_default();
            if organ.is_none() {
                view.errors.insert(0, FieldError { field: ORGAN_FIELD.into(), message: "向哪个机关申请：不是可选的机关，请重新选择".into() });
            }
            return show_again(&view, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let device = hub.device(&headers);
    let counted_link = via.as_deref().filter(|_| origin.verified);
    let refused = match hub.admission.submission(source, &device, counted_link).await {
        Verdict::Admit => None,
        Verdict::Challenge => Some((StatusCode::OK, "为确认是您本人在提交，请再点一次“提交”。您填写的内容已保留。如仍看到本提示，请允许浏览器保存本网站的 Cookie。")),
        Verdict::TooMany => Some((StatusCode::TOO_MANY_REQUESTS, "提交过于频繁，请 10 分钟后再试。您填写的内容已保留在下面。")),
        Verdict::Busy => Some((StatusCode::SERVICE_UNAVAILABLE, "提交的人较多，请稍等片刻再点一次“提交”。您填写的内容已保留在下面。")),
    };
    if let Some((status, notice)) = refused {
        view.notices.push(notice.into());
        let mut response = show_again(&view, status);
        hub.give_device_cookie(&device, &mut response);
        return response;
    }
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
        channel: Channel::Online,
        organ,
    };
    let store = Arc::clone(&hub.store);
    match tokio::task::spawn_blocking(move || store.submit(new)).await {
        Ok(Ok(receipt)) => {
            let mut response = Redirect::to(&format!("/q/{}?new=1", receipt.code.as_str())).into_response();
            hub.give_device_cookie(&device, &mut response);
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
