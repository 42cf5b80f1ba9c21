//! 播放记录 (proof of play), for signed-in staff: per day and kiosk, how often and how long
//! each wall page was on screen and how often each kiosk screen was opened; for a chosen
//! period and kiosk, and as CSV for the office's spreadsheets.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{Duration, NaiveDate, TimeZone};
use maud::{Markup, html};
use serde::Deserialize;

use super::{auth, nav};
use crate::{
    Hub,
    fleet::current,
    page::staff_page,
    submissions::{
        export::{csv_start, push_row},
        store::PlayDay,
    },
};

/// The longest period one page or export covers.
const MAX_DAYS: i64 = 366;
/// Rows on the page; the CSV has them all.
const ROWS_SHOWN: usize = 2000;

#[derive(Debug, Default, Deserialize)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    kiosk: String,
}

/// A period read from the address: the first and last day, both included.
struct Days {
    first: NaiveDate,
    last: NaiveDate,
}

impl Period {
    /// The last 7 days by default; a mistake is named in Chinese for the form.
    fn days(&self, today: NaiveDate) -> Result<Days, String> {
        let read = |text: &str, label: &str, default: NaiveDate| {
            if text.is_empty() {
                return Ok(default);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("{label}：“{text}”不是 年-月-日 格式的日期（如 2026-12-05）"))
        };
        let last = read(&self.to, "结束日期", today)?;
        let first = read(&self.from, "开始日期", last - Duration::days(6))?;
        if first > last {
            return Err("开始日期晚于结束日期".into());
        }
        if (last - first).num_days() >= MAX_DAYS {
            return Err(format!("一次最多查询 {MAX_DAYS} 天"));
        }
        Ok(Days { first, last })
    }
}

/// The records of `days`, read in the store off the server's threads.
async fn load(hub: &Arc<Hub>, days: &Days, kiosk: &str) -> Result<Vec<PlayDay>, Response> {
    let start = |day: NaiveDate| chrono::Local.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN)).earliest().map(|t| t.timestamp());
    let (Some(from), Some(to)) = (start(days.first), start(days.last + Duration::days(1))) else {
        return Err((StatusCode::BAD_REQUEST, "日期超出范围").into_response());
    };
    let offset = i64::from(chrono::Local::now().offset().local_minus_utc());
    let (store, kiosk) = (Arc::clone(&hub.store), (!kiosk.is_empty()).then(|| kiosk.to_string()));
    match tokio::task::spawn_blocking(move || store.plays_by_day(from, to, offset, kiosk.as_deref())).await {
        Ok(Ok(rows)) => Ok(rows),
        _ => Err((StatusCode::SERVICE_UNAVAILABLE, "数据库暂时不可用，请稍后刷新。").into_response()),
    }
}

pub async fn page(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(period): Query<Period>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let (kiosks, _) = current(&hub);
    let loaded = match period.days(hub.today()) {
        Ok(days) => match load(&hub, &days, &period.kiosk).await {
            Ok(rows) => Ok((days, rows)),
            Err(response) => return response,
        },
        Err(mistake) => Err(mistake),
    };
    let dropped: Vec<(&str, u64)> =
        kiosks.iter().filter_map(|k| k.report.as_ref().filter(|r| r.plays_dropped > 0).map(|r| (k.kiosk_id.as_str(), r.plays_dropped))).collect();
    let ids: Vec<&str> = kiosks.iter().map(|k| k.kiosk_id.as_str()).collect();
    let body = html! {
        (period_form(&period, &ids, loaded.as_ref().ok().map(|(days, _)| days)))
        @for (kiosk, count) in &dropped {
            div class="card" { p class="overdue" { "终端 " (kiosk) " 因长时间连不上服务器，缓存已满，丢弃了最早的 " (count) " 条播放记录。" } }
        }
        div class="card" {
            @match &loaded {
                Err(mistake) => p class="field-error" { (mistake) },
                Ok((_, rows)) if rows.is_empty() => p { "这段时间没有播放记录。" },
                Ok((_, rows)) => {
                    @if rows.len() > ROWS_SHOWN { p { "共 " (rows.len()) " 行，这里显示前 " (ROWS_SHOWN) " 行；全部请导出 CSV。" } }
                    table {
                        tr { th { "日期" } th { "终端" } th { "大厅" } th { "类别" } th { "页面" } th { "次数" } th { "播放时长" } }
                        @for row in rows.iter().take(ROWS_SHOWN) {
                            tr {
                                td { (row.day) } td { (row.kiosk) } td { (hub.halls.get(&row.kiosk).map_or("—", String::as_str)) }
                                td { (kind_label(row)) } td { (row.name) }
                                td { (row.times) (if row.is_page { " 次" } else { " 次打开" }) }
                                td { (if row.is_page { duration(row.seconds) } else { "—".into() }) }
                            }
                        }
                    }
                }
            }
        }
    };
    staff_page("播放记录", nav(&staff), body).into_response()
}

fn period_form(period: &Period, kiosks: &[&str], days: Option<&Days>) -> Markup {
    let (from, to) = days.map_or((period.from.clone(), period.to.clone()), |d| (d.first.to_string(), d.last.to_string()));
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("from", from.as_str()), ("to", to.as_str()), ("kiosk", period.kiosk.as_str())])
        .finish();
    let export = format!("/fleet/plays.csv?{query}");
    html! {
        form class="card filters" method="get" action="/fleet/plays" {
            label { "开始日期" br; input type="date" name="from" value=(from); }
            label { "结束日期" br; input type="date" name="to" value=(to); }
            label { "终端" br; select name="kiosk" {
                option value="" selected[period.kiosk.is_empty()] { "全部" }
                @for id in kiosks { option value=(id) selected[period.kiosk == *id] { (id) } }
            } }
            button type="submit" { "查询" }
            @if days.is_some() { " " a class="button secondary" href=(export) { "导出 CSV" } }
        }
    }
}

fn kind_label(row: &PlayDay) -> &'static str {
    if row.is_page { "大屏页面" } else { "触摸屏页面" }
}

fn duration(seconds: u64) -> String {
    match (seconds / 3600, seconds % 3600 / 60, seconds % 60) {
        (0, 0, s) => format!("{s} 秒"),
        (0, m, s) => format!("{m} 分 {s} 秒"),
        (h, m, _) => format!("{h} 小时 {m} 分"),
    }
}

pub async fn csv(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(period): Query<Period>) -> Response {
    if auth::signed_in(&hub, &headers).await.is_none() {
        return (StatusCode::UNAUTHORIZED, "请先登录工作台：/staff/login").into_response();
    }
    let days = match period.days(hub.today()) {
        Ok(days) => days,
        Err(mistake) => return (StatusCode::BAD_REQUEST, mistake).into_response(),
    };
    let rows = match load(&hub, &days, &period.kiosk).await {
        Ok(rows) => rows,
        Err(response) => return response,
    };
    let mut out = csv_start(&["日期", "终端", "大厅", "类别", "页面", "次数", "播放时长（秒）"]);
    for row in &rows {
        let hall = hub.halls.get(&row.kiosk).cloned().unwrap_or_default();
        let seconds = if row.is_page { row.seconds.to_string() } else { String::new() };
        let cells = [row.day.clone(), row.kiosk.clone(), hall, kind_label(row).into(), row.name.clone(), row.times.to_string(), seconds];
        push_row(&mut out, cells.into_iter());
    }
    let filename = format!("attachment; filename=\"plays-{}-{}.csv\"", days.first, days.last);
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, filename)], out).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_default_to_the_last_week_and_mistakes_are_named() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let period = |from: &str, to: &str| Period { from: from.into(), to: to.into(), kiosk: String::new() }.days(today);
        let week = period("", "").unwrap();
        assert_eq!((week.first.to_string(), week.last.to_string()), ("2026-11-29".into(), "2026-12-05".into()));
        assert_eq!(period("2026-13-01", "").err().unwrap(), "开始日期：“2026-13-01”不是 年-月-日 格式的日期（如 2026-12-05）");
        assert_eq!(period("2026-12-06", "2026-12-05").err().unwrap(), "开始日期晚于结束日期");
        assert!(period("2025-01-01", "2026-12-05").err().unwrap().starts_with("一次最多查询"));
        assert_eq!(duration(3725), "1 小时 2 分");
        assert_eq!(duration(95), "1 分 35 秒");
    }
}
