//! The 查询码 pages: look a code up, see where the submission stands. No personal data is
//! shown here, only what was asked about and the office's progress and answer.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use chrono::TimeZone;
use gongkai_core::print::chinese_date;
use maud::html;
use serde::Deserialize;

use crate::{
    Hub,
    client::Source,
    page::{visitor_error, visitor_page},
    submissions::{form::Kind, query_code::QueryCode, store::Submission, workflow::{DELIVERY_UNRECORDED, State as CaseState}},
};

#[derive(Debug, Default, Deserialize)]
pub struct LookupQuery {
    code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// Set on the redirect right after submitting.
    new: Option<String>,
}

pub async fn lookup(State(hub): State<Arc<Hub>>, Query(query): Query<LookupQuery>) -> Response {
    let typed = query.code.unwrap_or_default();
    if let Some(code) = QueryCode::parse(&typed) {
        return Redirect::to(&format!("/q/{}", code.as_str())).into_response();
    }
    let content = hub.published.content();
    let body = html! {
        @if !typed.is_empty() { div class="errors" role="alert" { "查询码格式不对：应为 12 位字母和数字，例如 K7Q2-M9XD-4HTR。" } }
        form class="card" method="get" action="/q" {
            label for="code" { "查询码" span class="hint" { "提交后页面上显示的 12 位字母和数字" } }
            input id="code" type="text" name="code" value=(typed) maxlength="20" autocapitalize="characters" required;
            button class="submit" type="submit" { "查询" }
        }
    };
    let status = if typed.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    (status, visitor_page(&content.letterhead, "查询办理进度", body)).into_response()
}

pub async fn show(
    State(hub): State<Arc<Hub>>,
    Path(code): Path<String>,
    Query(query): Query<ShowQuery>,
    source: Source,
    headers: HeaderMap,
) -> Response {
    let content = hub.published.content();
    let letterhead = &content.letterhead;
    if !hub.admission.lookup(source, &hub.device(&headers)) {
        return visitor_error(StatusCode::TOO_MANY_REQUESTS, letterhead, "查询过于频繁", "查询过于频繁，请一分钟后再试。");
    }
    let Some(code) = QueryCode::parse(&code) else {
        return visitor_error(StatusCode::NOT_FOUND, letterhead, "没有找到该查询码", "查询码应为 12 位字母和数字，请核对后重新输入。");
    };
    let store = Arc::clone(&hub.store);
    let found = tokio::task::spawn_blocking(move || store.by_code(&code)).await;
    let submission = match found {
        Ok(Ok(Some(s))) => s,
        Ok(Ok(None)) => {
            return visitor_error(StatusCode::NOT_FOUND, letterhead, "没有找到该查询码", "没有找到这个查询码，请核对后重新输入。");
        }
        _ => return visitor_error(StatusCode::SERVICE_UNAVAILABLE, letterhead, "暂时无法查询", "系统暂时无法查询，请稍后再试。"),
    };
    let page = progress(&hub, &submission, query.new.is_some());
    visitor_page(letterhead, "办理进度", page).into_response()
}

fn progress(hub: &Hub, s: &Submission, just_submitted: bool) -> maud::Markup {
    let submitted = chrono::Local
        .timestamp_opt(s.submitted_at, 0)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    let answered = matches!(s.case.state, CaseState::Replied | CaseState::Archived);
    html! {
        @if just_submitted {
            div class="ok" role="status" { strong { "提交成功。" } "请记下查询码，凭它可以随时查看办理进度。" }
        }
        div class="card" {
            div { "查询码" }
            div class="code" id="query-code" { (s.code) }
        }
        div class="card" {
            dl {
                dt { "类型" } dd { (s.case.kind.label()) }
                @if let Some(subject) = &s.subject { dt { "事项" } dd { (subject.title) } }
                dt { "提交时间" } dd { (submitted) }
                @if hub.organs.several() && s.case.kind == Kind::Apply {
                    dt { "承办机关" } dd id="organ" { (hub.organs.or_receiving(&s.case.organ).details.name) }
                }
                dt { "办理状态" } dd id="state" { strong { (s.case.state.label()) } }
                @if let Some(due) = s.due_on(&hub.calendar, hub.today()) {
                    dt { "答复期限" }
                    dd { (due) @if s.case.clock.extended { "（已依法延长）" } }
                }
                @if s.case.state == CaseState::AwaitingCorrection {
                    dd { "我们已通知您补正申请内容，请留意电话或邮件。" }
                    @if let Some(until) = s.case.correction_until() {
                        dt { "补正期限" } dd id="correction-until" { (until) "（含当日；无正当理由逾期不补正的，视为放弃申请）" }
                    }
                }
                @if let (CaseState::AwaitingPayment, Some(fee)) = (s.case.state, &s.case.notices.fee) {
                    dt { "信息处理费" } dd id="fee" { (fee.amount) " 元，请于 " (chinese_date(fee.until)) "前（含当日）缴纳；逾期未缴纳的，视为放弃申请。" }
                }
                @if answered {
                    @if let Some(outcome) = s.case.outcome { dt { "办理结果" } dd { (outcome.for_applicant()) } }
                    @if let Some(text) = &s.case.reply_text { dt { "答复" } dd { (text) } }
                    @if let Some(delivered) = s.case.notices.delivered.as_ref().filter(|d| d.text != DELIVERY_UNRECORDED) {
                        dt { "答复书送达" } dd id="delivered" { (delivered.on) "，" (delivered.text) }
                    }
                }
            }
        }
        div class="card links" { a href="/q" { "查询其他查询码" } }
    }
}
