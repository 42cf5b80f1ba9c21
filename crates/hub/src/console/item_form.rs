//! The form of an item of every kind but 政府信息, which has its own (`import::columns`): every
//! column as a field of the kind it holds, each list (问答, 部门, 财务公开…) one block a row,
//! what the checker refuses named under its field, what staff typed kept; new items, and
//! deleting after a question. The columns of the importable kinds read a spreadsheet too, so
//! a form and a sheet take the same values.

use std::{collections::{BTreeMap, HashMap}, sync::Arc};

use axum::{
    extract::{Form, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use super::{auth, blocking, local_time, nav, unavailable};
use crate::{
    Hub,
    content::{
        attachments,
        documents::Refused,
        field_label,
        import::{self, cells::{self, Lookups}, columns::{self, Column, Form as Input, Table}},
        items, lists,
    },
    page::staff_page,
    roles::Role,
    submissions::store::WorkspaceEntry,
};
use gongkai_core::content::workspace::Kind;

/// The kinds edited here.
pub fn table(kind: Kind) -> Option<&'static Table> {
    columns::form_table(kind).filter(|table| table.kind != Kind::Documents)
}

/// Kinds of one item only (the site) are edited, never added or deleted.
pub fn single(table: &Table) -> bool {
    table.key_columns().next().is_none()
}

pub fn address(kind: Kind, id: &str) -> String {
    format!("/content/{}/item?{}", kind.name(), form_urlencoded::Serializer::new(String::new()).append_pair("id", id).finish())
}

/// What the form shows.
struct View<'a> {
    table: &'a Table,
    /// Each field's text, by field name.
    values: HashMap<String, String>,
    saved: Option<&'a WorkspaceEntry>,
    revision: Option<i64>,
    problems: BTreeMap<String, Vec<String>>,
    notice: Option<Markup>,
    lookups: &'a Lookups,
    csrf: &'a str,
    /// What the page shows below the form (the site's logo).
    extra: Markup,
}

/// The fields of a saved item as the form holds them.
fn values_of(table: &Table, body: &Value, lookups: &Lookups) -> HashMap<String, String> {
    let mut values: HashMap<String, String> = table.columns.iter().map(|c| (c.field.to_string(), cells::as_text(c.form, items::get_field(body, c.field), lookups))).collect();
    for list in table.lists {
        if lists::too_long(list, body).is_none() {
            values.extend(lists::texts_of(list, body, lookups));
        }
    }
    values
}

/// The form of a saved item, for `content::item` (which shows it read-only to staff
/// without 起草).
pub async fn edit(hub: &Arc<Hub>, staff: &auth::Staff, table: &'static Table, entry: WorkspaceEntry, saved_now: bool, extra: Markup) -> Response {
    let lookups = match blocking(hub, |store| import::lookups(store)).await {
        Ok(lookups) => lookups,
        Err(e) => return unavailable(e),
    };
    let notice = saved_now.then(|| html! { p class="ok" { "已保存，现为第 " (entry.revision) " 版。" } });
    let view = View {
        table,
        values: values_of(table, &entry.item.body, &lookups),
        saved: Some(&entry),
        revision: Some(entry.revision),
        problems: BTreeMap::new(),
        notice,
        lookups: &lookups,
        csrf: &staff.session.csrf,
        extra,
    };
    staff_page(&table.kind.title_of(&entry.item.body, &entry.item.id), nav(staff), form(&view)).into_response()
}

/// `GET /content/{kind}/new`.
pub async fn new(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>) -> Response {
    let staff = match auth::require_role(&hub, &headers, Role::Drafter).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let Some(table) = Kind::from_name(&kind).and_then(table).filter(|table| !single(table)) else { return (StatusCode::NOT_FOUND, "这类内容不能新建").into_response() };
    let lookups = match blocking(&hub, |store| import::lookups(store)).await {
        Ok(lookups) => lookups,
        Err(e) => return unavailable(e),
    };
    let view = View { table, values: HashMap::new(), saved: None, revision: None, problems: BTreeMap::new(), notice: None, lookups: &lookups, csrf: &staff.session.csrf, extra: html! {} };
    staff_page(&format!("新建{}", table.kind.label()), nav(&staff), form(&view)).into_response()
}

/// `POST /content/{kind}/save`: the fields, the item's key and the revision it was opened at
/// (both empty for a new one), and the CSRF token.
pub async fn save(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>, Form(posted): Form<HashMap<String, String>>) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Drafter, posted.get("csrf").map(String::as_str)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let Some(table) = Kind::from_name(&kind).and_then(table) else { return (StatusCode::NOT_FOUND, "这类内容没有表单").into_response() };
    let saved_key = posted.get("key").cloned().filter(|key| !key.is_empty());
    if saved_key.is_none() && single(table) {
        return (StatusCode::NOT_FOUND, "这类内容不能新建").into_response();
    }
    let expected = posted.get("revision").and_then(|r| r.parse::<i64>().ok());
    let (fields, username) = (posted.clone(), staff.session.username.clone());
    let outcome = blocking(&hub, move |store| {
        let saved = saved_key.as_deref().zip(expected);
        let result = items::save_from_form(store, table, saved, &fields, &username);
        let entry = match saved {
            Some((key, _)) => store.workspace_item(table.kind, key)?,
            None => None,
        };
        Ok((result, entry, import::lookups(store)?))
    })
    .await;
    let (result, entry, lookups) = match outcome {
        Ok(outcome) => outcome,
        Err(e) => return unavailable(e),
    };
    let refused = |status: StatusCode, problems: BTreeMap<String, Vec<String>>, notice: Markup| {
        let extra = entry.as_ref().map_or_else(|| html! {}, |entry| uploads(entry, &staff.session.csrf));
        let view = View { table, values: posted.clone(), saved: entry.as_ref(), revision: expected, problems, notice: Some(notice), lookups: &lookups, csrf: &staff.session.csrf, extra };
        (status, staff_page("未保存", nav(&staff), form(&view))).into_response()
    };
    match result {
        Ok((id, _)) => Redirect::to(&format!("{}&saved=1", address(table.kind, &id))).into_response(),
        Err(Refused::Invalid(problems)) => {
            let count: usize = problems.values().map(Vec::len).sum();
            refused(StatusCode::UNPROCESSABLE_ENTITY, problems, html! { p class="field-error" { "未保存：有 " (count) " 处需要修改，见各项下方的说明。" } })
        }
        Err(Refused::Changed) => refused(
            StatusCode::CONFLICT,
            BTreeMap::new(),
            html! { p class="field-error" { "未保存：在您编辑期间，这条内容已被他人修改。您填写的内容仍在下方，没有覆盖他人的修改；请打开最新版本，把您的修改填入后再保存。" } },
        ),
        Err(Refused::Gone) => refused(StatusCode::NOT_FOUND, BTreeMap::new(), html! { p class="field-error" { "未保存：这条内容已被他人删除。您填写的内容仍在下方。" } }),
        Err(Refused::Store(e)) => unavailable(e),
    }
}

#[derive(Deserialize)]
pub struct Deletion {
    #[serde(default)]
    csrf: String,
    key: String,
    revision: i64,
    #[serde(default)]
    confirmed: String,
}

/// `POST /content/{kind}/delete`: asks first, then deletes the item if nobody changed it since.
pub async fn delete(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>, Form(deletion): Form<Deletion>) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Drafter, Some(&deletion.csrf)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let Some(table) = Kind::from_name(&kind).and_then(table).filter(|table| !single(table)) else { return (StatusCode::NOT_FOUND, "这类内容不能删除").into_response() };
    let back = address(table.kind, &deletion.key);
    if deletion.confirmed != "1" {
        let body = html! {
            div class="card" {
                p { "将从内容工作区删除" (table.kind.label()) "“" (deletion.key) "”。删除在下次发布后生效。" }
                form class="commands" method="post" action={ "/content/" (table.kind.name()) "/delete" } {
                    input type="hidden" name="csrf" value=(staff.session.csrf);
                    input type="hidden" name="key" value=(deletion.key);
                    input type="hidden" name="revision" value=(deletion.revision);
                    input type="hidden" name="confirmed" value="1";
                    button type="submit" { "确认删除" }
                    a class="button secondary" href=(back) { "取消" }
                }
            }
        };
        return staff_page("确认删除", nav(&staff), body).into_response();
    }
    let (key, username) = (deletion.key.clone(), staff.session.username.clone());
    let result = blocking(&hub, move |store| Ok(items::delete(store, table, &key, deletion.revision, &username))).await;
    let list = format!("/content/{}", table.kind.name());
    match result {
        Ok(Ok(())) | Ok(Err(Refused::Gone)) => Redirect::to(&list).into_response(),
        Ok(Err(Refused::Changed)) => {
            let body = html! { div class="card" { p class="field-error" { "未删除：这条内容在您打开后已被他人修改，请查看最新版本后再决定。" } p { a href=(back) { "返回" } } } };
            (StatusCode::CONFLICT, staff_page("未删除", nav(&staff), body)).into_response()
        }
        // Other content refers to it: said, with what refers.
        Ok(Err(Refused::Invalid(reasons))) => {
            let body = html! { div class="card" { @for reason in reasons.values().flatten() { p class="field-error" { "未删除：" (reason) } } p { a href=(back) { "返回" } } } };
            (StatusCode::UNPROCESSABLE_ENTITY, staff_page("未删除", nav(&staff), body)).into_response()
        }
        Ok(Err(Refused::Store(e))) | Err(e) => unavailable(e),
    }
}

fn form(view: &View) -> Markup {
    let kind = view.table.kind;
    let errors = |name: &str| view.problems.get(name).cloned().unwrap_or_default();
    let keys: Vec<&str> = view.table.key_columns().map(|(_, c)| c.field).collect();
    let kept: Vec<String> = match view.saved.map(|s| &s.item.body) {
        Some(Value::Object(fields)) => {
            let edited = view.table.columns.iter().map(|c| c.field).chain(view.table.lists.iter().map(|l| l.field)).map(|field| field.split('.').next().unwrap_or_default()).collect::<Vec<_>>();
            fields.keys().filter(|name| !edited.contains(&name.as_str())).map(|name| field_label(name).to_string()).collect()
        }
        _ => Vec::new(),
    };
    html! {
        p { a href={ "/content/" (kind.name()) } { "← " (kind.label()) } }
        @if let Some(notice) = &view.notice { div class="card" { (notice) } }
        @if let Some(saved) = view.saved {
            p { "第 " (saved.revision) " 版，最后由 " (saved.updated_by) " 于 " (local_time(saved.updated_at)) " 修改。" }
        }
        form class="card" method="post" action={ "/content/" (kind.name()) "/save" } accept-charset="utf-8" {
            input type="hidden" name="csrf" value=(view.csrf);
            input type="hidden" name="key" value=(view.saved.map(|s| s.item.id.as_str()).unwrap_or_default());
            input type="hidden" name="revision" value=(view.revision.map(|r| r.to_string()).unwrap_or_default());
            @for error in errors("") { p class="field-error" { (error) } }
            @for column in view.table.columns {
                @let value = view.values.get(column.field).cloned().unwrap_or_default();
                @let fixed = view.saved.is_some() && keys.contains(&column.field);
                div class="field" {
                    label for=(column.field) { (column.label) @if !column.required { span class="hint" { "（可不填）" } } }
                    (input(column.field, column, &value, fixed, !errors(column.field).is_empty(), view.lookups))
                    @for error in errors(column.field) { p class="field-error" { (error) } }
                }
            }
            @for list in view.table.lists { (list_fields(view, list)) }
            @if !kept.is_empty() { p class="hint" { "这些内容不在表单中，保存时保持不变：" (kept.join("、")) } }
            button class="submit" type="submit" { "保存" }
        }
        (view.extra)
        @if let (Some(saved), Some(revision), false) = (view.saved, view.revision, single(view.table)) {
            form class="card" method="post" action={ "/content/" (kind.name()) "/delete" } {
                input type="hidden" name="csrf" value=(view.csrf);
                input type="hidden" name="key" value=(saved.item.id);
                input type="hidden" name="revision" value=(revision);
                button class="secondary" type="submit" { "删除这条内容" }
            }
        }
    }
}

/// A list's rows, one block of inputs a row, each with 删除, and blank rows for new ones.
fn list_fields(view: &View, list: &columns::List) -> Markup {
    let errors = |name: &str| view.problems.get(name).cloned().unwrap_or_default();
    let text = |name: &str| view.values.get(name).cloned().unwrap_or_default();
    let rows = lists::shown_rows(list, &view.values);
    if let Some(length) = view.saved.and_then(|saved| lists::too_long(list, &saved.item.body)) {
        return html! {
            fieldset {
                legend { (list.label) }
                p class="hint" { (list.label) "共 " (length) " 行，超过表单可编辑的 " (lists::MAX_ROWS) " 行，在这里不能修改，保存时保持不变；请用“从表格导入”修改。" }
            }
        };
    }
    html! {
        fieldset {
            legend { (list.label) }
            input type="hidden" name=(lists::rows_name(list)) value=(rows);
            @for error in errors(list.field) { p class="field-error" { (error) } }
            @for row in 0..rows {
                div class="list-row" {
                    @for column in list.columns {
                        @let name = lists::cell_name(list, row, column);
                        label for=(name) { (column.label) @if !column.required { span class="hint" { "（可不填）" } } }
                        (input(&name, column, &text(&name), false, !errors(&name).is_empty(), view.lookups))
                        @for error in errors(&name) { p class="field-error" { (error) } }
                    }
                    @let remove = lists::remove_name(list, row);
                    label class="choice" { input type="checkbox" name=(remove) value="1" checked[text(&remove) == "1"]; "删除这一行" }
                }
            }
            p class="hint" { "留空的行不会保存。需要更多空行时，先保存，页面会再给出 " (lists::BLANK_ROWS) " 个空行。" }
        }
    }
}

/// Text columns shown as a box of several lines, whatever they hold now.
const LONG_TEXTS: [&str; 7] = ["body", "target", "text", "a", "summary", "content", "basis"];

/// The input of one field, of the kind its column holds.
fn input(name: &str, column: &Column, value: &str, fixed: bool, invalid: bool, lookups: &Lookups) -> Markup {
    let form = column.form;
    let class = if invalid { "invalid" } else { "" };
    // A list's options by value and label; a value the list lacks stays, chosen and marked, so
    // a save never changes it unseen; an empty one asks to be chosen.
    let select = |options: Vec<(String, String)>, blank: &str| {
        let known = value.is_empty() || options.iter().any(|(option, _)| option == value);
        html! {
            select id=(name) name=(name) class=(class) {
                option value="" selected[value.is_empty()] { (blank) }
                @if !known { option value=(value) selected { (value) "（不在列表中）" } }
                @for (option, label) in &options { option value=(option) selected[option == value] { (label) } }
            }
        }
    };
    match form {
        _ if fixed => html! { input id=(name) type="text" name=(name) value=(value) readonly; },
        Input::Choice(choices) => select(choices.iter().map(|c| (c.to_string(), c.to_string())).collect(), "（请选择）"),
        Input::Department => select(lookups.departments.clone(), "（请选择）"),
        Input::Domain => select(lookups.domains.clone(), "（不属于公开目录领域）"),
        Input::Community => select(lookups.communities.clone(), "（请选择）"),
        Input::Date => html! { input id=(name) type="date" name=(name) value=(value) class=(class); },
        Input::DateTime => html! { input id=(name) type="datetime-local" name=(name) value=(value) step="1" class=(class); },
        Input::Month => html! { input id=(name) type="month" name=(name) value=(value) class=(class); },
        Input::Lines | Input::Materials => html! { textarea id=(name) name=(name) rows="5" class=(class) { (value) } },
        Input::Text if LONG_TEXTS.contains(&column.field) || value.contains('\n') || value.chars().count() > 60 => {
            html! { textarea id=(name) name=(name) rows="6" class=(class) { (value) } }
        }
        Input::Departments => html! { input id=(name) type="text" name=(name) value=(value) class=(class) placeholder="部门全称，多个用“、”分开"; },
        Input::Number | Input::Count => html! { input id=(name) type="text" inputmode="decimal" name=(name) value=(value) class=(class); },
        Input::Text | Input::Key => html! { input id=(name) type="text" name=(name) value=(value) class=(class); },
    }
}

#[derive(Deserialize)]
pub struct Which {
    id: String,
    #[serde(default)]
    saved: String,
}

/// `GET /content/{kind}/item?id=ID`: the item's form for 起草, its fields to read for others.
pub async fn item(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>, Query(which): Query<Which>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let Some(kind) = Kind::from_name(&kind) else { return (StatusCode::NOT_FOUND, "没有这类内容").into_response() };
    let id = which.id.clone();
    let entry = match blocking(&hub, move |store| store.workspace_item(kind, &id)).await {
        Ok(Some(entry)) => entry,
        Ok(None) => return (StatusCode::NOT_FOUND, "没有这条内容（可能已被删除）").into_response(),
        Err(e) => return unavailable(e),
    };
    match table(kind) {
        Some(table) if staff.session.roles.has(Role::Drafter) => {
            let extra = uploads(&entry, &staff.session.csrf);
            edit(&hub, &staff, table, entry, which.saved == "1", extra).await
        }
        _ => super::content::read_only(&staff, kind, &entry),
    }
}

/// The uploads a saved item's page takes below its form: the site's logo, a 解读's 图解.
fn uploads(entry: &WorkspaceEntry, csrf: &str) -> Markup {
    let (kind, body) = (entry.item.kind, &entry.item.body);
    match (kind, attachments::files_of(kind)) {
        (Kind::Site, _) => super::attachments::logo_card(entry.revision, body, csrf),
        (_, Some(files)) => super::attachments::card(files, &entry.item.id, entry.revision, body, csrf),
        _ => html! {},
    }
}
