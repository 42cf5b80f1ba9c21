//! 账号管理 (管理员): every account with its roles and state, a form to add one, and on each
//! account its roles, its organ (on a hub serving several), a new password, and 停用 or 启用.
//! The rules are `crate::accounts`.

use std::sync::Arc;

use axum::{
    extract::{Form, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{MIN_PASSWORD_CHARS, Message, auth, blocking, nav, unavailable};
use crate::{
    Hub, accounts,
    organs::Organs,
    page::staff_page,
    roles::{Role, Roles},
    submissions::store::StaffAccount,
};

const PAGE: &str = "/staff/accounts";

/// Every field any of the page's forms posts; each form sends those it has.
#[derive(Deserialize, Default)]
pub struct Posted {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    drafter: String,
    #[serde(default)]
    reviewer: String,
    #[serde(default)]
    admin: String,
    /// 停用 or 启用: "1" disables.
    #[serde(default)]
    disable: String,
    /// The id of the organ the account belongs to.
    #[serde(default)]
    organ: String,
}

impl Posted {
    fn roles(&self) -> Roles {
        let ticked = [(Role::Drafter, &self.drafter), (Role::Reviewer, &self.reviewer), (Role::Admin, &self.admin)];
        Roles::of(&ticked.into_iter().filter(|(_, value)| *value == "on").map(|(role, _)| role).collect::<Vec<_>>())
    }
}

#[derive(Deserialize)]
pub struct Done {
    /// What was just done, to which account.
    done: Option<String>,
    user: Option<String>,
}

/// `GET /staff/accounts`.
pub async fn page(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(done): Query<Done>) -> Response {
    let staff = match auth::require_role(&hub, &headers, Role::Admin).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let user = done.user.unwrap_or_default();
    // Said only of an account that exists: a crafted link cannot put words on the page.
    let named = user.clone();
    let known = !user.is_empty() && matches!(blocking(&hub, move |store| store.staff(&named)).await, Ok(Some(_)));
    let message = match done.done.as_deref().filter(|_| known) {
        Some("added") => Message::Done(format!("已新增账号 {user}。")),
        Some("roles") => Message::Done(format!("已保存 {user} 的角色，对方下一次操作起生效。")),
        Some("password") => Message::Done(format!("已重设 {user} 的密码；该账号已登录的浏览器都需重新登录。")),
        Some("disabled") => Message::Done(format!("已停用 {user}；该账号在所有浏览器上的登录均已失效，且不能再登录。")),
        Some("enabled") => Message::Done(format!("已启用 {user}。")),
        Some("organ") => Message::Done(format!("已保存 {user} 的所属机关，对方下一次操作起按该机关查看和办理案件（管理员仍可查看全部机关的案件）。")),
        _ => Message::None,
    };
    accounts_page(&hub, &staff, StatusCode::OK, message, &Posted::default()).await
}

/// The page, with what the add form held.
async fn accounts_page(hub: &Arc<Hub>, staff: &auth::Staff, status: StatusCode, message: Message, typed: &Posted) -> Response {
    let accounts = match blocking(hub, |store| store.staff_accounts()).await {
        Ok(accounts) => accounts,
        Err(e) => return unavailable(e),
    };
    let csrf = &staff.session.csrf;
    let body = html! {
        (message.markup())
        div class="card" {
            p class="hint" {
                "起草：编辑内容、提交审核；审核：审核、批准发布、撤回；管理员：管理账号和角色。"
                "不能取消自己的管理员角色或停用自己的账号。"
                @if hub.organs.several() { "工作人员只能查看和办理所属机关的依申请公开案件，管理员可以查看全部机关的案件。" }
            }
            table {
                tr {
                    th { "用户名" } th { "姓名" } th { "状态" } th { "角色" }
                    @if hub.organs.several() { th { "所属机关" } }
                    th { "重设密码" } th { "停用/启用" }
                }
                @for account in &accounts { (account_row(account, &staff.session.username, csrf, &hub.organs)) }
            }
        }
        form class="card" method="post" action={ (PAGE) "/add" } {
            h2 { "新增账号" }
            input type="hidden" name="csrf" value=(csrf);
            label for="username" { "用户名" span class="hint" { "登录时输入：英文字母、数字或 . _ -" } }
            input type="text" id="username" name="username" value=(typed.username) required maxlength="32" autocomplete="off";
            label for="name" { "姓名" }
            input type="text" id="name" name="name" value=(typed.name) required maxlength="32";
            label for="password" { "初始密码" span class="hint" { "至少 " (MIN_PASSWORD_CHARS) " 个字符，请当面或电话告知本人" } }
            input type="password" id="password" name="password" required minlength=(MIN_PASSWORD_CHARS) autocomplete="new-password";
            fieldset { legend { "角色" } (role_choices(typed.roles())) }
            @if hub.organs.several() { label { "所属机关" (organ_choice(&hub.organs, &typed.organ)) } }
            button type="submit" { "新增账号" }
        }
    };
    (status, staff_page("账号管理", nav(staff), body)).into_response()
}

fn account_row(account: &StaffAccount, me: &str, csrf: &str, organs: &Organs) -> Markup {
    let username = &account.username;
    html! {
        tr {
            td { (username) @if username == me { "（本人）" } }
            td { (account.display_name) }
            td { @if account.disabled { "已停用" } @else { "已启用" } }
            td {
                form class="filters" method="post" action={ (PAGE) "/roles" } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="username" value=(username);
                    (role_choices(account.roles))
                    button class="secondary" type="submit" aria-label={ "保存 " (username) " 的角色" } { "保存角色" }
                }
            }
            @if organs.several() {
                td {
                    form class="filters" method="post" action={ (PAGE) "/organ" } {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="username" value=(username);
                        (organ_choice(organs, if account.organ.is_empty() { &organs.receiving().id } else { &account.organ }))
                        button class="secondary" type="submit" aria-label={ "保存 " (username) " 的所属机关" } { "保存机关" }
                    }
                }
            }
            td {
                form class="filters" method="post" action={ (PAGE) "/password" } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="username" value=(username);
                    input type="password" name="password" required minlength=(MIN_PASSWORD_CHARS) autocomplete="new-password" aria-label={ (username) " 的新密码" };
                    button class="secondary" type="submit" { "重设密码" }
                }
            }
            td {
                @if username != me {
                    form method="post" action={ (PAGE) "/state" } {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="username" value=(username);
                        @if account.disabled {
                            input type="hidden" name="disable" value="0";
                            button class="secondary" type="submit" { "启用" }
                        } @else {
                            input type="hidden" name="disable" value="1";
                            button class="secondary" type="submit" { "停用" }
                        }
                    }
                }
            }
        }
    }
}

fn role_choices(roles: Roles) -> Markup {
    let named = [(Role::Drafter, "drafter"), (Role::Reviewer, "reviewer"), (Role::Admin, "admin")];
    html! {
        @for (role, name) in named {
            label class="choice" { input type="checkbox" name=(name) checked[roles.has(role)]; (role.label()) }
        }
    }
}

/// The organs to choose from, `chosen` selected; one no longer listed is shown as such.
fn organ_choice(organs: &Organs, chosen: &str) -> Markup {
    html! {
        select name="organ" required {
            @if organs.get(chosen).is_none() { option value="" selected { (if chosen.is_empty() { "请选择".to_string() } else { organs.name_of(chosen) }) } }
            @for organ in organs.all() { option value=(organ.id) selected[organ.id == chosen] { (organ.details.name) } }
        }
    }
}

/// The organ posted (its id and name), when listed; on a hub serving one, the account
/// belongs to it.
fn organ_posted(hub: &Hub, posted: &Posted) -> Result<(String, String), String> {
    if !hub.organs.several() {
        return Ok((String::new(), String::new()));
    }
    let organ = hub.organs.get(posted.organ.trim()).ok_or("所属机关：请选择机关名单中的机关。")?;
    Ok((organ.id.clone(), organ.details.name.clone()))
}

/// `POST /staff/accounts/add`.
pub async fn add(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(posted): Form<Posted>) -> Response {
    let organ = organ_posted(&hub, &posted);
    change(hub, headers, posted, "added", move |store, posted, by| {
        accounts::add(store, posted.username.trim(), &posted.name, &posted.password, (posted.roles(), &organ?.0), by)
    })
    .await
}

/// `POST /staff/accounts/organ`.
pub async fn organ(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(posted): Form<Posted>) -> Response {
    let organ = organ_posted(&hub, &posted);
    change(hub, headers, posted, "organ", move |store, posted, by| {
        let (id, name) = organ?;
        accounts::set_organ(store, &posted.username, (&id, &name), by)
    })
    .await
}

/// `POST /staff/accounts/roles`.
pub async fn roles(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(posted): Form<Posted>) -> Response {
    change(hub, headers, posted, "roles", |store, posted, by| accounts::set_roles(store, &posted.username, posted.roles(), by)).await
}

/// `POST /staff/accounts/password`.
pub async fn password(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(posted): Form<Posted>) -> Response {
    change(hub, headers, posted, "password", |store, posted, by| accounts::set_password(store, &posted.username, &posted.password, by)).await
}

/// `POST /staff/accounts/state`.
pub async fn state(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(posted): Form<Posted>) -> Response {
    let done = if posted.disable == "1" { "disabled" } else { "enabled" };
    change(hub, headers, posted, done, |store, posted, by| accounts::set_disabled(store, &posted.username, posted.disable == "1", by)).await
}

/// Runs one change as the signed-in 管理员; a refused one shows the page again with the reason.
async fn change(
    hub: Arc<Hub>,
    headers: HeaderMap,
    posted: Posted,
    done: &str,
    work: impl FnOnce(&dyn crate::submissions::store::Store, &Posted, &str) -> Result<(), String> + Send + 'static,
) -> Response {
    let staff = match auth::require_posting(&hub, &headers, Role::Admin, Some(&posted.csrf)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let (store, by) = (Arc::clone(&hub.store), staff.session.username.clone());
    let (changed, posted) = match tokio::task::spawn_blocking(move || (work(store.as_ref(), &posted, &by), posted)).await {
        Ok(outcome) => outcome,
        Err(e) => return unavailable(e),
    };
    match changed {
        Ok(()) => {
            let query = form_urlencoded::Serializer::new(String::new()).append_pair("done", done).append_pair("user", posted.username.trim()).finish();
            Redirect::to(&format!("{PAGE}?{query}")).into_response()
        }
        Err(reason) => {
            // A refused new account is shown again as typed, without the password.
            let typed = if done == "added" { Posted { password: String::new(), ..posted } } else { Posted::default() };
            accounts_page(&hub, &staff, StatusCode::UNPROCESSABLE_ENTITY, Message::Refused(reason), &typed).await
        }
    }
}
