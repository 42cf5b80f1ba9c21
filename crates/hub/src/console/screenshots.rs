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

use super::auth;
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

/// The fleet row's cell: the picture, linked to itself at full size, with when it was taken.
pub fn cell(kiosk: &str, taken_at_ms: Option<i64>) -> Markup {
    let Some(taken_at_ms) = taken_at_ms else { return html! { "—" } };
    // The time in the address: a new screenshot is never one the browser has cached.
    let query = form_urlencoded::Serializer::new(String::new()).append_pair("kiosk", kiosk).append_pair("t", &taken_at_ms.to_string()).finish();
    let taken = {
        use chrono::TimeZone;
        chrono::Local.timestamp_millis_opt(taken_at_ms).single().map(|t| t.format("%m-%d %H:%M:%S").to_string()).unwrap_or_default()
    };
    html! {
        a href={ "/fleet/screenshot?" (query) } {
            img class="screenshot" src={ "/fleet/screenshot?" (query) } alt={ (kiosk) " 的截图" } loading="lazy";
        }
        br;
        "截于 " (taken)
    }
}
