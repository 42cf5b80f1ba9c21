//! Whose cases a member of staff sees: those of the organ their account belongs to; a
//! 管理员 sees every organ's. A case of another organ is refused by its address too.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use maud::html;

use super::{auth::Staff, nav};
use crate::{Hub, page::staff_page, roles::Role, submissions::store::Session};

/// The id of the organ `session`'s account belongs to (an account given none belongs to the
/// organ that receives applications).
pub fn own<'a>(hub: &'a Hub, session: &'a Session) -> &'a str {
    if session.organ.is_empty() { &hub.organs.receiving().id } else { &session.organ }
}

/// The organ whose cases `session` lists and counts; `None` for every organ (a 管理员, or
/// anyone on a hub serving one organ).
pub fn scope(hub: &Hub, session: &Session) -> Option<String> {
    (hub.organs.several() && !session.roles.has(Role::Admin)).then(|| own(hub, session).to_string())
}

/// Whether `session` may open and handle a case of `organ`.
pub fn may_handle(hub: &Hub, session: &Session, organ: &str) -> bool {
    scope(hub, session).is_none_or(|own| own == organ)
}

/// The page for a member of staff who opened a case of another organ (an old link, a case
/// handed on): which organ handles it, and nothing of the case.
pub fn refused(hub: &Hub, staff: &Staff, organ: &str) -> Response {
    let body = html! {
        div class="card" {
            p class="field-error" { "此案件由" (hub.organs.name_of(organ)) "承办；您的账号属于" (hub.organs.name_of(own(hub, &staff.session))) "，不能查看或办理。" }
            p { a href="/staff" { "返回收件箱" } "。如需查看，请联系管理员。" }
        }
    };
    (StatusCode::FORBIDDEN, staff_page("无权查看", nav(staff), body)).into_response()
}
