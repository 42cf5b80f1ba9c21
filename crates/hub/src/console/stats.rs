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
    submissions::{form::Kind, store::{FunnelRow, StoreError}, outcome::Outcome, workflow::State as CaseState},
};

pub async fn show(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let store = Arc::clone(&hub.store);
    let organ = super::organs::scope(&hub, &staff.session);
    let loaded = tokio::task::spawn_blocking(move || Ok::<_, StoreError>((store.funnel()?, store.case_counts(organ.as_deref())?))).await;
    let Ok(Ok((funnel, counts))) = loaded else {
        return (StatusCode::SERVICE_UNAVAILABLE, "数据库暂时不可用，请稍后刷新。").into_response();
    };
    let mut by_hall: BTreeMap<String, FunnelRow> = BTreeMap::new();
    for row in &funnel {
        let hall = hub.halls.get(&row.kiosk).cloned().unwrap_or_else(|| "未登记大厅".into());
        let total = by_hall.entry(hall.clone()).or_insert_with(|| FunnelRow { kiosk: hall, ..FunnelRow::default() });
        total.shown = total.shown.saturating_add(row.shown);
        total.opened = total.opened.saturating_add(row.opened);
        total.submitted = total.submitted.saturating_add(row.submitted);
    }
    let by_kind_state: BTreeMap<(Kind, &'static str), u64> =
        counts.by_kind_and_state.iter().map(|(kind, state, n)| ((*kind, state.label()), *n)).collect();
    let outcomes: BTreeMap<Outcome, u64> = counts.by_outcome.iter().copied().collect();
    let count = |outcome: &Outcome| outcomes.get(outcome).copied().unwrap_or(0);
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
            h2 { "政府信息公开申请办理结果（历年合计）" }
            table {
                tr { th { "办理结果" } th { "答复" } th { "件数" } }
                @for outcome in Outcome::ALL {
                    tr { td { (outcome.report_row()) } td { (outcome.reply()) } td { (count(&outcome)) } }
                }
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
    // On a hub serving several organs, staff see their own organ's cases' entries; the rest
    // (log-ins, exports, content, accounts) is the 管理员's.
    let organ = super::organs::scope(&hub, &staff.session);
    let loaded = tokio::task::spawn_blocking(move || Ok::<_, StoreError>((store.audit_log(None, organ.as_deref(), 500)?, store.login_failures(100)?))).await;
    let Ok(Ok((entries, failures))) = loaded else {
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
        h2 { "登录失败（最近 100 次）" }
        p class="hint" { "登录失败另行记录，不占用上面的办理记录。用户名按输入记录，最长 64 个字符。" }
        table id="login-failures" {
            tr { th { "时间" } th { "输入的用户名" } th { "来源地址" } th { "原因" } }
            @for f in &failures {
                tr { td { (local_time(f.at)) } td { (f.username) } td { (f.source) } td { (f.reason) } }
            }
        }
    };
    staff_page("审计日志（最近 500 条）", nav(&staff), body).into_response()
}
