//! The cover of a bundle checked clean: everything a screen shows but the documents and the
//! 解读 (the parts that grow with the bundle), and how many of those there are. A kiosk saves it after a clean
//! check and, on its next start, shows it at once while the bundle is checked and indexed
//! behind it, so that its first frame does not wait on 10^6 documents.
//!
//! A cover is found by the SHA-256 of its bundle's manifest, so it only ever stands for those
//! files. The check behind it still decides: a bundle that fails it is replaced as at any
//! start. Covers live in the kiosk user's cache folder; only the newest is kept.

use std::{
    fs, io,
    path::{Path, PathBuf},
};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Library, ToCome};
use crate::{
    content::{check::CHECKER, model::Content},
    replace_file::replace_file,
    sync::layout::bundle_manifest_sha256,
};

#[derive(Serialize, Deserialize)]
pub struct Cover {
    /// The checker build that found the bundle clean (the content model is part of it).
    checker: String,
    manifest_sha256: String,
    /// The clock of that check: nothing in the bundle was in the future then.
    checked_at: NaiveDateTime,
    pub bundle_version: u64,
    pub created_at: DateTime<Utc>,
    pub to_come: ToCome,
    /// The content without its documents and 解读.
    pub content: Content,
}

impl Cover {
    /// The cover of content checked clean at `checked_at`, from the bundle whose manifest has
    /// SHA-256 `manifest_sha256`.
    pub fn of(content: &Content, manifest_sha256: String, bundle: (u64, DateTime<Utc>), checked_at: NaiveDateTime) -> Self {
        // Field by field: the large parts are never cloned, and a part added to `Content`
        // must be placed here before this compiles.
        let Content {
            site,
            catalogue,
            documents,
            interpretations,
            key_work,
            admin_results,
            disclosure_stats,
            consultations,
            service_guides,
            notices,
            communities,
        } = content;
        let content = Content {
            site: site.clone(),
            catalogue: catalogue.clone(),
            documents: Vec::new(),
            interpretations: Vec::new(),
            key_work: key_work.clone(),
            admin_results: admin_results.clone(),
            disclosure_stats: disclosure_stats.clone(),
            consultations: consultations.clone(),
            service_guides: service_guides.clone(),
            notices: notices.clone(),
            communities: communities.clone(),
        };
        Self {
            checker: CHECKER.into(),
            manifest_sha256,
            checked_at,
            bundle_version: bundle.0,
            created_at: bundle.1,
            to_come: ToCome::of(documents, interpretations),
            content,
        }
    }

    /// The saved cover of the bundle whose manifest has this SHA-256, if this checker build
    /// saved it and its check was not later than `now`.
    pub fn open(folder: &Path, manifest_sha256: &str, now: NaiveDateTime) -> Option<Self> {
        let cover: Self = serde_json::from_slice(&fs::read(path_in(folder, manifest_sha256)).ok()?).ok()?;
        (cover.checker == CHECKER && cover.manifest_sha256 == manifest_sha256 && cover.checked_at <= now).then_some(cover)
    }

    /// Saves the cover in `folder` and removes the older ones there.
    pub fn save(&self, folder: &Path) -> io::Result<()> {
        fs::create_dir_all(folder)?;
        let path = path_in(folder, &self.manifest_sha256);
        replace_file(&path, &serde_json::to_vec(self).map_err(io::Error::other)?)?;
        // Another writer's file being written (`.new`) is left to it.
        for older in fs::read_dir(folder)?.flatten().map(|entry| entry.path()) {
            if older != path && older.extension().is_some_and(|e| e == "json") {
                let _ = fs::remove_file(older);
            }
        }
        Ok(())
    }

    /// Removes the saved cover of the bundle whose manifest has this SHA-256, if any: that
    /// bundle was refused, and the next start checks it before showing anything of it.
    pub fn forget(folder: &Path, manifest_sha256: &str) {
        let _ = fs::remove_file(path_in(folder, manifest_sha256));
    }
}

/// Saves the cover of `library`, checked clean at `checked_at`, in the covers folder.
/// `bundle` is its version and build time.
pub fn save_cover(library: &Library, bundle: (u64, DateTime<Utc>), checked_at: NaiveDateTime) -> Result<PathBuf, String> {
    let folder = covers_folder().ok_or("no cache folder (neither XDG_CACHE_HOME nor HOME is set)")?;
    let manifest = bundle_manifest_sha256(&library.folder).ok_or_else(|| format!("{}: no manifest", library.folder.display()))?;
    Cover::of(&library.content, manifest, bundle, checked_at).save(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    Ok(folder)
}

/// Where a kiosk keeps its cover: `$XDG_CACHE_HOME/gongkai/covers`, else under `~/.cache`.
pub fn covers_folder() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|home| PathBuf::from(home).join(".cache")))?;
    Some(cache.join("gongkai").join("covers"))
}

fn path_in(folder: &Path, manifest_sha256: &str) -> PathBuf {
    folder.join(format!("{manifest_sha256}.json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        content::check::{CheckOptions, check_bundle},
        library::Library,
    };

    #[test]
    fn a_cover_holds_all_but_the_documents_and_opens_only_for_its_manifest_checker_and_a_later_clock() {
        let demo = Path::new(crate::config::SOURCE_TREE_ASSETS).join("demo");
        let options = CheckOptions::at_local_now();
        let checked = check_bundle(&demo, &options);
        assert!(checked.is_clean());
        let dir = tempfile::tempdir().unwrap();
        let (this, other) = ("a".repeat(64), "b".repeat(64));
        let built = Utc::now();
        Cover::of(&checked.content, this.clone(), (7, built), options.now).save(dir.path()).unwrap();

        let opened = Cover::open(dir.path(), &this, options.now).expect("the cover just saved");
        let interpretations = &checked.content.interpretations;
        let illustrated = interpretations.iter().filter(|i| i.is_illustrated()).count();
        assert!(illustrated > 0 && illustrated < interpretations.len());
        let to_come = ToCome { documents: checked.content.documents.len(), interpretations: interpretations.len(), illustrated };
        assert_eq!((opened.bundle_version, opened.created_at, opened.to_come), (7, built, to_come));
        let small_parts = Content { documents: Vec::new(), interpretations: Vec::new(), ..checked.content.clone() };
        assert_eq!(serde_json::to_value(&opened.content).unwrap(), serde_json::to_value(&small_parts).unwrap());
        let library = Library::of_cover(opened, &demo);
        assert!(!library.is_complete());
        assert_eq!(library.to_come(), to_come);
        assert_eq!(Library::new(checked.content.clone(), &demo).to_come(), to_come, "the same counts once loaded");

        assert!(Cover::open(dir.path(), &other, options.now).is_none(), "another manifest");
        let earlier = options.now - chrono::Duration::hours(1);
        assert!(Cover::open(dir.path(), &this, earlier).is_none(), "a clock set back");
        let path = path_in(dir.path(), &this);
        let mut saved: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        saved["checker"] = "another build".into();
        fs::write(&path, serde_json::to_vec(&saved).unwrap()).unwrap();
        assert!(Cover::open(dir.path(), &this, options.now).is_none(), "another checker build");
        fs::write(&path, b"{").unwrap();
        assert!(Cover::open(dir.path(), &this, options.now).is_none(), "a damaged cover");

        Cover::of(&checked.content, other.clone(), (8, built), options.now).save(dir.path()).unwrap();
        let kept: Vec<PathBuf> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.path()).collect();
        assert_eq!(kept, vec![path_in(dir.path(), &other)], "only the newest cover is kept");
    }
}
