//! `gongkai content build`: copy a content folder, draw the pages of its PDF attachments,
//! write its manifest, check it, and only then put it in place — a bundle that fails the
//! checker is never left behind as if good.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};

use super::{
    attachment_pages,
    bundle_files::{self, MANIFEST},
    check::{CheckOptions, Checked, check_bundle},
    manifest,
};

pub struct BuildOptions {
    /// Defaults to the build time as `YYYYMMDDhhmmss`.
    pub bundle_version: Option<u64>,
    pub created_at: DateTime<Utc>,
    pub check: CheckOptions,
}

/// Builds `src` into the bundle `out` (which must not exist yet), or rewrites the manifest of
/// `src` in place when `out` is the same folder. The returned check decides success: when it
/// has problems, a new `out` is not created.
pub fn build_bundle(src: &Path, out: &Path, options: &BuildOptions) -> Result<Checked> {
    let src_canonical = src
        .canonicalize()
        .with_context(|| format!("{}: cannot open the content folder", src.display()))?;
    if out.canonicalize().is_ok_and(|o| o == src_canonical) {
        attachment_pages::render_all(src)?;
        write_manifest(src, options)?;
        return Ok(check_bundle(src, &options.check));
    }
    if out.exists() {
        bail!("{}: already exists; choose a new folder for the bundle", out.display());
    }
    let staging = staging_path(out)?;
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("{}: cannot remove an old staging folder", staging.display()))?;
    }
    let result = copy_tree(src, &staging)
        .and_then(|()| attachment_pages::render_all(&staging))
        .and_then(|()| write_manifest(&staging, options))
        .map(|()| check_bundle(&staging, &options.check));
    match result {
        Ok(checked) if checked.is_clean() => {
            fs::rename(&staging, out)
                .with_context(|| format!("{}: cannot move the bundle into place", out.display()))?;
            Ok(checked)
        }
        other => {
            let _ = fs::remove_dir_all(&staging);
            other
        }
    }
}

fn staging_path(out: &Path) -> Result<PathBuf> {
    let name = out
        .file_name()
        .with_context(|| format!("{}: not a folder name", out.display()))?;
    Ok(out.with_file_name(format!(".{}.building", name.to_string_lossy())))
}

/// Copies the regular files of `src` (except an old manifest) into the new folder `dest`.
fn copy_tree(src: &Path, dest: &Path) -> Result<()> {
    let (files, rejected) = bundle_files::walk(src)
        .with_context(|| format!("{}: cannot read the content folder", src.display()))?;
    if let Some(entry) = rejected.first() {
        bail!("{}: {}", entry.path, entry.reason);
    }
    for file in files.iter().filter(|f| !bundle_files::is_bundle_metadata(&f.path)) {
        let target = dest.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create folder", parent.display()))?;
        }
        fs::copy(src.join(&file.path), &target)
            .with_context(|| format!("{}: cannot copy", file.path))?;
    }
    fs::create_dir_all(dest).with_context(|| format!("{}: cannot create folder", dest.display()))?;
    Ok(())
}

/// Writes `manifest.json` for the files now in `dir`, atomically.
pub fn write_manifest(dir: &Path, options: &BuildOptions) -> Result<()> {
    // Left over from an interrupted build; it must not be listed in the new manifest.
    let _ = fs::remove_file(dir.join(TEMPORARY_MANIFEST));
    let (files, rejected) = bundle_files::walk(dir)
        .with_context(|| format!("{}: cannot read the bundle folder", dir.display()))?;
    if let Some(entry) = rejected.first() {
        bail!("{}: {}", entry.path, entry.reason);
    }
    let version = options
        .bundle_version
        .unwrap_or_else(|| manifest::version_from_time(options.created_at));
    let manifest = manifest::describe(dir, &files, version, options.created_at)
        .with_context(|| format!("{}: cannot hash the bundle files", dir.display()))?;
    replace_manifest(dir, &manifest)
}

/// Stamps the built bundle `dir` in place as version `bundle_version` made at `created_at`
/// and checks it as of `options.check`. Only the manifest's version and time change: its
/// files stay listed with the hashes taken when it was built, which the check verifies, so a
/// new version of a large bundle costs one check rather than hashing every file twice more.
pub fn restamp(dir: &Path, options: &BuildOptions) -> Result<Checked> {
    let path = dir.join(MANIFEST);
    let bytes = fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut manifest: manifest::Manifest =
        serde_json::from_slice(&bytes).with_context(|| format!("{}: not a manifest", path.display()))?;
    manifest.bundle_version = options
        .bundle_version
        .unwrap_or_else(|| manifest::version_from_time(options.created_at));
    manifest.created_at = options.created_at;
    replace_manifest(dir, &manifest)?;
    Ok(check_bundle(dir, &options.check))
}

/// Where a manifest is written before it replaces `manifest.json`.
const TEMPORARY_MANIFEST: &str = ".manifest.json.tmp";

fn replace_manifest(dir: &Path, manifest: &manifest::Manifest) -> Result<()> {
    let temporary = dir.join(TEMPORARY_MANIFEST);
    let json = serde_json::to_vec_pretty(manifest)?;
    let mut file = fs::File::create(&temporary)
        .with_context(|| format!("{}: cannot write", temporary.display()))?;
    file.write_all(&json)?;
    file.sync_all()?;
    fs::rename(&temporary, dir.join(MANIFEST))
        .with_context(|| format!("{}: cannot write", dir.join(MANIFEST).display()))?;
    Ok(())
}
