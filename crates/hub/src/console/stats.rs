//! Statistics and the audit log. The funnel follows a visitor from a kiosk's QR code to a
//! submission: QR shown (reported by the kiosk) → link opened (counted by the hub) →
//! submitted (attributed by the signed link), per kiosk and per hall.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use maud::{Markup, html};

use super::{auth, local_time, nav};
use crate::{
    Hub, page::staff_page,
    submissions::{form::Kind, store::{FunnelRow, InboxQuery, StoreError}, workflow::{ReplyType, State as CaseState}},
};

pub async fn show(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let store = Arc::clone(&hub.store);
    let loaded = tokio::task::spawn_blocking(move || Ok::<_, StoreError>((store.funnel()?, store.inbox(&InboxQuery::default())?))).await;
    let Ok(Ok((funnel, all))) = loaded else {
        return (StatusCode::SERVICE_UNAVAILABLE, "数据库暂时不可用，请稍后刷新。").into_response();
    };
    let mut by_hall: BTreeMap<String, FunnelRow> = BTreeMap::new();
    for row in &funnel {
        let hall = hub.halls.get(&row.kiosk).cloned().unwrap_or_else(|| "未登记大厅".into());
        let total = by_hall.entry(hall.clone()).or_insert_with(|| FunnelRow { kiosk: hall, ..FunnelRow::default() });
        total.shown += row.shown;
        total.opened += row.opened;
        total.submitted += row.submitted;
    }
    let mut by_kind_state: BTreeMap<(Kind, &'static str), usize> = BTreeMap::new();
    let mut replies: BTreeMap<&'static str, usize> = BTreeMap::new();
    for s in &all {
        *by_kind_state.entry((s.case.kind, s.case.state.label())).or_default() += 1;
        if let Some(r) = s.case.reply_type {
            *replies.entry(r.short_label()).or_default() += 1;
        }
    }
    let body = html! {
        div class="card" { h2 { "扫码转化（按终端）" } (funnel_table("终端", &funnel)) }
        div class="card" { h2 { "扫码转化（按大厅）" } (funnel_table("大厅", &by_hall.into_values().collect::<Vec<_>>())) }
        div class="card" {
            h2 { "办理情况" }
            table {
                tr { th { "类型" } @for state in CaseState::ALL { th { (state.label()) } } }
                @for kind in Kind::ALL {
                    tr { td { (kind.label()) } @for state in CaseState::ALL { td { (by_kind_state.get(&(kind, state.label())).copied().unwrap_or(0)) } } }
                }
            }
        }
        div class="card" {
            h2 { "政府信息公开申请答复类型" }
            table {
                tr { th { "答复类型" } th { "件数" } }
                @for r in ReplyType::ALL { tr { td { (r.short_label()) } td { (replies.get(r.short_label()).copied().unwrap_or(0)) } } }
            }
        }
    };
    staff_page("统计", nav(&staff), body).into_response()
}

fn funnel_table(first: &str, rows: &[FunnelRow]) -> Markup {
    let rate = |part: u64, whole: u64| if whole == 0 { "—".to_string() } else { format!("{:.1}%", part as f64 * 100.0 / whole as f64) };
    html! {
        table class="funnel" {
            tr { th { (first) } th { "二维码展示" } th { "扫码打开" } th { "提交" } th { "打开率" } th { "提交率" } }
            @for r in rows {
                tr { td { (r.kiosk) } td { (r.shown) } td { (r.opened) } td { (r.submitted) } td { (rate(r.opened, r.shown)) } td { (rate(r.submitted, r.opened)) } }
            }
        }
    }
}

pub async fn audit(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let store = Arc::clone(&hub.store);
    let Ok(Ok(entries)) = tokio::task::spawn_blocking(move || store.audit_log(None, 500)).await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "数据库暂时不可用，请稍后刷新。").into_response();
    };
    let body = html! {
        table {
            tr { th { "时间" } th { "操作人" } th { "查询码" } th { "操作" } }
            @for e in &entries {
                tr {
                    td { (local_time(e.at)) }
                    td { (e.staff) }
                    td { @if let Some(code) = &e.code { a href={ "/staff/s/" (code) } { (code) } } }
                    td { (e.detail) }
                }
            }
        }
    };
    staff_page("审计日志（最近 500 条）", nav(&staff), body).into_response()
}
