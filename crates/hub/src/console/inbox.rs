//! The inbox: every submission, newest first, with filters, deadline flags and the export.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::{
    auth::{self, Staff},
    local_time, nav,
};
use crate::{
    Hub, page::staff_page,
    submissions::{
        deadline::Urgency, export::to_csv, form::Kind,
        store::{InboxQuery, Submission},
        workflow::State as CaseState,
    },
};

const PAGE_ROWS: usize = 50;

#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    state: String,
    /// `overdue` or `due_soon`.
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    kiosk: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: usize,
}

impl Filters {
    fn query(&self) -> InboxQuery {
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        let text = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        InboxQuery {
            kind: Kind::parse(&self.kind),
            state: CaseState::parse(&self.state),
            kiosk: text(&self.kiosk),
            text: text(&self.q),
            received_from: date(&self.from),
            received_to: date(&self.to),
        }
    }

    fn wanted(&self, urgency: Option<Urgency>) -> bool {
        match self.urgency.as_str() {
            "overdue" => urgency == Some(Urgency::Overdue),
            "due_soon" => urgency == Some(Urgency::DueSoon),
            _ => true,
        }
    }

    /// The filters as a query string, for the export link and the pager.
    fn encoded(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("kind", &self.kind),
            ("state", &self.state),
            ("urgency", &self.urgency),
            ("kiosk", &self.kiosk),
            ("q", &self.q),
            ("from", &self.from),
            ("to", &self.to),
        ];
        for (name, value) in pairs.into_iter().filter(|(_, v)| !v.is_empty()) {
            out.append_pair(name, value);
        }
        out.finish()
    }
}

/// The signed-in staff member and the submissions matching `filters`, or the page to answer
/// with instead: the log-in redirect, or a plain "try again" when the database fails.
async fn staff_and_rows(hub: &Arc<Hub>, headers: &HeaderMap, filters: &Filters) -> Result<(Staff, Vec<Submission>), Response> {
    let staff = auth::require(hub, headers).await?;
    let store = Arc::clone(&hub.store);
    let query = filters.query();
    let loaded = tokio::task::spawn_blocking(move || store.inbox(&query)).await;
    let all = match loaded.map_err(|e| e.to_string()).and_then(|r| r.map_err(|e| e.to_string())) {
        Ok(all) => all,
        Err(reason) => {
            eprintln!("inbox: {reason}");
            return Err((StatusCode::SERVICE_UNAVAILABLE, "数据库暂时不可用，请稍后再试。").into_response());
        }
    };
    let today = hub.today();
    Ok((staff, all.into_iter().filter(|s| filters.wanted(s.urgency(&hub.calendar, today))).collect()))
}

pub async fn show(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(filters): Query<Filters>) -> Response {
    let (staff, rows) = match staff_and_rows(&hub, &headers, &filters).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let pages = rows.len().div_ceil(PAGE_ROWS).max(1);
    let page = filters.page.clamp(1, pages);
    let shown = rows.iter().skip((page - 1) * PAGE_ROWS).take(PAGE_ROWS);
    let today = hub.today();
    let encoded = filters.encoded();
    let body = html! {
        (filter_form(&filters))
        p {
            "共 " (rows.len()) " 条 · "
            a href={ "/staff/export.csv?" (encoded) } { "导出 CSV" }
        }
        table {
            tr { th { "查询码" } th { "类型" } th { "事项或摘要" } th { "提交时间" } th { "来源终端" } th { "状态" } th { "答复期限" } }
            @for s in shown {
                tr {
                    td { a href={ "/staff/s/" (s.code.as_str()) } { (s.code) } }
                    td { (s.case.kind.label()) }
                    td { (summary(s)) }
                    td { (local_time(s.submitted_at)) }
                    td { (s.kiosk.as_deref().unwrap_or("—")) }
                    td { (s.case.state.label()) }
                    td { (due_cell(&hub, s, today)) }
                }
            }
        }
        @if pages > 1 {
            p {
                @for p in 1..=pages {
                    @if p == page { strong { (p) } " " } @else { a href={ "/staff?" (encoded) "&page=" (p) } { (p) } " " }
                }
            }
        }
    };
    staff_page("收件箱", nav(&staff), body).into_response()
}

/// The subject's title, or the start of the first answer.
fn summary(s: &Submission) -> String {
    let text = s.subject.as_ref().map(|t| t.title.clone()).or_else(|| {
        s.fields.0.iter().find(|e| matches!(e.name.as_str(), "content" | "general" | "comment" | "info_title")).map(|e| e.value.clone())
    });
    let text = text.unwrap_or_default();
    let mut short: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        short.push('…');
    }
    short
}

pub fn due_cell(hub: &Hub, s: &Submission, today: NaiveDate) -> Markup {
    let Some(due) = s.due_on(&hub.calendar, today) else { return html! { "—" } };
    html! {
        (due) " "
        @match s.urgency(&hub.calendar, today) {
            Some(Urgency::Overdue) => span class="overdue" { "已超期" },
            Some(Urgency::DueSoon) => span class="due-soon" { "即将到期" },
            _ => {},
        }
    }
}

fn filter_form(filters: &Filters) -> Markup {
    let option = |value: &str, label: &str, current: &str| html! { option value=(value) selected[value == current] { (label) } };
    html! {
        form class="card filters" method="get" action="/staff" {
            label { "类型" br; select name="kind" {
                (option("", "全部", &filters.kind))
                @for k in Kind::ALL { (option(k.as_str(), k.label(), &filters.kind)) }
            } }
            label { "状态" br; select name="state" {
                (option("", "全部", &filters.state))
                @for s in CaseState::ALL { (option(s.as_str(), s.label(), &filters.state)) }
            } }
            label { "期限" br; select name="urgency" {
                (option("", "全部", &filters.urgency))
                (option("overdue", "已超期", &filters.urgency))
                (option("due_soon", "即将到期", &filters.urgency))
            } }
            label { "终端" br; input type="text" name="kiosk" value=(filters.kiosk) size="14"; }
            label { "收到日期" br; input type="date" name="from" value=(filters.from); " 至 " input type="date" name="to" value=(filters.to); }
            label { "查询码或关键词" br; input type="text" name="q" value=(filters.q) size="18"; }
            button type="submit" { "筛选" }
        }
    }
}

pub async fn export(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(filters): Query<Filters>) -> Response {
    let (staff, rows) = match staff_and_rows(&hub, &headers, &filters).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let csv = to_csv(&rows, &hub.calendar, hub.today());
    let store = Arc::clone(&hub.store);
    let (who, detail) = (staff.session.username.clone(), format!("导出 {} 条（筛选：{}）", rows.len(), filters.encoded()));
    // An export that cannot be audited is not given out.
    if !matches!(tokio::task::spawn_blocking(move || store.audit(&who, "export", &detail)).await, Ok(Ok(()))) {
        return (StatusCode::SERVICE_UNAVAILABLE, "无法记录审计日志，导出未进行。").into_response();
    }
    let filename = format!("attachment; filename=\"submissions-{}.csv\"", hub.today());
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, filename)],
        csv,
    )
        .into_response()
}
