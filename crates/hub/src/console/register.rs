//! 窗口登记: an application handed in at the window or received by post, entered by staff
//! from the paper (代为填写) with how it arrived and the day it counts as received (条例第三十一
//! 条); its case page then offers the 登记回执 to hand over or post.

use std::sync::Arc;

use axum::{
    extract::{Form, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use chrono::NaiveDate;
use maud::{Markup, html};

use super::{auth, blocking, nav, unavailable};
use crate::{
    Hub,
    forms::render::{FormView, form},
    page::staff_page,
    submissions::{
        channel::Channel,
        form::{Field, FieldError, Fields, Input, Kind, fields_of, validate},
        store::NewSubmission,
    },
};

const CHANNELS: &[&str] = &["当面提交", "邮寄"];

/// The window's own questions, before the application's.
fn fields() -> Vec<Field> {
    let mut fields = vec![
        Field { name: "channel".into(), label: "提交方式".into(), input: Input::Choice(CHANNELS), required: true, max_chars: 10, hint: "" },
        Field {
            name: "received_on".into(),
            label: "收到申请日期".into(),
            input: Input::Date,
            required: true,
            max_chars: 10,
            hint: "当面提交的，为提交之日；邮寄的，为签收之日",
        },
    ];
    fields.extend(fields_of(Kind::Apply, &[]));
    fields
}

fn intro() -> Markup {
    html! {
        p { "申请人到窗口当面提交或者邮寄的书面申请，由工作人员按申请书的内容代为录入。" }
        p { "收到申请之日按条例第三十一条确定：当面提交的，以提交之日为收到申请之日；以邮寄方式提交的，以签收之日为收到申请之日。答复期限自收到申请之日起计算。" }
        p { "登记后打开案件页，在“文书”中打印登记回执，交给申请人或寄回。" }
    }
}

fn view(csrf: &str, key: String, values: Vec<(String, String)>, errors: Vec<FieldError>) -> FormView {
    FormView {
        action: "/staff/register".into(),
        subject: None,
        intro: intro(),
        fields: fields(),
        values,
        errors,
        notices: Vec::new(),
        via: None,
        hidden: vec![("csrf", csrf.to_string()), ("key", key)],
        submit_label: "登记",
    }
}

fn show(staff: &auth::Staff, status: StatusCode, view: &FormView) -> Response {
    (status, staff_page("窗口登记", nav(staff), form(view))).into_response()
}

pub async fn page(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let key = gongkai_core::random::hex_token().unwrap_or_default();
    let today = vec![("received_on".to_string(), hub.today().to_string())];
    show(&staff, StatusCode::OK, &view(&staff.session.csrf, key, today, Vec::new()))
}

pub async fn submit(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let value = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let staff = match auth::require_signed_post(&hub, &headers, value("csrf").as_deref()).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    // Sent twice (a double click), the same key gives back the case already registered.
    let key = value("key")
        .filter(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| gongkai_core::random::hex_token().unwrap_or_default());
    let typed: Vec<(String, String)> = pairs.iter().filter(|(n, _)| !matches!(n.as_str(), "csrf" | "key" | "website")).cloned().collect();
    let (channel, received_on, fields) = match read(&pairs, hub.today()) {
        Ok(read) => read,
        Err(errors) => return show(&staff, StatusCode::UNPROCESSABLE_ENTITY, &view(&staff.session.csrf, key, typed, errors)),
    };
    let new = NewSubmission {
        key,
        kind: Kind::Apply,
        subject: None,
        fields,
        kiosk: None,
        origin_note: Some(format!("{}代为填写", staff.session.display_name)),
        submitted_at: chrono::Local::now().timestamp(),
        received_on,
        channel,
    };
    let who = staff.session.username.clone();
    let registered = blocking(&hub, move |store| {
        let receipt = store.submit(new)?;
        if !receipt.duplicate {
            let detail = format!("{} 窗口登记：{}，{received_on} 收到", receipt.code.as_str(), channel.label());
            store.audit_case(receipt.id, &who, "窗口登记", &detail)?;
        }
        Ok(receipt)
    })
    .await;
    match registered {
        Ok(receipt) => Redirect::to(&format!("/staff/s/{}", receipt.code.as_str())).into_response(),
        Err(e) => unavailable(e),
    }
}

/// How it arrived, the day it counts as received, and the application's answers; or every
/// problem, each naming its field.
fn read(pairs: &[(String, String)], today: NaiveDate) -> Result<(Channel, NaiveDate, Fields), Vec<FieldError>> {
    let answers = validate(Kind::Apply, &fields(), pairs)?;
    let channel = answers.get("channel").and_then(Channel::at_the_window).unwrap_or(Channel::InPerson);
    let received_on = answers.get("received_on").and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or(today);
    if received_on > today {
        let message = format!("收到申请日期：{received_on} 晚于今天（{today}），请填写实际收到的日期");
        return Err(vec![FieldError { field: "received_on".into(), message }]);
    }
    let application = answers.0.into_iter().filter(|e| !matches!(e.name.as_str(), "channel" | "received_on")).collect();
    Ok((channel, received_on, Fields(application)))
}
