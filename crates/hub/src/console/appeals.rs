//! 行政复议 and 行政诉讼 on a case page: those recorded, with how each ended, a form to record
//! one filed, and one to record how a pending one ended (section 四 of the annual report).

use std::{collections::HashMap, sync::Arc};

use axum::{
    extract::{Form, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use chrono::NaiveDate;
use maud::{Markup, html};

use super::{auth, blocking, case::{past_date, render}, organs};
use crate::{
    Hub,
    submissions::{
        appeal::{Appeal, AppealKind, AppealResult},
        channel::Channel,
        query_code::QueryCode,
        store::{StoreError, Submission},
        workflow::State as CaseState,
    },
};

/// The card of the case page.
pub fn card(submission: &Submission, appeals: &[Appeal], csrf: &str, today: NaiveDate) -> Markup {
    let add = format!("/staff/s/{}/appeals", submission.code.as_str());
    let date = |name: &str, label: &str| html! { label { (label) input type="date" name=(name) value=(today) required; } };
    html! {
        div class="card" id="appeals" {
            h2 { "行政复议、行政诉讼" }
            @if appeals.is_empty() { p { "尚无记录。" } }
            @for appeal in appeals {
                div class="list-row" {
                    p { strong { (appeal.kind.label()) } "：" (appeal.filed_on) " 提起；"
                        @match appeal.decided { Some((result, on)) => { (on) " 审结，" (result.label()) }, None => "尚未审结" } }
                    @if appeal.decided.is_none() {
                        form method="post" action={ (add) "/decide" } class="filters" {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="appeal" value=(appeal.id);
                            label { "结果" select name="result" required {
                                option value="" { "请选择" }
                                @for r in AppealResult::ALL { option value=(r.as_str()) { (r.label()) } }
                            } }
                            (date("on", "审结日期"))
                            button type="submit" { "记录结果" }
                        }
                    }
                }
            }
            @if submission.case.channel == Channel::Online && submission.case.state == CaseState::Registered {
                p class="hint" { "网上提交的申请受理后才能记录：受理时确认的收到申请日期不能晚于复议或诉讼的提起日期。" }
            } @else {
                form method="post" action=(add) class="filters" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="recorded" value=(appeals.len());
                    label { "类别" select name="kind" required {
                        @for k in AppealKind::ALL { option value=(k.as_str()) { (k.label()) } }
                    } }
                    (date("filed_on", "提起日期"))
                    button type="submit" class="secondary" { "记录复议或诉讼" }
                }
            }
        }
    }
}

/// `POST /staff/s/{code}/appeals`: a 复议 or 诉讼 filed.
pub async fn add(State(hub): State<Arc<Hub>>, Path(code): Path<String>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    posted(hub, code, headers, form, |form, today| {
        let kind = AppealKind::parse(field(form, "kind")).ok_or("类别：请选择")?;
        let filed_on = past_date(form, "filed_on", "提起日期", today)?;
        let recorded: usize = field(form, "recorded").parse().map_err(|_| "请刷新页面后再记录".to_string())?;
        Ok(Box::new(move |store, id, organ, staff| store.add_appeal(id, organ, kind, filed_on, staff, recorded)))
    })
    .await
}

/// `POST /staff/s/{code}/appeals/decide`: how a pending one ended.
pub async fn decide(State(hub): State<Arc<Hub>>, Path(code): Path<String>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    posted(hub, code, headers, form, |form, today| {
        let appeal: i64 = field(form, "appeal").parse().map_err(|_| "没有这条复议或诉讼记录".to_string())?;
        let result = AppealResult::parse(field(form, "result")).ok_or("结果：请选择")?;
        let on = past_date(form, "on", "审结日期", today)?;
        Ok(Box::new(move |store, id, organ, staff| store.decide_appeal(id, organ, appeal, result, on, staff)))
    })
    .await
}

/// Writes the record on case `id` as the named member of staff, refused unless the case is the
/// given organ's then.
type Recording = Box<dyn FnOnce(&dyn crate::submissions::store::Store, i64, Option<&str>, &str) -> Result<(), StoreError> + Send>;

/// Reads a posted form with `read` and records it on the case, or shows the case page with
/// the reason it was refused.
async fn posted(
    hub: Arc<Hub>,
    code: String,
    headers: HeaderMap,
    form: HashMap<String, String>,
    read: impl FnOnce(&HashMap<String, String>, NaiveDate) -> Result<Recording, String>,
) -> Response {
    let staff = match auth::require_signed_post(&hub, &headers, form.get("csrf").map(String::as_str)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let record = match read(&form, hub.today()) {
        Ok(record) => record,
        Err(reason) => return render(&hub, &staff, &code, StatusCode::UNPROCESSABLE_ENTITY, Some(reason)).await,
    };
    let Some(parsed) = QueryCode::parse(&code) else { return (StatusCode::NOT_FOUND, "没有这个查询码").into_response() };
    let (username, scope) = (staff.session.username.clone(), organs::scope(&hub, &staff.session));
    // Another organ's case is refused in the store's transaction, and `render` then shows the
    // page that says which organ handles it.
    let recorded = blocking(&hub, move |store| {
        let submission = store.by_code(&parsed)?.ok_or(StoreError::NotFound)?;
        record(store, submission.id, scope.as_deref(), &username)
    })
    .await;
    match recorded {
        Ok(()) => Redirect::to(&format!("/staff/s/{code}#appeals")).into_response(),
        Err(StoreError::Refused(reason)) => render(&hub, &staff, &code, StatusCode::UNPROCESSABLE_ENTITY, Some(reason)).await,
        Err(StoreError::NotFound) => (StatusCode::NOT_FOUND, "没有这条记录").into_response(),
        Err(StoreError::Conflict) => render(&hub, &staff, &code, StatusCode::CONFLICT, Some(StoreError::Conflict.to_string())).await,
        Err(e) => {
            eprintln!("appeal not recorded: {e}");
            render(&hub, &staff, &code, StatusCode::SERVICE_UNAVAILABLE, Some("未保存：数据库暂时不可用，请稍后再试。".into())).await
        }
    }
}

fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map(|v| v.trim()).unwrap_or_default()
}
