//! 从表格导入 in the console: a kind's template to download, a spreadsheet to upload (起草),
//! the preview of what it adds and changes with every problem at its cell, and 确认导入, which
//! applies exactly what the preview showed or shows the preview again.

use std::sync::Arc;

use axum::{
    extract::{Form, Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Message, XLSX, auth, blocking, nav, unavailable, upload_form, download};
use crate::{
    Hub,
    content::import::{self, Plan, Planned, columns, sheet::MAX_UPLOAD_BYTES, template},
    page::staff_page,
    roles::Role,
    submissions::store::{StoreError, Upload},
};
use gongkai_core::content::workspace::Kind;

/// Rows of each list a preview shows; the rest are counted.
const SHOWN_ROWS: usize = 500;

/// The body an upload may have: the file, its form fields and their boundaries.
pub const MAX_UPLOAD_REQUEST_BYTES: usize = MAX_UPLOAD_BYTES + 64 * 1024;

/// The body a content form may have: a community's posts or a draft's articles in one item,
/// each Chinese character sent as 9 bytes.
pub const MAX_CONTENT_FORM_BYTES: usize = 2 << 20;

/// The body `path` may have when it is larger than other requests': an upload (a spreadsheet
/// at `POST /content/{kind}/import`, an attachment, the logo) or a content form.
pub fn console_body_limit(path: &str) -> Option<usize> {
    let kind_of = |suffix: &str| path.strip_prefix("/content/").and_then(|rest| rest.strip_suffix(suffix)).and_then(Kind::from_name);
    if path == "/content/site/logo" || kind_of("/import").is_some() || kind_of("/attachments").and_then(crate::content::attachments::files_of).is_some() {
        Some(MAX_UPLOAD_REQUEST_BYTES)
    } else if kind_of("/save").is_some() {
        Some(MAX_CONTENT_FORM_BYTES)
    } else {
        None
    }
}

fn page_address(kind: Kind) -> String {
    format!("/content/{}/import", kind.name())
}

#[derive(Deserialize)]
pub struct Done {
    added: Option<usize>,
    changed: Option<usize>,
}

/// `GET /content/{kind}/import`: the template and the upload form.
pub async fn page(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>, Query(done): Query<Done>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let Some((kind, import)) = Kind::from_name(&kind).and_then(|kind| Some((kind, columns::import(kind)?))) else { return (StatusCode::NOT_FOUND, "这类内容不能从表格导入").into_response() };
    let message = match (done.added, done.changed) {
        (Some(added), Some(changed)) => Message::Done(format!("已导入：新增 {added} 条，修改 {changed} 条。这些修改已进入内容工作区，送审并经审核批准后才会发布到终端。")),
        _ => Message::None,
    };
    let body = html! {
        (message.markup())
        p { a href={ "/content/" (kind.name()) } { "← " (kind.label()) } }
        div class="card" {
            h2 { "第一步：下载模板" }
            @match import.sheets().as_slice() {
                [_] => p { "模板第一个工作表是表头和一行示例，第二个工作表“填写说明”写明每列的要求和可填的名称。也可以用已有的 Excel 表格，只要有一行列名与模板相同。" },
                sheets => p { "模板的前 " (sheets.len()) " 个工作表" (sheets.iter().map(|(name, _)| format!("“{name}”")).collect::<Vec<_>>().join("")) "各有表头和一行示例，需要哪个填哪个；最后一个工作表“填写说明”写明每列的要求和可填的名称。用已有的 Excel 表格或 CSV 文件时，工作表（或 CSV 文件）须按上面的名称命名。" },
            }
            p { a class="button secondary" href={ "/content/" (kind.name()) "/template.xlsx" } { "下载" (kind.label()) "模板（.xlsx）" } }
        }
        div class="card" {
            h2 { "第二步：上传填好的表格" }
            @if staff.session.roles.has(Role::Drafter) {
                p { "支持 .xlsx 和 .csv，不超过 " (MAX_UPLOAD_BYTES >> 20) " MB。上传后先显示预览：新增哪些、修改哪些（逐项列出）、哪些单元格有问题；确认后才写入。" (import.matching()) "；表格中没有的内容保持不变。" }
                form method="post" action=(page_address(kind)) enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(staff.session.csrf);
                    label { "表格文件" br; input type="file" name="file" accept=".xlsx,.csv" required; }
                    p { button type="submit" { "上传并预览" } }
                }
            } @else {
                p { "导入需要“起草”角色。" }
            }
        }
    };
    staff_page(&format!("从表格导入：{}", kind.label()), nav(&staff), body).into_response()
}

/// `GET /content/{kind}/template.xlsx`.
pub async fn download_template(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>) -> Response {
    if let Err(redirect) = auth::require(&hub, &headers).await {
        return redirect;
    }
    let Some((kind, import)) = Kind::from_name(&kind).and_then(|kind| Some((kind, columns::import(kind)?))) else { return (StatusCode::NOT_FOUND, "没有这个模板").into_response() };
    let lookups = match blocking(&hub, |store| import::lookups(store)).await {
        Ok(lookups) => lookups,
        Err(e) => return unavailable(e),
    };
    match template::template(import, &lookups) {
        Ok(bytes) => download(&template::file_name(kind), XLSX, bytes),
        Err(e) => unavailable(e),
    }
}

/// `POST /content/{kind}/import` (multipart: `csrf`, `file`): keeps the file and shows its preview.
pub async fn upload(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>, multipart: Multipart) -> Response {
    let Some(kind) = Kind::from_name(&kind).filter(|kind| columns::import(*kind).is_some()) else { return (StatusCode::NOT_FOUND, "这类内容不能从表格导入").into_response() };
    let (staff, uploaded) = match upload_form::read_posted(&hub, &headers, Role::Drafter, multipart, |staff, status, reason| refused_upload(staff, kind, status, reason)).await {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let Some((file_name, bytes)) = uploaded.file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return refused_upload(&staff, kind, StatusCode::UNPROCESSABLE_ENTITY, "请选择要上传的表格文件");
    };
    let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default().chars().take(200).collect::<String>();
    let upload = Upload { staff: staff.session.username.clone(), kind, file_name, bytes, uploaded_at: chrono::Utc::now().timestamp() };
    let planned = blocking(&hub, move |store| {
        let planned = import::plan(store, kind, &upload.file_name, &upload.bytes)?;
        let file_name = upload.file_name.clone();
        // Kept only when it can be applied: a file that cannot be read is not stored.
        let id = match &planned {
            Ok(plan) if plan.problems.is_empty() => Some(store.save_upload(upload)?),
            _ => None,
        };
        Ok((id, file_name, planned))
    })
    .await;
    match planned {
        Ok((id, file_name, Ok(plan))) => preview(&staff, id.unwrap_or_default(), &file_name, &plan, Message::None),
        Ok((_, _, Err(unreadable))) => refused_upload(&staff, kind, StatusCode::UNPROCESSABLE_ENTITY, &unreadable),
        Err(e) => unavailable(e),
    }
}

/// The upload page again, with why the file was not taken.
fn refused_upload(staff: &auth::Staff, kind: Kind, status: StatusCode, reason: &str) -> Response {
    let body = html! {
        (Message::Refused(format!("未导入：{reason}")).markup())
        p { a class="button secondary" href=(page_address(kind)) { "重新选择文件" } }
    };
    (status, staff_page(&format!("从表格导入：{}", kind.label()), nav(staff), body)).into_response()
}

#[derive(Deserialize)]
pub struct Confirmed {
    #[serde(default)]
    csrf: String,
    upload: i64,
    #[serde(default)]
    digest: String,
}

/// `POST /content/{kind}/import/apply`: applies the upload's plan when it is still the one the
/// preview showed; otherwise shows the preview as it is now.
pub async fn apply(State(hub): State<Arc<Hub>>, headers: HeaderMap, Path(kind): Path<String>, Form(confirmed): Form<Confirmed>) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Drafter, Some(&confirmed.csrf)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let Some(kind) = Kind::from_name(&kind) else { return (StatusCode::NOT_FOUND, "没有这类内容").into_response() };
    let username = staff.session.username.clone();
    let outcome = blocking(&hub, move |store| {
        let Some(upload) = store.upload(confirmed.upload)?.filter(|u| u.staff == username && u.kind == kind) else { return Ok(None) };
        let planned = import::plan(store, kind, &upload.file_name, &upload.bytes)?;
        let applied = match &planned {
            Ok(plan) if plan.problems.is_empty() && plan.digest() == confirmed.digest => match import::apply(store, plan, &upload.file_name, &username) {
                Ok(()) => {
                    store.delete_upload(confirmed.upload)?;
                    true
                }
                Err(StoreError::Conflict | StoreError::NotFound | StoreError::Refused(_)) => false,
                Err(e) => return Err(e),
            },
            _ => false,
        };
        Ok(Some((upload.file_name, planned, applied)))
    })
    .await;
    match outcome {
        Ok(Some((_, Ok(plan), true))) => Redirect::to(&format!("{}?added={}&changed={}", page_address(kind), plan.added.len(), plan.changed.len())).into_response(),
        Ok(Some((file_name, Ok(plan), false))) => {
            let notice = Message::Refused("未导入：预览之后，工作区中的内容有了变化（可能有人修改或导入了同样的内容）。下面是按最新内容重新生成的预览，请核对后再确认。".into());
            let mut page = preview(&staff, confirmed.upload, &file_name, &plan, notice);
            *page.status_mut() = StatusCode::CONFLICT;
            page
        }
        Ok(Some((_, Err(unreadable), _))) => refused_upload(&staff, kind, StatusCode::UNPROCESSABLE_ENTITY, &unreadable),
        Ok(None) => refused_upload(&staff, kind, StatusCode::NOT_FOUND, "没有这个上传的文件：它已导入，或已过期（保留一天），或是别人上传的。请重新上传"),
        Err(e) => unavailable(e),
    }
}

fn preview(staff: &auth::Staff, upload: i64, file_name: &str, plan: &Plan, message: Message) -> Response {
    let kind = plan.kind;
    let writes = plan.added.len() + plan.changed.len();
    let body = html! {
        (message.markup())
        div class="card" {
            p { "文件“" (file_name) "”，工作表“" (plan.sheets.join("”“")) "”：新增 " strong { (plan.added.len()) } " 条，修改 " strong { (plan.changed.len()) } " 条，未变 " (plan.unchanged) " 条"
                @if !plan.problems.is_empty() { "，" strong class="field-error" { (plan.problems.len()) " 处问题" } } "。" }
            @if !plan.ignored.is_empty() { p { "这些列不属于" (kind.label()) "，不会导入：" (plan.ignored.join("、")) "。" } }
            @if !plan.examples.is_empty() {
                @let rows = plan.examples.iter().map(|(sheet, row)| if plan.sheets.len() > 1 { format!("“{sheet}”第 {row} 行") } else { format!("第 {row} 行") });
                p { (rows.collect::<Vec<_>>().join("、")) "是模板的示例（第一列以“示例”开头），未导入。" }
            }
            @if !plan.problems.is_empty() {
                p class="field-error" { "表格中有问题，没有导入任何内容。请在表格中改正下列单元格后重新上传：" }
                ul class="problems" {
                    @for problem in plan.problems.iter().take(import::SHOWN_PROBLEMS) { li { (problem) } }
                }
                @if plan.problems.len() > import::SHOWN_PROBLEMS { p { "另有 " (plan.problems.len() - import::SHOWN_PROBLEMS) " 处问题未列出。" } }
            } @else if writes == 0 {
                p class="ok" { "表格与工作区中的内容一致，无需导入。" }
            } @else {
                form method="post" action={ (page_address(kind)) "/apply" } {
                    input type="hidden" name="csrf" value=(staff.session.csrf);
                    input type="hidden" name="upload" value=(upload);
                    input type="hidden" name="digest" value=(plan.digest());
                    p { "确认后写入内容工作区；送审并经审核批准后才会发布到终端。" }
                    button type="submit" { "确认导入（新增 " (plan.added.len()) " 条，修改 " (plan.changed.len()) " 条）" }
                    " "
                    a class="button secondary" href=(page_address(kind)) { "取消" }
                }
            }
        }
        (planned_list("新增", &plan.heads, &plan.added))
        (planned_list("修改", &plan.heads, &plan.changed))
    };
    staff_page(&format!("导入预览：{}", kind.label()), nav(staff), body).into_response()
}

fn planned_list(heading: &str, (id, title): &(String, String), planned: &[Planned]) -> Markup {
    html! {
        @if !planned.is_empty() {
            div class="card" {
                h2 { (heading) "（" (planned.len()) " 条）" }
                table {
                    tr { th { "行" } th { (id) } th { (title) } th { "内容" } }
                    @for row in planned.iter().take(SHOWN_ROWS) {
                        tr {
                            td { (row.row) } td { (row.id) } td { (row.title) }
                            td {
                                @for (label, before, after) in &row.fields {
                                    div { (label) "：" @if row.changes { del { (before) } " → " } ins { (after) } }
                                }
                            }
                        }
                    }
                }
                @if planned.len() > SHOWN_ROWS { p { "另有 " (planned.len() - SHOWN_ROWS) " 条未列出。" } }
            }
        }
    }
}
