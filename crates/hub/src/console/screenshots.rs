//! 截图 on the fleet page: each kiosk's latest screenshot as a small picture in its row,
//! opening at full thumbnail size, for signed-in staff only.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{auth, local_time_as};
use crate::Hub;

#[derive(Deserialize)]
pub struct Which {
    kiosk: String,
}

/// `GET /fleet/screenshot?kiosk=ID`: the PNG.
pub async fn image(State(hub): State<Arc<Hub>>, headers: HeaderMap, Query(which): Query<Which>) -> Response {
    if auth::signed_in(&hub, &headers).await.is_none() {
        return (StatusCode::UNAUTHORIZED, "请先登录").into_response();
    }
    let store = Arc::clone(&hub.store);
    match tokio::task::spawn_blocking(move || store.screenshot(&which.kiosk)).await {
        Ok(Ok(Some(screenshot))) => ([(header::CONTENT_TYPE, "image/png")], screenshot.png).into_response(),
        Ok(Ok(None)) => (StatusCode::NOT_FOUND, "此终端尚无截图").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "数据库暂时不可用").into_response(),
    }
}

/// When each kiosk's screenshot was taken; none if the store cannot say now.
pub async fn times(hub: &Arc<Hub>) -> BTreeMap<String, i64> {
    let store = Arc::clone(&hub.store);
    tokio::task::spawn_blocking(move || store.screenshot_times()).await.ok().and_then(Result::ok).unwrap_or_default()
}

/// The fleet row's cell: the picture, linked to itself at full size, with when it was taken
/// (to the second: staff who ask again tell the new one by it).
pub fn cell(kiosk: &str, taken_at_ms: Option<i64>) -> Markup {
    let Some(taken_at_ms) = taken_at_ms else { return html! { "—" } };
    let address = format!("/fleet/screenshot?{}", form_urlencoded::Serializer::new(String::new()).append_pair("kiosk", kiosk).finish());
    html! {
        a href=(address) { img class="screenshot" src=(address) alt={ (kiosk) " 的截图" } loading="lazy"; }
        br;
        "截于 " (local_time_as(taken_at_ms.div_euclid(1000), "%m-%d %H:%M:%S"))
    }
}
