//! The fleet's status, for signed-in staff: the page and its JSON.

use std::sync::Arc;

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
};

use super::auth;
use gongkai_core::sync::layout::PUBLISHED_MANIFEST;
use gongkai_core::content::manifest::Manifest;
use crate::{Hub, fleet::{KioskSummary, page as fleet_page}};

fn summary(hub: &Hub) -> Vec<KioskSummary> {
    let published = std::fs::read(hub.data.join(PUBLISHED_MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
        .map(|m| m.bundle_version);
    hub.fleet.lock().map(|f| f.summary(chrono::Utc::now().timestamp(), published)).unwrap_or_default()
}

pub async fn page(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    match auth::require(&hub, &headers).await {
        Ok(_) => Html(fleet_page::render(&summary(&hub))).into_response(),
        Err(redirect) => redirect,
    }
}

pub async fn kiosks(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
    match auth::signed_in(&hub, &headers).await {
        Some(_) => Json(summary(&hub)).into_response(),
        None => (StatusCode::UNAUTHORIZED, "sign in at /staff/login").into_response(),
    }
}
