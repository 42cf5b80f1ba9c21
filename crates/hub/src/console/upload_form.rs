//! A console form sent as `multipart/form-data`: its text fields and its one file (`file`),
//! read within the upload route's bound.

use std::{collections::HashMap, sync::Arc};

use axum::{
    extract::Multipart,
    http::{HeaderMap, StatusCode},
    response::Response,
};

use super::auth::{self, Staff};
use crate::{Hub, content::import::sheet::MAX_UPLOAD_BYTES, roles::Role};

pub struct Uploaded {
    pub fields: HashMap<String, String>,
    /// The file's name as the browser gave it, and its bytes.
    pub file: Option<(String, Vec<u8>)>,
}

/// The signed-in staff member with `role` and the form they posted, its CSRF token checked;
/// or the page that refuses it, made by `refuse` when the form could not be read.
pub async fn read_posted(
    hub: &Arc<Hub>,
    headers: &HeaderMap,
    role: Role,
    multipart: Multipart,
    refuse: impl FnOnce(&Staff, StatusCode, &str) -> Response,
) -> Result<(Staff, Uploaded), Response> {
    let staff = auth::require_role(hub, headers, role).await?;
    let uploaded = read(multipart).await.map_err(|(status, reason)| refuse(&staff, status, &reason))?;
    if !staff.csrf_ok(uploaded.fields.get("csrf").map(String::as_str)) {
        return Err(auth::forbidden());
    }
    Ok((staff, uploaded))
}

/// Reads the whole form; a body cut short or over the bound is refused with why, in Chinese.
pub async fn read(mut multipart: Multipart) -> Result<Uploaded, (StatusCode, String)> {
    let mut uploaded = Uploaded { fields: HashMap::new(), file: None };
    let cut = |e: axum::extract::multipart::MultipartError| (e.status(), format!("文件没有传完整，或超过 {} MB 的上限（{e}）", MAX_UPLOAD_BYTES >> 20));
    while let Some(field) = multipart.next_field().await.map_err(cut)? {
        let (name, file_name) = (field.name().unwrap_or_default().to_string(), field.file_name().map(str::to_string));
        let bytes = field.bytes().await.map_err(cut)?;
        match file_name {
            Some(file_name) if name == "file" => uploaded.file = Some((file_name, bytes.to_vec())),
            _ => {
                uploaded.fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Ok(uploaded)
}
