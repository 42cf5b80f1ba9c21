//! 内容 in the console, for signed-in staff: the workspace's kinds with their counts; each
//! kind's items, searched by title, 文号, 索引号 or 发文机关 and filtered by year, domain and
//! 有效性, a page at a time; and one item with every field, to read.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use super::{auth, blocking, item_form, local_time, nav, unavailable};
use crate::{
    Hub,
    content::{field_label, import::columns},
    page::staff_page,
    roles::Role,
    submissions::store::{WorkspaceEntry, WorkspaceQuery, WorkspaceRow},
};
use gongkai_core::content::workspace::Kind;

/// Rows on one page of a list.
const PAGE_ROWS: usize = 50;

/// `GET /content`: every kind with how many items it has.
pub async fn overview(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let counts = match blocking(&hub, |store| store.workspace_counts()).await {
        Ok(counts) => counts,
        Err(e) => return unavailable(e),
    };
    let body = html! {
        @if counts.is_empty() {
            div class="card" {
                p { "内容工作区尚无内容。请运维人员在服务器上运行 " code { "gongkai-hub content import-published" } "，导入终端当前显示的内容。" }
            }
        }
        div class="card" {
            table {
                tr { th { "类别" } th { "条数" } }
                @for kind in Kind::ALL {
                    tr {
                        td { a href={ "/content/" (kind.name()) } { (kind.label()) } }
                        td { (counts.get(&kind).copied().unwrap_or(0)) }
                    }
                }
            }
        }
    };
    staff_page("内容", nav(&staff), body).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct ListFilters {
    #[serde(default)]
    q: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    validity: String,
    #[serde(default)]
    page: String,
}

impl ListFilters {
    fn query(&self, kind: Kind) -> WorkspaceQuery {
        WorkspaceQuery { kind, text: self.q.clone(), year: self.year.clone(), domain: self.domain.clone(), validity: self.validity.clone() }
    }

    /// The filters as a query string for page `page`.
    fn address(&self, kind: Kind, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [("q", &self.q), ("year", &self.year), ("domain", &self.domain), ("validity", &self.validity)] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        query.append_pair("page", &page.to_string());
        format!("/content/{}?{}", kind.name(), query.finish())
    }
}

/// `GET /content/{kind}`: a page of the kind's items that match the filters.
pub async fn list(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>, Query(filters): Query<ListFilters>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let Some(kind) = Kind::from_name(&kind) else { return (StatusCode::NOT_FOUND, "没有这类内容").into_response() };
    let page = filters.page.parse::<usize>().unwrap_or(1).max(1);
    let query = filters.query(kind);
    let found = blocking(&hub, move |store| {
        let (rows, total) = store.workspace_list(&query, (page - 1) * PAGE_ROWS, PAGE_ROWS)?;
        let years = store.workspace_years(kind)?;
        let domains = store.workspace_list(&WorkspaceQuery::all(Kind::Domains), 0, 1000)?.0;
        Ok((rows, total, years, domains))
    })
    .await;
    let (rows, total, years, domains) = match found {
        Ok(found) => found,
        Err(e) => return unavailable(e),
    };
    let domain_names: BTreeMap<String, String> = domains.into_iter().map(|d| (d.id, d.title)).collect();
    let pages = (total as usize).div_ceil(PAGE_ROWS).max(1);
    let documents = kind == Kind::Documents;
    let body = html! {
        @if documents && staff.session.roles.has(Role::Drafter) { p { a class="button" href="/content/documents/new" { "新建政府信息" } } }
        @if item_form::table(kind).is_some_and(|table| !item_form::single(table)) && staff.session.roles.has(Role::Drafter) { p { a class="button" href={ "/content/" (kind.name()) "/new" } { "新建" (kind.label()) } } }
        @if columns::import(kind).is_some() { p { a class="button" href={ "/content/" (kind.name()) "/import" } { "从表格导入" } } }
        (filter_form(kind, &filters, &years, &domain_names))
        div class="card" {
            p { "共 " (total) " 条" @if total > 0 { "，第 " (page) " / " (pages) " 页" } "。" }
            table {
                tr {
                    th { "标题" } th { "编号" } th { "日期" }
                    @if documents { th { "领域" } th { "有效性" } }
                    th { "最后修改" }
                }
                @for row in &rows { (list_row(kind, row, &domain_names)) }
            }
            @if rows.is_empty() { p { "没有符合条件的内容。" } }
            p class="pager" {
                @if page > 1 { a class="button secondary" href=(filters.address(kind, page - 1)) { "上一页" } " " }
                @if page < pages { a class="button secondary" href=(filters.address(kind, page + 1)) { "下一页" } }
            }
        }
    };
    staff_page(kind.label(), nav(&staff), body).into_response()
}

fn filter_form(kind: Kind, filters: &ListFilters, years: &[String], domains: &BTreeMap<String, String>) -> Markup {
    let option = |value: &str, label: &str, current: &str| html! { option value=(value) selected[value == current] { (label) } };
    html! {
        form class="card filters" method="get" action={ "/content/" (kind.name()) } {
            label { "搜索" br; input type="search" name="q" value=(filters.q) placeholder="标题、文号、索引号、发文机关"; }
            @if !years.is_empty() {
                label { "年份" br; select name="year" {
                    (option("", "全部", &filters.year))
                    @for year in years { (option(year, year, &filters.year)) }
                } }
            }
            @if kind == Kind::Documents {
                label { "领域" br; select name="domain" {
                    (option("", "全部", &filters.domain))
                    @for (id, name) in domains { (option(id, name, &filters.domain)) }
                } }
                label { "有效性" br; select name="validity" {
                    (option("", "全部", &filters.validity))
                    @for validity in ["有效", "失效", "废止"] { (option(validity, validity, &filters.validity)) }
                } }
            }
            button type="submit" { "查找" }
        }
    }
}

fn list_row(kind: Kind, row: &WorkspaceRow, domains: &BTreeMap<String, String>) -> Markup {
    let address = item_address(kind, &row.id);
    html! {
        tr {
            td { a href=(address) { (row.title) } }
            td { (row.id) }
            td { (row.dated) }
            @if kind == Kind::Documents {
                td { (domains.get(&row.domain).map_or(row.domain.as_str(), String::as_str)) }
                td { (row.validity) }
            }
            td { (row.updated_by) " · " (local_time(row.updated_at)) }
        }
    }
}

fn item_address(kind: Kind, id: &str) -> String {
    format!("/content/{}/item?{}", kind.name(), form_urlencoded::Serializer::new(String::new()).append_pair("id", id).finish())
}

/// An item's page with every field, to read.
pub(super) fn read_only(staff: &auth::Staff, kind: Kind, entry: &WorkspaceEntry) -> Response {
    let title = kind.title_of(&entry.item.body, &entry.item.id);
    staff_page(&title, nav(staff), fields(kind, entry)).into_response()
}

fn fields(kind: Kind, entry: &WorkspaceEntry) -> Markup {
    let Value::Object(fields) = &entry.item.body else { return html! {} };
    html! {
        p { a href={ "/content/" (kind.name()) } { "← " (kind.label()) } }
        div class="card" {
            p { "第 " (entry.revision) " 版，最后由 " (entry.updated_by) " 于 " (local_time(entry.updated_at)) " 修改。" }
            dl {
                @for (name, value) in fields {
                    dt { (field_label(name)) }
                    dd {
                        @match value {
                            Value::String(text) => (text),
                            Value::Null => "—",
                            other => pre { (serde_json::to_string_pretty(other).unwrap_or_default()) },
                        }
                    }
                }
            }
        }
    }
}
