//! The 政府信息 form of the content workspace: a document's every field to edit, or a new
//! document; what the checker refuses is named next to its field, and what staff typed stays
//! in the form. Deleting asks first.

use std::{collections::{BTreeMap, HashMap}, sync::Arc};

use axum::{
    extract::{Form, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use super::{attachments, auth, blocking, content, local_time, nav, unavailable};
use crate::{
    Hub,
    roles::Role,
    content::documents::{self, CATEGORIES, DISCLOSURES, FIELDS, INTERPRETATIONS, Refused, VALIDITIES},
    page::staff_page,
    submissions::store::{Store, StoreError, WorkspaceEntry},
};
use gongkai_core::content::workspace::Kind;

const LIST: &str = "/content/documents";

/// The address of a document's form.
pub fn address(id: &str) -> String {
    format!("/content/documents/item?{}", form_urlencoded::Serializer::new(String::new()).append_pair("id", id).finish())
}

/// What the form shows: the values, where they came from, and what is wrong with them.
struct View<'a> {
    values: &'a Value,
    /// The saved document it edits; `None` for a new one.
    saved: Option<&'a WorkspaceEntry>,
    /// The revision the form was opened at (kept in the form, so a late save is refused).
    revision: Option<i64>,
    problems: &'a BTreeMap<String, Vec<String>>,
    /// A line above the form: saved, or why not.
    notice: Option<Markup>,
    domains: &'a [(String, String)],
    csrf: &'a str,
}

#[derive(Deserialize)]
pub struct Which {
    id: String,
    #[serde(default)]
    saved: String,
}

/// `GET /content/documents/item?id=ID`: the document's form; read-only to staff without
/// the 起草 role.
pub async fn edit(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(which): Query<Which>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let id = which.id.clone();
    let found = blocking(&hub, move |store| Ok((store.workspace_item(Kind::Documents, &id)?, domains(store)?))).await;
    let (entry, domains) = match found {
        Ok((Some(entry), domains)) => (entry, domains),
        Ok((None, _)) => return (StatusCode::NOT_FOUND, "没有这份文件（可能已被删除）").into_response(),
        Err(e) => return unavailable(e),
    };
    if !staff.session.roles.has(Role::Drafter) {
        return content::read_only(&staff, Kind::Documents, &entry);
    }
    let notice = (which.saved == "1").then(|| html! { p class="ok" { "已保存，现为第 " (entry.revision) " 版。" } });
    let view = View { values: &entry.item.body, saved: Some(&entry), revision: Some(entry.revision), problems: &BTreeMap::new(), notice, domains: &domains, csrf: &staff.session.csrf };
    let title = Kind::Documents.title_of(&entry.item.body, &entry.item.id);
    staff_page(&title, nav(&staff), form(&view)).into_response()
}

/// `GET /content/documents/new`: an empty form.
pub async fn new(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    let staff = match auth::require_role(&hub, &headers, Role::Drafter).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let domains = match blocking(&hub, domains).await {
        Ok(domains) => domains,
        Err(e) => return unavailable(e),
    };
    let empty = serde_json::json!({ "disclosure": "主动公开", "validity": "有效" });
    let view = View { values: &empty, saved: None, revision: None, problems: &BTreeMap::new(), notice: None, domains: &domains, csrf: &staff.session.csrf };
    staff_page("新建政府信息", nav(&staff), form(&view)).into_response()
}

/// `POST /content/documents/save`: the form's fields, the revision it was opened at (empty
/// for a new document) and the CSRF token.
pub async fn save(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(form_fields): Form<HashMap<String, String>>) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Drafter, form_fields.get("csrf").map(String::as_str)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let expected = form_fields.get("revision").and_then(|r| r.parse::<i64>().ok());
    let id = form_fields.get("id").cloned().unwrap_or_default();
    let username = staff.session.username.clone();
    let fields = form_fields.clone();
    let outcome = blocking(&hub, move |store| {
        let saved = match expected {
            Some(_) => store.workspace_item(Kind::Documents, &id)?,
            None => None,
        };
        let document = documents::from_form(saved.as_ref().map(|s| &s.item.body), &fields);
        let result = match (expected, &saved) {
            (Some(_), None) => Err(Refused::Gone),
            _ => documents::save(store, document.clone(), expected, &username),
        };
        Ok((result, document, saved, domains(store)?))
    })
    .await;
    let (result, document, saved, domains) = match outcome {
        Ok(outcome) => outcome,
        Err(e) => return unavailable(e),
    };
    let refused = |status: StatusCode, problems: BTreeMap<String, Vec<String>>, notice: Markup| {
        let view = View { values: &document, saved: saved.as_ref(), revision: expected, problems: &problems, notice: Some(notice), domains: &domains, csrf: &staff.session.csrf };
        (status, staff_page("未保存", nav(&staff), form(&view))).into_response()
    };
    match result {
        Ok((id, _)) => Redirect::to(&format!("{}&saved=1", address(&id))).into_response(),
        Err(Refused::Invalid(problems)) => {
            let count: usize = problems.values().map(Vec::len).sum();
            let notice = html! { p class="field-error" { "未保存：有 " (count) " 处需要修改，见各项下方的说明。" } };
            refused(StatusCode::UNPROCESSABLE_ENTITY, problems, notice)
        }
        Err(Refused::Changed) => {
            let notice = html! {
                p class="field-error" {
                    "未保存：在您编辑期间，这份文件已被他人修改。您填写的内容仍在下方，没有保存，也没有覆盖他人的修改。"
                    "请 " a href=(address(form_fields.get("id").map(String::as_str).unwrap_or_default())) target="_blank" { "打开最新版本" } "，把您的修改填入后再保存。"
                }
            };
            refused(StatusCode::CONFLICT, BTreeMap::new(), notice)
        }
        Err(Refused::Gone) => refused(StatusCode::NOT_FOUND, BTreeMap::new(), html! { p class="field-error" { "未保存：这份文件已被他人删除。您填写的内容仍在下方。" } }),
        Err(Refused::Store(e)) => unavailable(e),
    }
}

#[derive(Deserialize)]
pub struct Deletion {
    #[serde(default)]
    csrf: String,
    id: String,
    revision: i64,
    #[serde(default)]
    confirmed: String,
}

/// `POST /content/documents/delete`: asks first; once confirmed, deletes the document if
/// nothing refers to it and nobody changed it since.
pub async fn delete(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(deletion): Form<Deletion>) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Drafter, Some(&deletion.csrf)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    if deletion.confirmed != "1" {
        let body = html! {
            div class="card" {
                p { "将从内容工作区删除文件“" (deletion.id) "”。删除在下次发布后生效，终端上将不再显示这份文件。" }
                form class="commands" method="post" action="/content/documents/delete" {
                    input type="hidden" name="csrf" value=(staff.session.csrf);
                    input type="hidden" name="id" value=(deletion.id);
                    input type="hidden" name="revision" value=(deletion.revision);
                    input type="hidden" name="confirmed" value="1";
                    button type="submit" { "确认删除" }
                    a class="button secondary" href=(address(&deletion.id)) { "取消" }
                }
            }
        };
        return staff_page("确认删除", nav(&staff), body).into_response();
    }
    let (id, username) = (deletion.id.clone(), staff.session.username.clone());
    let result = blocking(&hub, move |store| Ok(documents::delete(store, &id, deletion.revision, &username))).await;
    let said = |status: StatusCode, message: String| {
        let body = html! { div class="card" { p class="field-error" { (message) } p { a href=(address(&deletion.id)) { "返回这份文件" } } } };
        (status, staff_page("未删除", nav(&staff), body)).into_response()
    };
    match result {
        Ok(Ok(())) => Redirect::to(LIST).into_response(),
        Ok(Err(Refused::Invalid(problems))) => said(StatusCode::UNPROCESSABLE_ENTITY, problems.into_values().flatten().collect::<Vec<_>>().join("；")),
        Ok(Err(Refused::Changed)) => said(StatusCode::CONFLICT, "未删除：这份文件在您打开后已被他人修改，请查看最新版本后再决定。".into()),
        Ok(Err(Refused::Gone)) => Redirect::to(LIST).into_response(),
        Ok(Err(Refused::Store(e))) | Err(e) => unavailable(e),
    }
}

fn form(view: &View) -> Markup {
    let text = |name: &str| match view.values.get(name) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("、"),
        _ => String::new(),
    };
    let errors = |name: &str| view.problems.get(name).cloned().unwrap_or_default();
    let field = |name: &str, label: &str, input: Markup| {
        let errors = errors(name);
        html! {
            div class="field" {
                label for=(name) { (label) }
                (input)
                @for error in &errors { p class="field-error" { (error) } }
            }
        }
    };
    let class = |name: &str| if view.problems.contains_key(name) { "invalid" } else { "" };
    let select = |name: &str, options: &[(String, String)], blank: Option<&str>| {
        let current = text(name);
        html! {
            select id=(name) name=(name) class=(class(name)) {
                @if let Some(blank) = blank { option value="" { (blank) } }
                @for (value, label) in options { option value=(value) selected[*value == current] { (label) } }
            }
        }
    };
    let choices = |values: &[&str]| values.iter().map(|v| (v.to_string(), v.to_string())).collect::<Vec<_>>();
    let inputs: BTreeMap<&str, Markup> = FIELDS
        .iter()
        .map(|(name, label)| {
            let input = match *name {
                "id" if view.saved.is_some() => html! { input id="id" type="text" name="id" value=(text("id")) readonly; },
                "written_on" | "published_on" | "repealed_on" => html! { input id=(name) type="date" name=(name) value=(text(name)) class=(class(name)); },
                "domain" => select("domain", view.domains, Some("（不属于公开目录领域）")),
                "disclosure" => select("disclosure", &choices(&DISCLOSURES), None),
                "validity" => select("validity", &choices(&VALIDITIES), None),
                "category" => select("category", &choices(&CATEGORIES), Some("其他（年度报告不计入）")),
                "body" => html! { textarea id="body" name="body" rows="16" class=(class("body")) { (text("body")) } },
                _ => html! { input id=(name) type="text" name=(name) value=(text(name)) class=(class(name)); },
            };
            (*name, field(name, label, input))
        })
        .collect();
    let general = errors("");
    html! {
        p { a href=(LIST) { "← 政府信息" } }
        @if let Some(notice) = &view.notice { div class="card" { (notice) } }
        @if let Some(saved) = view.saved {
            p { "第 " (saved.revision) " 版，最后由 " (saved.updated_by) " 于 " (local_time(saved.updated_at)) " 修改。" }
        }
        form class="card" method="post" action="/content/documents/save" accept-charset="utf-8" {
            input type="hidden" name="csrf" value=(view.csrf);
            input type="hidden" name="revision" value=(view.revision.map(|r| r.to_string()).unwrap_or_default());
            @for error in &general { p class="field-error" { (error) } }
            @for (name, _) in FIELDS { (inputs[name]) }
            (field(INTERPRETATIONS, "相关解读（解读的编号，多个用顿号分开）", html! {
                input id=(INTERPRETATIONS) type="text" name=(INTERPRETATIONS) value=(text(INTERPRETATIONS)) class=(class(INTERPRETATIONS));
            }))
            @if view.saved.is_none() { p class="hint" { "保存后可以上传附件。" } }
            button class="submit" type="submit" { "保存" }
        }
        @if let (Some(saved), Some(revision)) = (view.saved, view.revision) {
            (attachments::card(&crate::content::attachments::ATTACHMENTS, &saved.item.id, revision, &saved.item.body, view.csrf))
        }
        @if let (Some(saved), Some(revision)) = (view.saved, view.revision) {
            form class="card" method="post" action="/content/documents/delete" {
                input type="hidden" name="csrf" value=(view.csrf);
                input type="hidden" name="id" value=(saved.item.id);
                input type="hidden" name="revision" value=(revision);
                button class="secondary" type="submit" { "删除这份文件" }
            }
        }
    }
}

/// The catalogue's domains, by id and name, for the form's choice.
fn domains(store: &dyn Store) -> Result<Vec<(String, String)>, StoreError> {
    Ok(store.workspace_kind(Kind::Domains)?.into_iter().map(|d| (d.id.clone(), Kind::Domains.title_of(&d.body, &d.id))).collect())
}
