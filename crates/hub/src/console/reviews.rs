//! 送审与发布 in the console: the workspace submitted for review (起草), and a review read
//! and decided (审核): what it adds, changes and removes, field by field, the checker's report,
//! and 保密审查 confirmed before 批准发布 (at once or at a 发布时间), or 退回 with a reason. And 撤回 of what the screens
//! show (审核), confirmed first.

use std::sync::Arc;

use axum::{
    extract::{Form, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Message, auth, blocking, local_time, nav, unavailable};
use crate::local_time::parse_local_minute;
use crate::{
    Hub,
    content::{
        field_label,
        review::{self, Report, Withdrawal},
    },
    page::staff_page,
    roles::Role,
    submissions::store::{Review, ReviewState},
};
use gongkai_core::content::changes::{Change, Changes, ItemChange};

/// Reviews listed on the page.
const LISTED: usize = 50;
/// Changed items shown on a review's page; the rest are counted.
const SHOWN_CHANGES: usize = 500;

#[derive(Deserialize)]
pub struct Posted {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    secrecy: String,
    #[serde(default)]
    reason: String,
    /// 发布时间, as `<input type="datetime-local">` sends it; empty publishes at once.
    #[serde(default)]
    publish_at: String,
    /// 撤回: the version the reviewer saw on the screens, and their confirmation.
    #[serde(default)]
    shown: u64,
    #[serde(default)]
    confirmed: String,
}

#[derive(Deserialize)]
pub struct Listed {
    /// The version a 撤回 just published.
    withdrawn: Option<u64>,
}

/// `GET /content/reviews`: submitting, the latest reviews, and 撤回.
pub async fn list(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(listed): Query<Listed>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let message = match listed.withdrawn {
        Some(version) => Message::Done(format!("撤回完成：已重新发布为第 {version} 版，各终端将在几秒内同步。")),
        None => Message::None,
    };
    list_page(&hub, &staff, StatusCode::OK, message).await
}

async fn list_page(hub: &Arc<Hub>, staff: &auth::Staff, status: StatusCode, message: Message) -> Response {
    let data = hub.data.clone();
    let (reviews, withdrawal) = match blocking(hub, move |store| Ok((store.reviews(LISTED)?, review::withdrawal(&data)))).await {
        Ok(found) => found,
        Err(e) => return unavailable(e),
    };
    let open = reviews.iter().find(|r| r.is_open());
    let body = html! {
        (message.markup())
        div class="card" {
            @if let Some(open) = open {
                p {
                    "送审稿 #" (open.id)
                    @if let Some(at) = open.publish_at { " 已批准，将于 " (local_time(at)) " 发布。" } @else { " 正在等待审核。" }
                    a href=(address(open.id)) { "查看" }
                }
            } @else if staff.session.roles.has(Role::Drafter) {
                p { "把内容工作区中尚未发布的全部修改提交审核。提交前由内容检查程序检查；审核人确认保密审查并批准后，终端即显示新内容。" }
                form method="post" action="/content/reviews/submit" {
                    input type="hidden" name="csrf" value=(staff.session.csrf);
                    button type="submit" { "提交审核（送审）" }
                }
            } @else {
                p { "送审需要「起草」角色。" }
            }
        }
        div class="card" {
            table {
                tr { th { "送审稿" } th { "状态" } th { "送审人" } th { "送审时间" } th { "新增/修改/删除" } th { "审核人" } th { "处理时间" } th { "结果" } }
                @for review in &reviews {
                    tr {
                        td { a href=(address(review.id)) { "#" (review.id) } }
                        td { (review.state.label()) }
                        td { (review.submitted.submitted_by) }
                        td { (local_time(review.submitted.submitted_at)) }
                        td { (review.submitted.counts.map(|n| n.to_string()).join(" / ")) }
                        td { (review.decided_by.as_deref().unwrap_or("")) }
                        td { (review.decided_at.map(local_time).unwrap_or_default()) }
                        td { (outcome(review)) }
                    }
                }
            }
        }
        @if staff.session.roles.has(Role::Reviewer) { (withdrawal_card(staff, withdrawal.as_ref())) }
    };
    (status, staff_page("送审与发布", nav(staff), body)).into_response()
}

/// 撤回, for a publish that must come off the screens before a corrected one is reviewed.
fn withdrawal_card(staff: &auth::Staff, withdrawal: Option<&Withdrawal>) -> Markup {
    html! {
        div class="card" {
            h2 { "撤回" }
            @if let Some(withdrawal) = withdrawal {
                p {
                    "终端正在显示第 " (withdrawal.shown) " 版。撤回后，终端恢复显示第 " (withdrawal.restores.version) " 版（"
                    (local_time(withdrawal.restores.at)) " 发布）的内容，作为新版本重新发布，几秒内各终端同步。"
                    "内容工作区中的修改保留，改正后可重新送审。"
                }
                form method="post" action="/content/reviews/withdraw" {
                    input type="hidden" name="csrf" value=(staff.session.csrf);
                    input type="hidden" name="shown" value=(withdrawal.shown);
                    label class="choice" {
                        input type="checkbox" name="confirmed" required;
                        " 我确认撤回第 " (withdrawal.shown) " 版，恢复第 " (withdrawal.restores.version) " 版的内容。"
                    }
                    button class="secondary" type="submit" { "撤回" }
                }
            } @else {
                p class="hint" { "没有可以恢复的上一版。" }
            }
        }
    }
}

/// `POST /content/reviews/withdraw`: with `shown` and `confirmed`.
pub async fn withdraw(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(posted): Form<Posted>) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Reviewer, Some(&posted.csrf)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    if posted.confirmed != "on" {
        return list_page(&hub, &staff, StatusCode::UNPROCESSABLE_ENTITY, Message::Refused("请先勾选确认，再撤回。".into())).await;
    }
    from_list_page(hub, staff, move |hub, username| {
        let version = review::withdraw(hub.store.as_ref(), &hub.data, hub.publisher_key.as_ref(), username, posted.shown)?;
        Ok(format!("/content/reviews?withdrawn={version}"))
    })
    .await
}

/// Runs `work` (送审 or 撤回) for `staff`, one publish at a time: it answers the address to
/// go to, or the reason to show on the list page.
async fn from_list_page(hub: Arc<Hub>, staff: auth::Staff, work: impl FnOnce(&Hub, &str) -> Result<String, String> + Send + 'static) -> Response {
    let (working, username) = (Arc::clone(&hub), staff.session.username.clone());
    let done = tokio::task::spawn_blocking(move || {
        let _one_at_a_time = working.one_publish_at_a_time();
        work(&working, &username)
    })
    .await;
    match done {
        Ok(Ok(address)) => Redirect::to(&address).into_response(),
        Ok(Err(reason)) => list_page(&hub, &staff, StatusCode::UNPROCESSABLE_ENTITY, Message::Refused(reason)).await,
        Err(e) => unavailable(e),
    }
}

fn outcome(review: &Review) -> String {
    match (review.version, &review.reason, review.publish_at) {
        (Some(version), _, _) => format!("已发布为第 {version} 版"),
        (None, Some(reason), _) => format!("退回理由：{reason}"),
        (None, None, Some(at)) => format!("将于 {} 发布", local_time(at)),
        _ => String::new(),
    }
}

fn address(id: i64) -> String {
    format!("/content/reviews/{id}")
}

/// `POST /content/reviews/submit`.
pub async fn submit(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(posted): Form<Posted>) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Drafter, Some(&posted.csrf)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    from_list_page(hub, staff, |hub, username| review::submit(hub.store.as_ref(), &hub.data, username).map(address)).await
}

/// `GET /content/reviews/{id}`.
pub async fn show(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    review_page(&hub, &staff, id, StatusCode::OK, None).await
}

/// `POST /content/reviews/{id}/approve`: with `secrecy` when 保密审查 is confirmed, and a
/// `publish_at` for a later 发布时间.
pub async fn approve(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(id): Path<i64>, Form(posted): Form<Posted>) -> Response {
    decide(hub, headers, id, posted, move |hub, reviewer, posted| {
        let publish_at = match posted.publish_at.trim() {
            "" => None,
            typed => Some(parse_local_minute(typed).ok_or("发布时间请按“年-月-日 时:分”填写。")?),
        };
        review::approve(hub.store.as_ref(), &hub.data, hub.publisher_key.as_ref(), reviewer, id, posted.secrecy == "on", publish_at).map(drop)
    })
    .await
}

/// `POST /content/reviews/{id}/return`: with the `reason`.
pub async fn send_back(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(id): Path<i64>, Form(posted): Form<Posted>) -> Response {
    decide(hub, headers, id, posted, move |hub, reviewer, posted| review::send_back(hub.store.as_ref(), &hub.data, reviewer, id, &posted.reason)).await
}

/// Runs `work` (批准 or 退回) on review `id` as the signed-in reviewer, one publish at a time
/// (a 退回 does not cross the scheduled publish of the same review).

async fn decide(
    hub: Arc<Hub>,
    headers: HeaderMap,
    id: i64,
    posted: Posted,
    work: impl FnOnce(&Hub, &str, &Posted) -> Result<(), String> + Send + 'static,
) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Reviewer, Some(&posted.csrf)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let (working, username) = (Arc::clone(&hub), staff.session.username.clone());
    let decided = tokio::task::spawn_blocking(move || {
        let _one_at_a_time = working.one_publish_at_a_time();
        work(&working, &username, &posted)
    })
    .await;
    match decided {
        Ok(Ok(())) => Redirect::to(&address(id)).into_response(),
        Ok(Err(reason)) => review_page(&hub, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, Some(reason)).await,
        Err(e) => unavailable(e),
    }
}

async fn review_page(hub: &Arc<Hub>, staff: &auth::Staff, id: i64, status: StatusCode, error: Option<String>) -> Response {
    let review = match blocking(hub, move |store| store.review(id)).await {
        Ok(Some(review)) => review,
        Ok(None) => return (StatusCode::NOT_FOUND, "没有这份送审稿").into_response(),
        Err(e) => return unavailable(e),
    };
    let changes: Changes = serde_json::from_str(&review.submitted.changes).unwrap_or_default();
    let report: Report = serde_json::from_str(&review.submitted.report).unwrap_or_default();
    let body = html! {
        p { a href="/content/reviews" { "← 送审与发布" } }
        @if let Some(error) = error { div class="card" { p class="field-error" { (error) } } }
        div class="card" {
            p {
                "送审稿 #" (review.id) "：" strong { (review.state.label()) } "。由 " (review.submitted.submitted_by) " 于 "
                (local_time(review.submitted.submitted_at)) " 提交，与终端正在显示的第 " (review.submitted.base_version) " 版相比："
                "新增 " (changes.count(Change::Added)) " 项，修改 " (changes.count(Change::Changed)) " 项，删除 " (changes.count(Change::Removed)) " 项，文件变更 " (changes.files.len()) " 个。"
            }
            @if let (Some(by), Some(at)) = (&review.decided_by, review.decided_at) {
                @if review.state == ReviewState::Scheduled {
                    p { "由 " (by) " 于 " (local_time(at)) " 批准。" }
                } @else {
                    p { "由 " (by) " 于 " (local_time(at)) " " (review.state.label()) "。" (outcome(&review)) }
                }
            }
            @if let Some(confirmed) = review.secrecy_confirmed_at {
                p { "保密审查：已由 " (review.decided_by.as_deref().unwrap_or("")) " 于 " (local_time(confirmed)) " 确认。" }
            }
            @if let (ReviewState::Scheduled, Some(at)) = (review.state, review.publish_at) {
                p { "发布时间：" strong { (local_time(at)) } "。到时由本中心签名发布；在此之前可以退回，取消发布。" }
            }
        }
        (changed_items(&changes))
        (report_card(&report))
        @match review.state {
            ReviewState::Pending => (decision_forms(staff, &review)),
            ReviewState::Scheduled if staff.session.roles.has(Role::Reviewer) => (return_form(staff, &review, "取消定时发布并退回")),
            _ => {},
        }
    };
    (status, staff_page(&format!("送审稿 #{}", review.id), nav(staff), body)).into_response()
}

fn changed_items(changes: &Changes) -> Markup {
    html! {
        div class="card" {
            h2 { "修改内容" }
            table {
                tr { th { "类别" } th { "编号" } th { "标题" } th { "变更" } }
                @for item in changes.items.iter().take(SHOWN_CHANGES) {
                    tr {
                        td { (item.kind.label()) }
                        td { (item.id) }
                        td { (item.title) }
                        td { (item.change.label()) }
                    }
                    @if !item.fields.is_empty() { tr { td colspan="4" { (field_changes(item)) } } }
                }
            }
            @if changes.items.len() > SHOWN_CHANGES { p class="hint" { "另有 " (changes.items.len() - SHOWN_CHANGES) " 项变更未列出。" } }
            @if !changes.files.is_empty() {
                h2 { "附件与图片" }
                table {
                    tr { th { "文件" } th { "变更" } th { "大小" } }
                    @for file in &changes.files {
                        tr { td { (file.path) } td { (file.change.label()) } td { (kilobytes(file.bytes)) } }
                    }
                }
            }
        }
    }
}

fn field_changes(item: &ItemChange) -> Markup {
    html! {
        table class="diff" {
            tr { th { "字段" } th { "原内容" } th { "新内容" } }
            @for field in &item.fields {
                tr {
                    td { (field_label(&field.field)) }
                    td { del { (field.before.as_deref().unwrap_or("（无）")) } }
                    td { ins { (field.after.as_deref().unwrap_or("（无）")) } }
                }
            }
        }
    }
}

/// What the checker looked at; a would-be bundle with any problem is never submitted.
fn report_card(report: &Report) -> Markup {
    const CHECKS: [&str; 6] = [
        "文件清单与校验值、图片可读",
        "个人信息：身份证号、手机号均已遮挡",
        "公开属性：只发布主动公开的信息",
        "屏幕字库：所有文字都能在终端上显示",
        "引用：解读、目录事项、附件都指向存在的内容",
        "日期：不晚于今天，发布日期不早于成文日期",
    ];
    html! {
        div class="card" {
            h2 { "内容检查报告" }
            p { "于 " (report.checked_at) " 检查，共 " (report.files) " 个文件，" (kilobytes(report.bytes)) "，未发现问题。" }
            ul { @for check in CHECKS { li { (check) "：通过" } } }
            table {
                tr { th { "类别" } th { "条数" } }
                @for (label, count) in &report.items { tr { td { (label) } td { (count) } } }
            }
        }
    }
}

fn decision_forms(staff: &auth::Staff, review: &Review) -> Markup {
    let username = &staff.session.username;
    let own = review.submitted.submitted_by == *username || review.submitted.authors.iter().any(|a| a == username);
    html! {
        @if !staff.session.roles.has(Role::Reviewer) {
            div class="card" { p class="hint" { "审核需要「审核」角色。" } }
        } @else {
            @if own {
                div class="card" { p class="hint" { "这份送审稿由您提交或含有您的修改，须由另一位有审核角色的同事批准。" } }
            } @else {
                form class="card" method="post" action={ (address(review.id)) "/approve" } {
                    input type="hidden" name="csrf" value=(staff.session.csrf);
                    label class="choice" {
                        input type="checkbox" name="secrecy" required;
                        " 我已对以上修改完成保密审查，确认不涉及国家秘密、工作秘密和个人隐私，可以公开。"
                    }
                    label for="publish_at" { "发布时间" span class="hint" { "不填则批准后立即发布；填写则到时自动发布（90 天内）" } }
                    input type="datetime-local" id="publish_at" name="publish_at";
                    button type="submit" { "批准发布" }
                }
            }
            (return_form(staff, review, "退回"))
        }
    }
}

fn return_form(staff: &auth::Staff, review: &Review, button: &str) -> Markup {
    html! {
        form class="card" method="post" action={ (address(review.id)) "/return" } {
            input type="hidden" name="csrf" value=(staff.session.csrf);
            label for="reason" { "退回理由" }
            textarea id="reason" name="reason" rows="3" required {}
            button class="secondary" type="submit" { (button) }
        }
    }
}

fn kilobytes(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
