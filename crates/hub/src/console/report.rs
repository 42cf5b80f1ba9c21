//! `/staff/report?year=YYYY`: the annual report's sections 二 (from the content workspace and
//! the 收费 staff enter), 三 and 四 (counted from the cases, section 三's balance checked and
//! the cases behind a break listed); printable, and as an
//! XLSX in the official layout (`/staff/report.xlsx?year=YYYY`). Each organ reports its own
//! cases; a 管理员 may choose an organ (`organ=ID`) or all of them.

use std::{collections::HashMap, sync::Arc};

use axum::{
    extract::{Form, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Datelike;
use maud::{Markup, html};

use super::{Message, auth, blocking, nav, organs, unavailable, download, XLSX};
use gongkai_core::content::{model::{DepartmentMonth, Site}, workspace::{Item, Kind as ContentKind}};

use crate::{
    Hub,
    content::{annual_figures::{self, Written}, documents::Refused},
    page::staff_page,
    roles::Role,
    reports::{
        annual_xlsx,
        appeals::Appeals,
        applications::{Applications, column_label},
        published::{DocumentFacts, Published},
        table::{Cell, Value, ten_thousands},
    },
    submissions::{query_code::QueryCode, store::{Store, StoreError}},
};

/// At most this many unclassified answers are listed under a break.
const LISTED: usize = 200;

/// The year asked for: by default the year before this one, the one reported by 31 January.
fn year_asked(hub: &Hub, query: &HashMap<String, String>) -> Result<i32, String> {
    let this_year = hub.today().year();
    match query.get("year").map(|y| y.trim()).filter(|y| !y.is_empty()) {
        None => Ok(this_year - 1),
        Some(text) => match text.parse::<i32>() {
            Ok(year) if (2008..=this_year).contains(&year) => Ok(year),
            _ => Err(format!("年份：“{text}”不是 2008 年（条例施行）至 {this_year} 年之间的年份")),
        },
    }
}

/// Whose report: a member of staff's own organ's; a 管理员's choice, or every organ's (`None`,
/// as on a hub serving one).
fn organ_asked(hub: &Hub, staff: &auth::Staff, query: &HashMap<String, String>) -> Option<String> {
    if !hub.organs.several() {
        return None;
    }
    organs::scope(hub, &staff.session).or_else(|| query.get("organ").filter(|id| hub.organs.get(id).is_some()).cloned())
}

/// The report's title: the organ's name when the hub serves several.
fn title(hub: &Hub, year: i32, organ: Option<&str>) -> String {
    let whose = match organ {
        _ if !hub.organs.several() => String::new(),
        Some(id) => hub.organs.name_of(id),
        None => "全部机关合计".to_string(),
    };
    format!("{whose}{year}年度政府信息公开工作年度报告")
}

/// The organ whose 行政事业性收费 the report's page takes: the one reported on; on a hub
/// serving one, that one; none for the total of several (each organ enters its own).
fn fee_organ(hub: &Hub, organ: Option<&str>) -> Option<String> {
    if hub.organs.several() { organ.map(str::to_string) } else { Some(hub.organs.receiving().id.clone()) }
}

/// The year's report: section 二, section 三, the answers still to classify, section 四.
struct Counted {
    published: Published,
    /// Workspace items section 二 could not read, and so did not count.
    unreadable: usize,
    applications: Applications,
    unclassified: Vec<QueryCode>,
    appeals: Appeals,
}

async fn counted(hub: &Arc<Hub>, year: i32, organ: Option<String>) -> Result<Counted, StoreError> {
    let whose = Whose::of(hub, organ.as_deref());
    blocking(hub, move |store| {
        let organ = organ.as_deref();
        let (published, unreadable) = published(store, year, &whose)?;
        Ok(Counted {
            published,
            unreadable,
            applications: Applications::count(year, &store.year_groups(year, organ)?),
            unclassified: store.unclassified(year, organ, LISTED)?,
            appeals: Appeals::count(year, &store.year_appeals(year, organ)?),
        })
    })
    .await
}

/// Whose section 二 is counted: the workspace's documents issued by, and the 行政权力 months
/// of the departments named, the organs `names` (all of them when `None`, on a hub serving
/// one), with the fees entered by the organs `fee_organs`.
struct Whose {
    names: Option<Vec<String>>,
    fee_organs: Vec<String>,
}

impl Whose {
    /// One organ's; the listed organs' together (never those no longer listed); or, on a hub
    /// serving one, everything in its workspace.
    fn of(hub: &Hub, organ: Option<&str>) -> Whose {
        match organ {
            Some(id) => Whose { names: Some(vec![hub.organs.name_of(id)]), fee_organs: vec![id.to_string()] },
            None if hub.organs.several() => Whose {
                names: Some(hub.organs.all().iter().map(|o| o.details.name.clone()).collect()),
                fee_organs: hub.organs.all().iter().map(|o| o.id.clone()).collect(),
            },
            None => Whose { names: None, fee_organs: vec![hub.organs.receiving().id.clone()] },
        }
    }
}

/// Section 二 as `whose` it is, and how many workspace items could not be read (not counted).
fn published(store: &dyn Store, year: i32, whose: &Whose) -> Result<(Published, usize), StoreError> {
    let ours = |issuer: &str| whose.names.as_ref().is_none_or(|names| names.iter().any(|name| name == issuer));
    let (documents, mut unreadable) = store.categorized_documents()?;
    let documents: Vec<DocumentFacts> = documents.into_iter().filter(|(issuer, _)| ours(issuer)).map(|(_, facts)| facts).collect();
    let site: Option<Site> = store.workspace_kind(ContentKind::Site)?.into_iter().find_map(|item| read(item, &mut unreadable));
    let monthly: Vec<DepartmentMonth> = store
        .workspace_kind(ContentKind::AdminMonthly)?
        .into_iter()
        .filter_map(|item| read(item, &mut unreadable))
        .filter(|m: &DepartmentMonth| ours(site.as_ref().map_or("", |site| site.department_name(&m.department))))
        .collect();
    let fees = store.report_fees(year)?;
    let fees_yuan = whose.fee_organs.iter().filter_map(|id| fees.get(id)).sum();
    Ok((Published::count(year, &documents, &monthly, fees_yuan), unreadable))
}

/// A workspace item as `T`, or counted in `unreadable`.
fn read<T: serde::de::DeserializeOwned>(item: Item, unreadable: &mut usize) -> Option<T> {
    serde_json::from_value(item.body).map_err(|_| *unreadable += 1).ok()
}

pub async fn page(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let message = match query.get("written").map(String::as_str) {
        Some("saved") => Message::Done("已写入内容工作区的政务公开统计。送审并批准发布后，终端的“政务公开现状”显示这些数字。".into()),
        Some("unchanged") => Message::Done("内容工作区的政务公开统计已是这些数字。".into()),
        _ => Message::None,
    };
    let organ = organ_asked(&hub, &staff, &query);
    match year_asked(&hub, &query) {
        Ok(year) => render(&hub, &staff, (year, organ), StatusCode::OK, message).await,
        Err(reason) => {
            let form = year_form(&hub, &staff, (hub.today().year() - 1, organ.as_deref()), Some(&reason));
            (StatusCode::UNPROCESSABLE_ENTITY, staff_page("政府信息公开工作年度报告", nav(&staff), form)).into_response()
        }
    }
}

/// `POST /staff/report/content` (`year`): writes the year's figures into the workspace's
/// 政务公开统计 (`content::annual_figures`), for 起草 to submit for review.
pub async fn into_content(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Drafter, form.get("csrf").map(String::as_str)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let year = match year_asked(&hub, &form) {
        Ok(year) => year,
        Err(reason) => return (StatusCode::UNPROCESSABLE_ENTITY, reason).into_response(),
    };
    let username = staff.session.username.clone();
    let organ = organ_asked(&hub, &staff, &form);
    // The kiosks show one set of figures, the whole hub's: one organ's would replace the others'.
    if organ.is_some() {
        let refused = Message::Refused("终端显示的是全部机关合计的数字：请由管理员在“全部机关合计”的年度报告中写入。".into());
        return render(&hub, &staff, (year, organ), StatusCode::FORBIDDEN, refused).await;
    }
    let shown = format!("/staff/report?year={year}{}", organ.as_ref().map(|id| format!("&organ={id}")).unwrap_or_default());
    let written = match counted(&hub, year, organ.clone()).await {
        Ok(report) => blocking(&hub, move |store| Ok(annual_figures::write(store, &report.applications, &report.appeals, &username))).await,
        Err(e) => Err(e),
    };
    match written {
        Ok(Ok(Written::Saved)) => Redirect::to(&format!("{shown}&written=saved")).into_response(),
        Ok(Ok(Written::Unchanged)) => Redirect::to(&format!("{shown}&written=unchanged")).into_response(),
        Ok(Err(Refused::Invalid(problems))) => {
            let reasons: Vec<String> = problems.into_values().flatten().collect();
            render(&hub, &staff, (year, organ), StatusCode::UNPROCESSABLE_ENTITY, Message::Refused(reasons.join("\n"))).await
        }
        Ok(Err(Refused::Changed | Refused::Gone)) => {
            render(&hub, &staff, (year, organ), StatusCode::CONFLICT, Message::Refused("政务公开统计刚被他人修改，请再点一次写入。".into())).await
        }
        Ok(Err(Refused::Store(e))) | Err(e) => unavailable(e),
    }
}

async fn render(hub: &Arc<Hub>, staff: &auth::Staff, (year, organ): (i32, Option<String>), status: StatusCode, message: Message) -> Response {
    let report = match counted(hub, year, organ.clone()).await {
        Ok(counted) => counted,
        Err(e) => return unavailable(e),
    };
    let body = html! {
        (message.markup())
        (year_form(hub, staff, (year, organ.as_deref()), None))
        div class="card" {
            h2 { "二、主动公开政府信息情况" }
            (table("published", &report.published.table()))
            p class="hint" {
                "规章和行政规范性文件按内容工作区中政府信息的“文件类别”统计：成文日期在本年的计入本年制发，废止日期在本年的计入本年废止，到本年 12 月 31 日仍有效的计入现行有效（失效或废止而未填日期的不计入现行有效）。"
                "行政许可、处罚、强制按内容工作区中行政权力运行结果的月度统计合计。"
                "统计包括内容工作区中尚未发布的修改。"
                @if hub.organs.several() { "只计发文机关或部门名称与机关名单中的名称（全称）完全相同的文件和统计。" }
            }
            @if report.unreadable > 0 { p class="field-error" { "内容工作区中有 " (report.unreadable) " 项未能读取，未计入本部分，请联系运维人员。" } }
            @if let Some(fee_organ) = fee_organ(hub, organ.as_deref()) {
                form class="filters" method="post" action="/staff/report/fee" {
                    input type="hidden" name="csrf" value=(staff.session.csrf);
                    input type="hidden" name="year" value=(year);
                    @if hub.organs.several() { input type="hidden" name="organ" value=(fee_organ); }
                    label { "本年行政事业性收费金额（万元，最多四位小数）" input type="text" name="fee" inputmode="decimal" value=(ten_thousands(report.published.fees_yuan)); }
                    button type="submit" class="secondary" { "保存收费金额" }
                }
            } @else {
                p class="hint" { "行政事业性收费为各机关填写的金额之和；请在各机关的年度报告中填写。" }
            }
        }
        div class="card" {
            h2 { "三、收到和处理政府信息公开申请情况" }
            (table("applications", &report.applications.table()))
            (balance(&report.applications, &report.unclassified))
        }
        div class="card" {
            h2 { "四、政府信息公开行政复议、行政诉讼情况" }
            (table("appeals", &report.appeals.table()))
            p { "按当年提起的行政复议、行政诉讼统计，到当年 12 月 31 日仍未审结的计入“尚未审结”。在案件页记录复议、诉讼及其结果。" }
        }
        @if staff.session.roles.has(Role::Drafter) && organ.is_none() {
            form class="card" method="post" action="/staff/report/content" {
                input type="hidden" name="csrf" value=(staff.session.csrf);
                input type="hidden" name="year" value=(year);
                @if let Some(id) = &organ { input type="hidden" name="organ" value=(id); }
                p { "把本页第三、第四部分的数字写入内容工作区中 " (year) " 年的政务公开统计（主动公开的数字不变），送审并批准发布后，终端的“政务公开现状”即显示本页的数字。" }
                button type="submit" class="secondary" { "写入内容工作区" }
            }
        }
    };
    (status, staff_page(&title(hub, year, organ.as_deref()), nav(staff), body)).into_response()
}

pub async fn xlsx(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let year = match year_asked(&hub, &query) {
        Ok(year) => year,
        Err(reason) => return (StatusCode::UNPROCESSABLE_ENTITY, reason).into_response(),
    };
    let organ = organ_asked(&hub, &staff, &query);
    let title = title(&hub, year, organ.as_deref());
    let report = match counted(&hub, year, organ).await {
        Ok(counted) => counted,
        Err(e) => return unavailable(e),
    };
    let Ok(bytes) = annual_xlsx::workbook(&report.published, &report.applications, &report.appeals) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "表格未能生成，请稍后再试。").into_response();
    };
    let (who, detail) = (staff.session.username.clone(), format!("导出{title}（XLSX）"));
    if let Err(e) = blocking(&hub, move |store| store.audit(&who, "导出年度报告", &detail)).await {
        return unavailable(e);
    }
    download(&format!("{title}.xlsx"), XLSX, bytes)
}

/// `POST /staff/report/fee` (`year`, `organ`, `fee` in 万元): the 行政事业性收费 of section 二.
pub async fn fee(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    let staff = match auth::require_signed_post(&hub, &headers, form.get("csrf").map(String::as_str)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let year = match year_asked(&hub, &form) {
        Ok(year) => year,
        Err(reason) => return (StatusCode::UNPROCESSABLE_ENTITY, reason).into_response(),
    };
    let organ = organ_asked(&hub, &staff, &form);
    let Some(fee_organ) = fee_organ(&hub, organ.as_deref()) else {
        return render(&hub, &staff, (year, organ), StatusCode::UNPROCESSABLE_ENTITY, Message::Refused("请先选择一个机关，再填写该机关的收费金额。".into())).await;
    };
    let yuan = match yuan_of(form.get("fee").map(String::as_str).unwrap_or_default()) {
        Ok(yuan) => yuan,
        Err(reason) => return render(&hub, &staff, (year, organ), StatusCode::UNPROCESSABLE_ENTITY, Message::Refused(reason)).await,
    };
    let (who, name) = (staff.session.username.clone(), hub.organs.name_of(&fee_organ));
    match blocking(&hub, move |store| store.set_report_fee(year, (&fee_organ, &name), yuan, &who)).await {
        Ok(()) => render(&hub, &staff, (year, organ), StatusCode::OK, Message::Done(format!("已保存本年行政事业性收费金额：{} 万元。", ten_thousands(yuan)))).await,
        Err(e) => unavailable(e),
    }
}

/// An amount typed in 万元 (`12.5`, `0.0001`), in yuan.
fn yuan_of(typed: &str) -> Result<i64, String> {
    let refused = || format!("收费金额：“{typed}”不是以万元为单位、最多四位小数的金额，如 12.5");
    let typed = typed.trim();
    let (whole, fraction) = typed.split_once('.').unwrap_or((typed, ""));
    let digits = |text: &str| text.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || whole.len() > 9 || fraction.len() > 4 || !digits(whole) || !digits(fraction) {
        return Err(refused());
    }
    let whole: i64 = whole.parse().map_err(|_| refused())?;
    let fraction: i64 = format!("{fraction:0<4}").parse().map_err(|_| refused())?;
    Ok(whole * 10_000 + fraction)
}

/// The year, and for a 管理员 of a hub with several organs, whose report.
fn year_form(hub: &Hub, staff: &auth::Staff, (year, organ): (i32, Option<&str>), error: Option<&str>) -> Markup {
    let choose = hub.organs.several() && organs::scope(hub, &staff.session).is_none();
    let xlsx = format!("/staff/report.xlsx?year={year}{}", organ.map(|id| format!("&organ={id}")).unwrap_or_default());
    html! {
        @if let Some(reason) = error { div class="errors" role="alert" { p { (reason) } } }
        form class="filters card" method="get" action="/staff/report" {
            label { "年份" input type="text" name="year" value=(year) inputmode="numeric"; }
            @if choose {
                label { "机关" select name="organ" {
                    option value="" selected[organ.is_none()] { "全部机关合计" }
                    @for listed in hub.organs.all() { option value=(listed.id) selected[organ == Some(listed.id.as_str())] { (listed.details.name) } }
                } }
            }
            button type="submit" { "查看" }
            a class="button secondary" href=(xlsx) { "下载 XLSX" }
        }
    }
}

fn table(id: &str, table: &[Vec<Cell>]) -> Markup {
    let span = |n: usize| (n > 1).then(|| n.to_string());
    html! {
        table class="report" id=(id) {
            @for row in table {
                tr {
                    @for cell in row {
                        @match cell.value {
                            Value::Heading(text) => th rowspan=[span(cell.rows)] colspan=[span(cell.columns)] { (text) },
                            Value::Label(text) => td class="item" rowspan=[span(cell.rows)] colspan=[span(cell.columns)] { (text) },
                            Value::Count(n) => td colspan=[span(cell.columns)] { (n) },
                            Value::Amount(yuan) => td colspan=[span(cell.columns)] id="fees" { (ten_thousands(yuan)) },
                        }
                    }
                }
            }
        }
    }
}

fn balance(report: &Applications, unclassified: &[QueryCode]) -> Markup {
    let breaks = report.breaks();
    html! {
        @if breaks.is_empty() {
            p class="ok" id="balance" { "勾稽关系成立：每一列的第一项加第二项之和，等于第三项（七）加第四项之和。" }
        } @else {
            div class="errors" id="balance" {
                p { "勾稽关系不成立，以下各列第一项加第二项之和不等于第三项（七）加第四项之和：" }
                ul { @for b in &breaks { li { (column_label(b.column)) "：一 + 二 = " (b.came) "，三（七）+ 四 = " (b.went) } } }
                p {
                    "原因：本年有 " (report.unclassified[report.unclassified.len() - 1]) " 件申请已答复，但未归入年度报告的类别（多为启用年报分类之前的答复）。"
                    "请打开以下案件，在「年报归类」中选择办理结果："
                }
                ul { @for code in unclassified { li { a href={ "/staff/s/" (code.as_str()) } { (code) } } } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_is_typed_in_ten_thousand_yuan_to_four_places() {
        for (typed, yuan) in [("12.5", 125_000), ("0.0001", 1), (" 3 ", 30_000), ("0", 0), ("123456789.9999", 1_234_567_899_999)] {
            assert_eq!(yuan_of(typed), Ok(yuan), "{typed}");
            assert_eq!(yuan_of(&ten_thousands(yuan)), Ok(yuan), "{typed} shown and typed again");
        }
        for bad in ["", "1.23456", "-1", "1,000", "１２", ".5", "1234567890"] {
            assert!(yuan_of(bad).unwrap_err().starts_with("收费金额："), "{bad}");
        }
    }
}
