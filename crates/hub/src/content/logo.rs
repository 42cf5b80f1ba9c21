//! The site's logo (单位标志), uploaded in the console: a PNG or JPEG of at most 2 MB, kept as
//! the bundle file `images/logo.{png,jpg}` that the site names, saved with the site in one
//! transaction with an audit entry. The checker decodes it at 送审, as every bundle image.

use std::collections::BTreeMap;

use serde_json::Value;

use gongkai_core::content::workspace::{Item, Kind, StoredFile};

use super::{attachments::format_of, documents::Refused};
use crate::submissions::store::Store;

pub const MAX_LOGO_BYTES: usize = 2 << 20;
/// The site's key in the workspace.
pub const SITE: &str = "site";

/// Makes `bytes` the logo of the site at revision `expected`; returns the site's revision now.
pub fn set(store: &dyn Store, expected: i64, bytes: Vec<u8>, staff: &str) -> Result<i64, Refused> {
    let invalid = |reason: &str| Refused::Invalid(BTreeMap::from([("logo".to_string(), vec![reason.to_string()])]));
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(invalid("单位标志不能超过 2 MB"));
    }
    let Some((format, extension)) = format_of(&bytes).ok().filter(|(format, _)| matches!(*format, "PNG" | "JPEG")) else {
        return Err(invalid("单位标志只能是 PNG 或 JPEG 图片"));
    };
    let Some(entry) = store.workspace_item(Kind::Site, SITE)? else { return Err(Refused::Gone) };
    let path = format!("images/logo.{extension}");
    let earlier: Vec<String> = entry.item.body.get("logo").and_then(Value::as_str).filter(|old| *old != path && old.starts_with("images/logo.")).map(str::to_string).into_iter().collect();
    let mut site = entry.item.body.clone();
    site["logo"] = Value::from(path.clone());
    let detail = format!("上传单位标志（{format}，{} KB）", bytes.len().div_ceil(1024));
    let item = Item { body: site, ..entry.item };
    Ok(store.workspace_save_files(item, expected, vec![StoredFile { path, bytes }], earlier, staff, ("上传单位标志", &detail))?)
}
