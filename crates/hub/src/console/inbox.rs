//! The inbox: every submission, newest first, with filters, deadline flags and the export.
//! Pages are read from the database by position in the order (keyset), and the export is
//! streamed in batches, so both cost the same at 10^6 submissions as at 10^2.

use std::{
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use axum::{
    body::{Body, Bytes},
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::{auth, local_time, nav, organs, unavailable};
use crate::{
    Hub, page::staff_page,
    organs::Organs,
    submissions::{
        deadline::Urgency,
        export::{csv_header, csv_rows},
        form::Kind,
        store::{Cursor, InboxQuery, Session, Store, StoreError, Submission},
        workflow::State as CaseState,
    },
};

const PAGE_ROWS: usize = 50;
/// The 期限 filter of answers whose 答复书 awaits delivery.
const UNDELIVERED: &str = "undelivered";
/// The total above the table is counted up to this, then shown as "more than".
const COUNT_CAP: usize = 100_000;
/// Rows read from the database at a time by the export.
const EXPORT_BATCH: usize = 1000;

#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    state: String,
    /// `overdue`, `due_soon` or `UNDELIVERED`.
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    kiosk: String,
    /// The 承办机关's id: a 管理员 chooses; everyone else sees their own organ's.
    #[serde(default)]
    organ: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// Where the page starts (`Cursor`); the first page without.
    #[serde(default)]
    after: String,
}

impl Filters {
    fn query(&self) -> InboxQuery {
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        let text = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        InboxQuery {
            kind: Kind::parse(&self.kind),
            state: CaseState::parse(&self.state),
            kiosk: text(&self.kiosk),
            organ: text(&self.organ),
            text: text(&self.q),
            received_from: date(&self.from),
            received_to: date(&self.to),
            // The deadline filters apply to running clocks only: the database narrows the
            // rows to those, the calendar decides among them.
            clock_running: self.urgency_wanted().is_some(),
            undelivered: self.urgency == UNDELIVERED,
        }
    }

    /// Keeps a member of staff who is not a 管理员 to their own organ's cases, whatever the
    /// address asked for.
    fn confined(mut self, hub: &Hub, session: &Session) -> Self {
        if let Some(own) = organs::scope(hub, session) {
            self.organ = own;
        }
        self
    }

    fn urgency_wanted(&self) -> Option<Urgency> {
        match self.urgency.as_str() {
            "overdue" => Some(Urgency::Overdue),
            "due_soon" => Some(Urgency::DueSoon),
            _ => None,
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
            ("organ", &self.organ),
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

/// Hands each submission matching `filters` after `after`, newest first, to `take` until it
/// says it has enough, reading the database in batches (every row passes when there is no
/// deadline filter, so then a batch is exactly what is asked for).
fn scan(
    store: &dyn Store,
    hub: &Hub,
    filters: &Filters,
    mut after: Option<Cursor>,
    batch_rows: usize,
    mut take: impl FnMut(Submission) -> bool,
) -> Result<(), StoreError> {
    let query = filters.query();
    let today = hub.today();
    loop {
        let batch = store.inbox(&query, after, batch_rows)?;
        let exhausted = batch.len() < batch_rows;
        after = batch.last().map(Cursor::after);
        for s in batch {
            let wanted = filters.urgency_wanted().is_none_or(|u| s.urgency(&hub.calendar, today) == Some(u));
            if wanted && !take(s) {
                return Ok(());
            }
        }
        if exhausted {
            return Ok(());
        }
    }
}

/// Up to `limit` submissions matching `filters` after `after`, newest first.
fn matching(store: &dyn Store, hub: &Hub, filters: &Filters, after: Option<Cursor>, limit: usize) -> Result<Vec<Submission>, StoreError> {
    let batch_rows = if filters.urgency_wanted().is_some() { EXPORT_BATCH } else { limit.max(1) };
    let mut found = Vec::new();
    scan(store, hub, filters, after, batch_rows, |s| {
        found.push(s);
        found.len() < limit
    })?;
    Ok(found)
}

/// "共 N 条", counted up to just past `COUNT_CAP`: in the database, or with a deadline filter
/// among the running clocks, without keeping them.
fn total(store: &dyn Store, hub: &Hub, filters: &Filters) -> Result<usize, StoreError> {
    if filters.urgency_wanted().is_none() {
        return store.inbox_count(&filters.query(), COUNT_CAP + 1);
    }
    let mut count = 0;
    scan(store, hub, filters, None, EXPORT_BATCH, |_| {
        count += 1;
        count <= COUNT_CAP
    })?;
    Ok(count)
}

pub async fn show(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(filters): Query<Filters>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let after = Cursor::parse(&filters.after);
    let (reading, filters) = (Arc::clone(&hub), Arc::new(filters.confined(&hub, &staff.session)));
    let asked = Arc::clone(&filters);
    let loaded = tokio::task::spawn_blocking(move || {
        let store = Arc::clone(&reading.store);
        Ok::<_, StoreError>((matching(&*store, &reading, &asked, after, PAGE_ROWS + 1)?, total(&*store, &reading, &asked)?))
    })
    .await;
    let (mut rows, total) = match loaded {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return unavailable(e),
        Err(e) => return unavailable(e),
    };
    let next = (rows.len() > PAGE_ROWS).then(|| {
        rows.truncate(PAGE_ROWS);
        rows.last().map(Cursor::after)
    });
    let today = hub.today();
    let encoded = filters.encoded();
    let total_text = if total > COUNT_CAP { format!("超过 {COUNT_CAP} 条") } else { format!("{total} 条") };
    let every_organ = hub.organs.several() && organs::scope(&hub, &staff.session).is_none();
    let body = html! {
        (filter_form(&filters, every_organ.then_some(&hub.organs)))
        p {
            "共 " (total_text) " · "
            a href={ "/staff/export.csv?" (encoded) } { "导出 CSV" }
        }
        table {
            tr {
                th { "查询码" } th { "类型" } th { "事项或摘要" } th { "提交时间" } th { "来源终端" }
                @if every_organ { th { "承办机关" } }
                th { "状态" } th { "答复期限" }
            }
            @for s in &rows {
                tr {
                    td { a href={ "/staff/s/" (s.code.as_str()) } { (s.code) } }
                    td { (s.case.kind.label()) }
                    td { (summary(s)) }
                    td { (local_time(s.submitted_at)) }
                    td { (s.kiosk.as_deref().unwrap_or("—")) }
                    @if every_organ { td { (hub.organs.name_of(&s.case.organ)) } }
                    td { (s.case.state.label()) }
                    td { (due_cell(&hub, s, today)) }
                }
            }
        }
        p class="pager" {
            @if after.is_some() { a href={ "/staff?" (encoded) } { "« 最新" } " " }
            @if let Some(Some(cursor)) = next { a href={ "/staff?" (encoded) "&after=" (cursor) } { "下一页 »" } }
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
    let Some(due) = s.due_on(&hub.calendar, today) else {
        // While the office waits for 补正 the answer's clock stands; the applicant's runs.
        let waiting = s.case.correction_until().filter(|_| s.case.state == CaseState::AwaitingCorrection);
        return match waiting {
            Some(until) => html! { "待补正，补正期限 " (until) },
            None if s.case.awaiting_delivery() => html! { span class="due-soon" { "答复书待送达" } },
            None => html! { "—" },
        };
    };
    html! {
        (due) " "
        @match s.urgency(&hub.calendar, today) {
            Some(Urgency::Overdue) => span class="overdue" { "已超期" },
            Some(Urgency::DueSoon) => span class="due-soon" { "即将到期" },
            _ => {},
        }
    }
}

/// The filters; `organs` to choose among, for a 管理员 of a hub with several.
fn filter_form(filters: &Filters, organs: Option<&Organs>) -> Markup {
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
                (option(UNDELIVERED, "答复书待送达", &filters.urgency))
            } }
            label { "终端" br; input type="text" name="kiosk" value=(filters.kiosk) size="14"; }
            @if let Some(organs) = organs {
                label { "承办机关" br; select name="organ" {
                    (option("", "全部", &filters.organ))
                    @for organ in organs.all() { (option(&organ.id, &organ.details.name, &filters.organ)) }
                } }
            }
            label { "收到日期" br; input type="date" name="from" value=(filters.from); " 至 " input type="date" name="to" value=(filters.to); }
            label { "查询码或关键词" br; input type="text" name="q" value=(filters.q) size="18"; }
            button type="submit" { "筛选" }
        }
    }
}

/// The CSV of everything matching the filters, written as it is read.
pub async fn export(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(filters): Query<Filters>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let (counting, filters) = (Arc::clone(&hub), Arc::new(filters.confined(&hub, &staff.session)));
    let asked = Arc::clone(&filters);
    let (who, described) = (staff.session.username.clone(), filters.encoded());
    // An export that cannot be audited is not given out.
    let audited = tokio::task::spawn_blocking(move || {
        let store = Arc::clone(&counting.store);
        let count = total(&*store, &counting, &asked)?;
        let count = if count > COUNT_CAP { format!("超过 {COUNT_CAP}") } else { count.to_string() };
        store.audit(&who, "export", &format!("导出 {count} 条（筛选：{described}）"))
    })
    .await;
    if !matches!(audited, Ok(Ok(()))) {
        return (StatusCode::SERVICE_UNAVAILABLE, "无法记录审计日志，导出未进行。").into_response();
    }
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let writing = Arc::clone(&hub);
    tokio::task::spawn_blocking(move || {
        let store = Arc::clone(&writing.store);
        let today = writing.today();
        // False once the download has gone away: the scan then stops.
        let send = |chunk: String| sender.blocking_send(Ok(Bytes::from(chunk))).is_ok();
        if !send(csv_header()) {
            return;
        }
        let mut rows = Vec::with_capacity(EXPORT_BATCH);
        let scanned = scan(&*store, &writing, &filters, None, EXPORT_BATCH, |s| {
            rows.push(s);
            rows.len() < EXPORT_BATCH || send(csv_rows(&std::mem::take(&mut rows), (&writing.calendar, &writing.organs), today))
        });
        match scanned {
            Ok(()) if !rows.is_empty() => {
                send(csv_rows(&rows, (&writing.calendar, &writing.organs), today));
            }
            Ok(()) => {}
            Err(e) => {
                // The download ends in an error rather than looking complete.
                eprintln!("export: {e}");
                let _ = sender.blocking_send(Err(std::io::Error::other(e.to_string())));
            }
        }
    });
    let filename = format!("attachment; filename=\"submissions-{}.csv\"", hub.today());
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, filename)],
        Body::from_stream(Chunks(receiver)),
    )
        .into_response()
}

/// The export's chunks as the body's stream.
struct Chunks(tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}
