//! 远程命令 on the fleet page: 立即同步 and 重启程序 for one kiosk, or for every kiosk the page's
//! filters show (a hall, a tag), and the latest commands with where each stands.

use std::{collections::HashMap, sync::Arc};

use axum::{
    extract::{Form, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};

use super::{auth, fleet::Filters, local_time};
use crate::{
    Hub,
    fleet::{commands, current},
    submissions::store::CommandRecord,
};
use gongkai_core::fleet::push::KioskCommand;

/// Commands listed on the fleet page.
const LISTED: usize = 30;

/// `POST /fleet/commands`: `command`, and `kiosk` for one kiosk or else the filters' kiosks.
pub async fn issue(State(hub): State<Arc<Hub>>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    if !staff.csrf_ok(form.get("csrf").map(String::as_str)) {
        return auth::forbidden();
    }
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let Some(command) = KioskCommand::from_name(&field("command")) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "没有这个命令").into_response();
    };
    let filters = Filters { hall: field("hall"), tag: field("tag"), show: field("show") };
    let (kiosks, _) = current(&hub);
    let one = field("kiosk");
    let targets: Vec<String> = kiosks
        .into_iter()
        .filter(|k| if one.is_empty() { filters.admits(k) } else { k.kiosk_id == one })
        .map(|k| k.kiosk_id)
        .collect();
    if targets.is_empty() {
        return (StatusCode::UNPROCESSABLE_ENTITY, "没有符合条件的终端").into_response();
    }
    match commands::issue(&hub, targets, command, staff.session.username.clone()).await {
        Ok(()) => Redirect::to(&format!("/fleet{}", filters.query())).into_response(),
        Err(e) => {
            eprintln!("command not issued: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "命令未发出：数据库暂时不可用，请稍后再试。").into_response()
        }
    }
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
            @for command in KioskCommand::ISSUED {
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
