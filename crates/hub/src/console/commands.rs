//! 远程命令 on the fleet page: 立即同步 and 重启程序 for one kiosk, or for every kiosk the page's
//! filters show (a hall, a tag); 截图 for one kiosk; and the latest commands with where each
//! stands.

use std::{collections::HashMap, sync::Arc};

use axum::{
    extract::{Form, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};

use super::{auth, fleet::Filters, local_time, nav as staff_nav};
use crate::{
    Hub,
    fleet::{commands, current},
    page::staff_page,
    submissions::store::CommandRecord,
};
use gongkai_core::fleet::push::KioskCommand;

/// Commands listed on the fleet page.
const LISTED: usize = 30;

/// `POST /fleet/commands`: `command`, and `kiosk` for one kiosk or else the filters' kiosks.
pub async fn issue(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    let staff = match auth::require_signed_post(&hub, &headers, form.get("csrf").map(String::as_str)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let Some(command) = KioskCommand::from_name(&field("command")) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "没有这个命令").into_response();
    };
    let filters = Filters { hall: field("hall"), tag: field("tag"), show: field("show") };
    let (kiosks, _) = current(&hub);
    // The confirmed list, as the confirmation showed it; else one kiosk; else the filters'.
    let (listed, one) = (field("kiosks"), field("kiosk"));
    let targets: Vec<String> = kiosks
        .into_iter()
        .filter(|k| match (listed.is_empty(), one.is_empty()) {
            (false, _) => listed.split(',').any(|id| id == k.kiosk_id),
            (true, false) => k.kiosk_id == one,
            (true, true) => filters.admits(k),
        })
        .map(|k| k.kiosk_id)
        .collect();
    if targets.is_empty() {
        return (StatusCode::UNPROCESSABLE_ENTITY, "没有符合条件的终端").into_response();
    }
    if command == KioskCommand::Screenshot && targets.len() > 1 {
        return (StatusCode::UNPROCESSABLE_ENTITY, "截图需逐台发出：请点该终端所在行的“截图”").into_response();
    }
    // A restart interrupts whoever is at the screen: it is asked for twice.
    if command == KioskCommand::Restart && field("confirmed") != "1" {
        return confirmation(&staff.session.csrf, &targets, &filters, staff_nav(&staff)).into_response();
    }
    match commands::issue(&hub, targets, command, staff.session.username.clone()).await {
        Ok(()) => Redirect::to(&format!("/fleet{}", filters.query())).into_response(),
        Err(e) => {
            eprintln!("command not issued: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "命令未发出：数据库暂时不可用，请稍后再试。").into_response()
        }
    }
}

/// The page that asks before a restart, naming every kiosk it would restart.
fn confirmation(csrf: &str, targets: &[String], filters: &Filters, nav: Markup) -> impl IntoResponse {
    let body = html! {
        div class="card" {
            p { "将重启以下 " (targets.len()) " 台终端的程序。正在使用终端的群众会被打断，终端约半分钟后恢复。" }
            p { (targets.join("、")) }
            form class="commands" method="post" action="/fleet/commands" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="command" value=(KioskCommand::Restart.name());
                input type="hidden" name="kiosks" value=(targets.join(","));
                input type="hidden" name="confirmed" value="1";
                input type="hidden" name="hall" value=(filters.hall);
                input type="hidden" name="tag" value=(filters.tag);
                input type="hidden" name="show" value=(filters.show);
                button type="submit" { "确认重启 " (targets.len()) " 台" }
                a class="button secondary" href={ "/fleet" (filters.query()) } { "取消" }
            }
        }
    };
    staff_page("确认重启程序", nav, body)
}

/// The latest commands, newest first.
pub async fn latest(hub: &Arc<Hub>) -> Vec<CommandRecord> {
    let store = Arc::clone(&hub.store);
    tokio::task::spawn_blocking(move || store.commands(None, None, LISTED)).await.ok().and_then(Result::ok).unwrap_or_default()
}

/// The buttons that send each command to `kiosk`, or to the filtered kiosks when `None`.
pub fn buttons(csrf: &str, kiosk: Option<&str>, filters: &Filters) -> Markup {
    html! {
        form class="commands" method="post" action="/fleet/commands" {
            input type="hidden" name="csrf" value=(csrf);
            @if let Some(kiosk) = kiosk {
                input type="hidden" name="kiosk" value=(kiosk);
            } @else {
                input type="hidden" name="hall" value=(filters.hall);
                input type="hidden" name="tag" value=(filters.tag);
                input type="hidden" name="show" value=(filters.show);
            }
            // A screenshot is asked of one kiosk at a time: a whole fleet's would come at once.
            @for command in KioskCommand::ISSUED.into_iter().filter(|c| kiosk.is_some() || *c != KioskCommand::Screenshot) {
                button class="secondary" type="submit" name="command" value=(command.name()) { (command.label()) }
            }
        }
    }
}

/// The table of the latest commands.
pub fn table(commands: &[CommandRecord], now: i64) -> Markup {
    html! {
        div class="card" {
            h2 { "远程命令" }
            @if commands.is_empty() {
                p { "尚未发出命令。" }
            } @else {
                table {
                    tr { th { "发出时间" } th { "终端" } th { "命令" } th { "发出人" } th { "状态" } th { "终端答复" } }
                    @for command in commands {
                        tr {
                            td { (local_time(command.issued_at)) }
                            td { (command.kiosk) }
                            td { (KioskCommand::from_name(&command.command).map_or("未知命令", KioskCommand::label)) }
                            td { (command.staff) }
                            td { (commands::state_label(command, now)) }
                            td { (command.detail) }
                        }
                    }
                }
            }
        }
    }
}
