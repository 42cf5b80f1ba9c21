//! 终端状态, for signed-in staff: every kiosk with its heartbeat, whether it shows the
//! published content, whether its screen still draws, and its latest errors; filtered by
//! hall, tag and what needs attention. Also as JSON for scripts.

use std::{collections::BTreeSet, sync::Arc};

use axum::{
    Json,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{auth, commands, nav, screenshots};
use crate::{
    Hub,
    fleet::{ContentStatus, KioskSummary, current},
    page::staff_page,
};

#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub hall: String,
    #[serde(default)]
    pub tag: String,
    /// `attention`: only kiosks offline, frozen, or not showing the published content.
    #[serde(default)]
    pub show: String,
}

impl Filters {
    pub fn admits(&self, kiosk: &KioskSummary) -> bool {
        (self.hall.is_empty() || kiosk.hall.as_deref() == Some(self.hall.as_str()))
            && (self.tag.is_empty() || kiosk.tags.contains(&self.tag))
            && (self.show != "attention" || kiosk.needs_attention())
    }

    /// The filters as the page's query string (`?hall=…`), empty when none is set.
    pub fn query(&self) -> String {
        let set: Vec<(&str, &str)> = [("hall", &self.hall), ("tag", &self.tag), ("show", &self.show)]
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| (name, value.as_str()))
            .collect();
        if set.is_empty() { String::new() } else { format!("?{}", form_urlencoded::Serializer::new(String::new()).extend_pairs(set).finish()) }
    }
}

pub async fn page(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(filters): Query<Filters>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let (kiosks, published) = current(&hub);
    let recent = commands::latest(&hub).await;
    let screenshot_times = screenshots::times(&hub).await;
    let csrf = &staff.session.csrf;
    let halls: BTreeSet<&str> = kiosks.iter().filter_map(|k| k.hall.as_deref()).collect();
    let tags: BTreeSet<&str> = kiosks.iter().flat_map(|k| k.tags.iter().map(String::as_str)).collect();
    let shown: Vec<&KioskSummary> = kiosks.iter().filter(|k| filters.admits(k)).collect();
    let count = |wanted: fn(&KioskSummary) -> bool| shown.iter().filter(|k| wanted(k)).count();
    let body = html! {
        div class="card" {
            p {
                "发布版本：" (published.version().map_or("尚未发布".to_string(), |v| v.to_string()))
                "。共 " (shown.len()) " 台：在线 " (count(|k| k.online)) "，离线 " (count(|k| !k.online))
                "，画面冻结 " (count(|k| k.frozen)) "，内容非最新 " (count(|k| k.content.needs_attention()))
                "，推送通道已连接 " (count(|k| k.push_connected)) "。"
            }
        }
        (filter_form(&filters, &halls, &tags))
        div class="card" {
            @if !shown.is_empty() {
                p { "对筛选出的 " (shown.len()) " 台终端：" }
                (commands::buttons(csrf, None, &filters))
            }
            table {
                tr { th { "终端" } th { "大厅" } th { "标签" } th { "状态" } th { "最近心跳" } th { "内容" } th { "内容版本" } th { "屏幕" } th { "最近错误" } th { "截图" } th { "操作" } }
                @for kiosk in &shown {
                    (row(kiosk, screenshots::cell(&kiosk.kiosk_id, screenshot_times.get(&kiosk.kiosk_id).copied()), commands::buttons(csrf, Some(&kiosk.kiosk_id), &filters)))
                }
            }
            @if shown.is_empty() { p { "没有符合条件的终端。" } }
        }
        (commands::table(&recent, chrono::Utc::now().timestamp()))
    };
    staff_page("终端状态", nav(&staff), body).into_response()
}

fn filter_form(filters: &Filters, halls: &BTreeSet<&str>, tags: &BTreeSet<&str>) -> Markup {
    let option = |value: &str, label: &str, current: &str| html! { option value=(value) selected[value == current] { (label) } };
    html! {
        form class="card filters" method="get" action="/fleet" {
            label { "大厅" br; select name="hall" {
                (option("", "全部", &filters.hall))
                @for hall in halls { (option(hall, hall, &filters.hall)) }
            } }
            label { "标签" br; select name="tag" {
                (option("", "全部", &filters.tag))
                @for tag in tags { (option(tag, tag, &filters.tag)) }
            } }
            label { "范围" br; select name="show" {
                (option("", "全部终端", &filters.show))
                (option("attention", "需处理（离线、冻结、内容非最新）", &filters.show))
            } }
            button type="submit" { "筛选" }
        }
    }
}

fn row(kiosk: &KioskSummary, screenshot: Markup, actions: Markup) -> Markup {
    let report = kiosk.report.as_ref();
    html! {
        tr {
            td { (kiosk.kiosk_id) }
            td { (kiosk.hall.as_deref().unwrap_or("—")) }
            td { (kiosk.tags.join("、")) }
            td {
                @if kiosk.online { "在线" } @else { span class="overdue" { "离线" } }
                @if kiosk.frozen { " " span class="overdue" { "画面冻结" } }
                // Without the stream a kiosk still polls: content comes, only later.
                " · "
                @if kiosk.push_connected { "推送已连接" } @else { span class="due-soon" { "推送未连接" } }
            }
            td { (kiosk.last_seen_s.map_or("从未".to_string(), |s| format!("{s} 秒前"))) }
            td {
                @match &kiosk.content {
                    ContentStatus::Current | ContentStatus::Unknown => (kiosk.content.label()),
                    ContentStatus::SyncFailing { .. } => span class="overdue" { (kiosk.content.label()) },
                    _ => span class="due-soon" { (kiosk.content.label()) },
                }
            }
            td { (kiosk.content_version.map_or("—".to_string(), |v| v.to_string())) }
            td { (report.map_or("—".to_string(), |r| format!("{} · {:.0} 帧/秒 · {:.0} MB · 已绘制 {} 帧", r.resolution, r.frame_rate, r.memory_mb, r.frames_drawn))) }
            td {
                @if let Some(report) = report {
                    @for error in &report.recent_errors { (error) br; }
                    @if report.wrong_pins > 0 { "管理密码输错 " (report.wrong_pins) " 次" }
                }
            }
            td { (screenshot) }
            td { (actions) }
        }
    }
}

pub async fn kiosks(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(filters): Query<Filters>) -> Response {
    match auth::signed_in(&hub, &headers).await {
        Some(_) => Json(current(&hub).0.into_iter().filter(|k| filters.admits(k)).collect::<Vec<_>>()).into_response(),
        None => (StatusCode::UNAUTHORIZED, "sign in at /staff/login").into_response(),
    }
}
