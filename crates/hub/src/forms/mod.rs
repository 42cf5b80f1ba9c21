//! What a visitor's phone sees: the page a kiosk QR code opens, the four forms, and the
//! 查询码 status page. Server-rendered, no scripts.

mod admission;
mod landing;
mod origin;
mod pages;
pub(crate) mod render;
mod status;
mod submit;

use std::sync::Arc;

use axum::{
    Router,
    routing::get,
};

use super::Hub;

pub use admission::Admission;

pub fn routes() -> Router<Arc<Hub>> {
    Router::new()
        .route("/H/{token}", get(landing::open_link))
        .route("/d/{id}", get(landing::document))
        .route("/f/apply", get(landing::apply).post(submit::apply))
        .route("/f/opinion", get(landing::opinion).post(submit::opinion))
        .route("/f/satisfaction", get(landing::satisfaction).post(submit::satisfaction))
        .route("/f/consultation/{id}", get(landing::consultation).post(submit::consultation))
        .route("/q", get(status::lookup))
        .route("/q/{code}", get(status::show))
}
