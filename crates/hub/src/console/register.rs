//! 窗口登记: an application handed in at the window or received by post, entered by staff
//! from the paper (代为填写) with how it arrived and the day it counts as received (条例第三十一
//! 条); its case page then offers the 登记回执 to hand over or post.

use std::sync::Arc;

use axum::{
    extract::{Form, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

use super::{auth, blocking, nav, unavailable};
use crate::{
    Hub,
    forms::render::{FormView, form},
    page::staff_page,
    submissions::{
        channel::Channel,
        form::{Field, FieldError, Fields, Input, Kind, MAX_PAIRS, fields_of, validate},
        store::NewSubmission,
    },
};

const CHANNELS: &[&str] = &[Channel::InPerson.label(), Channel::Post.label()];

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
            hint: "当面提交的，为提交之日；邮寄的，为签收之日（平常信函为与申请人确认之日）",
        },
    ];
    fields.extend(fields_of(Kind::Apply, &[]));
    fields
}

fn intro() -> Markup {
    html! {
        p { "申请人到窗口当面提交或者邮寄的书面申请，由工作人员按申请书的内容代为录入。" }
        p { "收到申请之日按条例第三十一条确定：当面提交的，以提交之日为收到申请之日；以邮寄方式提交的，以行政机关签收之日为收到申请之日；以平常信函等无需签收的邮寄方式提交的，以行政机关与申请人确认之日为收到申请之日。答复期限自收到申请之日起计算。" }
        p { "登记后打开案件页，在“文书”中打印登记回执，交给申请人或寄回。当面提交的申请能够当场答复的，应当当场答复（条例第三十三条第一款）：在案件页“答复”中选择办理结果、填写答复内容，答复日期即收到申请之日，再打印答复书交给申请人。" }
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
        // It is the registering clerk's organ's.
        organs: None,
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
    let Ok(key) = gongkai_core::random::hex_token() else { return no_randomness() };
    let today = vec![("received_on".to_string(), hub.today().to_string())];
    show(&staff, StatusCode::OK, &view(&staff.session.csrf, key, today, Vec::new()))
}

/// Without randomness there is no key that tells one registration from another.
fn no_randomness() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, "系统暂时无法生成登记编号，请稍后再试。").into_response()
}

pub async fn submit(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let value = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let staff = match auth::require_signed_post(&hub, &headers, value("csrf").as_deref()).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    if pairs.len() > MAX_PAIRS {
        return (StatusCode::BAD_REQUEST, "提交的字段过多，请返回重新填写。").into_response();
    }
    // Sent twice (a double click), the same key gives back the case already registered.
    let Ok(key) = NewSubmission::key_from(value("key")) else { return no_randomness() };
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
        organ: super::organs::own(&hub, &staff.session).to_string(),
    };
    let who = staff.session.username.clone();
    let registered = blocking(&hub, move |store| {
        let (fields, receipt) = (new.fields.clone(), store.submit(new)?);
        if !receipt.duplicate {
            store.audit_case(receipt.id, &who, "窗口登记", &format!("窗口登记：{}，{received_on} 收到", channel.label()))?;
            return Ok((receipt, true));
        }
        // A form sent again, or one whose key came back with another application typed in
        // (a page restored by the browser): only the first is the same registration.
        let kept = store.by_id(receipt.id)?;
        let same = kept.is_some_and(|s| s.fields == fields && s.case.channel == channel && s.case.clock.received_on == received_on);
        Ok((receipt, same))
    })
    .await;
    match registered {
        Ok((receipt, true)) => Redirect::to(&format!("/staff/s/{}", receipt.code.as_str())).into_response(),
        Ok((receipt, false)) => {
            let reason = format!("这张登记表已经登记过（查询码 {}），内容与这次提交的不同。如需登记另一份申请，请重新打开“窗口登记”页面。", receipt.code.as_str());
            let Ok(fresh) = gongkai_core::random::hex_token() else { return no_randomness() };
            let notice = FieldError { field: "channel".into(), message: reason };
            show(&staff, StatusCode::CONFLICT, &view(&staff.session.csrf, fresh, typed, vec![notice]))
        }
        Err(e) => unavailable(e),
    }
}

/// How it arrived, the day it counts as received, and the application's answers; or every
/// problem, each naming its field.
fn read(pairs: &[(String, String)], today: NaiveDate) -> Result<(Channel, NaiveDate, Fields), Vec<FieldError>> {
    let answers = validate(Kind::Apply, &fields(), pairs)?;
    // Both were checked by `validate` as a choice and a date.
    let channel = answers.get("channel").and_then(Channel::at_the_window).unwrap_or(Channel::InPerson);
    let received_on = answers.get("received_on").and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or(today);
    let refuse = |message: String| Err(vec![FieldError { field: "received_on".into(), message }]);
    if received_on > today {
        return refuse(format!("收到申请日期：{received_on} 晚于今天（{today}），请填写实际收到的日期"));
    }
    // Earlier would change an annual report already published (by 31 January).
    let earliest = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today);
    if received_on < earliest {
        return refuse(format!("收到申请日期：{received_on} 早于上一年度（{earliest} 起），请核对；更早收到的申请请联系系统管理员"));
    }
    let application = answers.0.into_iter().filter(|e| !matches!(e.name.as_str(), "channel" | "received_on")).collect();
    Ok((channel, received_on, Fields(application)))
}
