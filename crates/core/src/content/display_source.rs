//! Chooses the bundle a screen shows: the configured one when it passes the checker,
//! otherwise the built-in demo bundle, so that a screen is never blank.

use std::path::{Path, PathBuf};

use super::{
    check::{CheckOptions, Checked, Problem, check_bundle},
    model::Content,
};

pub struct DisplaySource {
    pub content: Content,
    /// The folder the content came from.
    pub folder: PathBuf,
    pub bundle_version: u64,
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why the configured bundle was refused, when the fallback is shown.
    pub refused: Vec<Problem>,
}

/// Loads `configured`, falling back to `built_in`. `Err` holds the problems of both when
/// neither can be shown.
pub fn choose(
    configured: &Path,
    built_in: &Path,
    options: &CheckOptions,
) -> Result<DisplaySource, (Vec<Problem>, Vec<Problem>)> {
    let shown = |checked: Checked, folder: &Path, refused: Vec<Problem>| DisplaySource {
        bundle_version: checked.manifest.as_ref().map_or(0, |m| m.bundle_version),
        created_at: checked.manifest.as_ref().map(|m| m.created_at),
        content: checked.content,
        folder: folder.to_path_buf(),
        refused,
    };
    let first = check_bundle(configured, options);
    if first.is_clean() {
        return Ok(shown(first, configured, Vec::new()));
    }
    let fallback = check_bundle(built_in, options);
    if fallback.is_clean() {
        return Ok(shown(fallback, built_in, first.problems));
    }
    Err((first.problems, fallback.problems))
}
