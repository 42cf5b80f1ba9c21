//! The content workspace: today's content as items that staff find, read and (for documents)
//! edit in the console (`console::content`, `console::document_form`), kept in the store. It is filled from a bundle that passes the
//! checker (`gongkai-hub content import-bundle`), and written out as a content folder that
//! `gongkai content build` makes into the next bundle (`gongkai-hub content export`).

pub mod annual_figures;
pub mod attachments;
pub mod documents;
pub mod import;
pub mod items;
pub mod lists;
pub mod logo;
pub mod references;
pub mod review;

use std::path::Path;

use gongkai_core::{
    content::{
        bundle_files::{MANIFEST, unconfined_reason},
        check::CheckOptions,
        living_demo::DemoClock,
        manifest::Manifest,
        model::Site,
        workspace::{Kind, read_bundle, write_source},
    },
    sync::layout::{PUBLISHED_MANIFEST, object_path},
};

use crate::submissions::store::{Store, StoreError};

/// Who the command line acts as in the audit log.
pub const OPERATOR: &str = "运维（命令行）";

/// The clock an item of the workspace is checked against, as the bundle checker will check
/// it at 送审: the hall's local time, or for demo content the end of the day it was written.
pub fn check_options(store: &dyn Store) -> Result<CheckOptions, StoreError> {
    let site = store.workspace_item(Kind::Site, "site")?.and_then(|entry| serde_json::from_value::<Site>(entry.item.body).ok());
    Ok(CheckOptions { now: DemoClock::for_site(site.as_ref(), CheckOptions::at_local_now().now).checked_at })
}

/// What an import brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub items: usize,
    pub files: usize,
}

/// Loads the bundle `dir` into the workspace, in one transaction. A workspace that already
/// holds content is replaced only when `replace` says so: staff's work is not lost by a slip.
pub fn import_bundle(store: &dyn Store, dir: &Path, replace: bool) -> Result<Imported, String> {
    let held: u64 = store.workspace_counts().map_err(|e| e.to_string())?.values().sum();
    if held > 0 && !replace {
        return Err(format!("the workspace already holds {held} items; add --replace to put this bundle in their place (changes made since are lost)"));
    }
    let (items, files) = read_bundle(dir, &CheckOptions::at_local_now()).map_err(|problems| {
        let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
        format!("{}: the bundle fails the checker; nothing imported:\n{}", dir.display(), listed.join("\n"))
    })?;
    let imported = Imported { items: items.len(), files: files.len() };
    store.workspace_replace(items, files, OPERATOR, chrono::Utc::now().timestamp()).map_err(|e| e.to_string())?;
    let detail = format!("导入内容包：{}，{} 条内容，{} 个文件{}", dir.display(), imported.items, imported.files, if held > 0 { "，替换了原有内容" } else { "" });
    store.audit(OPERATOR, "导入内容包", &detail).map_err(|e| e.to_string())?;
    Ok(imported)
}

/// Loads the bundle published in the data folder `data` into the workspace, as
/// `import_bundle` does.
pub fn import_published(store: &dyn Store, data: &Path, replace: bool) -> Result<Imported, String> {
    with_published(data, "import", |folder, _| import_bundle(store, folder, replace))
}

/// Runs `work` on the bundle published in `data` (with its manifest), its files put together
/// from the published objects in a folder of the data folder's, removed afterwards.
pub fn with_published<R>(data: &Path, purpose: &str, work: impl FnOnce(&Path, &Manifest) -> Result<R, String>) -> Result<R, String> {
    with_manifest(data, &data.join(PUBLISHED_MANIFEST), purpose, work)
}

/// As `with_published`, for the bundle of the manifest at `manifest_path`, whose files are
/// among the objects of `data`.
pub fn with_manifest<R>(data: &Path, manifest_path: &Path, purpose: &str, work: impl FnOnce(&Path, &Manifest) -> Result<R, String>) -> Result<R, String> {
    let manifest_bytes = std::fs::read(manifest_path).map_err(|e| format!("{}: {e} (nothing published yet?)", manifest_path.display()))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let unique = hex::encode(gongkai_core::random::bytes::<6>().map_err(|e| format!("/dev/urandom: {e}"))?);
    let folder = data.join(format!(".{purpose}-{unique}"));
    let assembled = (|| {
        for entry in &manifest.files {
            if let Some(reason) = unconfined_reason(&entry.path) {
                return Err(format!("published manifest: {}: {reason}", entry.path));
            }
            let target = folder.join(&entry.path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            let object = data.join(object_path(&entry.sha256));
            std::fs::copy(&object, &target).map_err(|e| format!("{}: {e}", object.display()))?;
        }
        std::fs::write(folder.join(MANIFEST), &manifest_bytes).map_err(|e| format!("{}: {e}", folder.display()))
    })();
    let done = assembled.and_then(|()| work(&folder, &manifest));
    let _ = std::fs::remove_dir_all(&folder);
    done
}

/// Writes the workspace as the content folder `dir` (new, or empty); returns how many items.
pub fn export_source(store: &dyn Store, dir: &Path) -> Result<usize, String> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(format!("{}: exists and is not empty; choose a new folder", dir.display()));
    }
    let (items, files) = store.workspace_all().map_err(|e| e.to_string())?;
    if items.is_empty() {
        return Err("the workspace is empty; import a bundle first (content import-bundle)".into());
    }
    write_source(&items, &files, dir).map_err(|e| format!("{e:#}"))?;
    Ok(items.len())
}

/// What staff call a field; a field not named here shows as it is written.
pub fn field_label(name: &str) -> &str {
    match name {
        "id" => "编号",
        "index_no" => "索引号",
        "doc_no" => "文号",
        "title" => "标题",
        "name" => "名称",
        "issuer" => "发文机关",
        "written_on" => "成文日期",
        "published_on" => "发布日期",
        "topic" => "主题分类",
        "domain" => "所属领域",
        "disclosure" => "公开属性",
        "validity" => "有效性",
        "body" => "正文",
        "attachments" => "附件",
        "interpretations" => "相关解读",
        "document" => "解读的文件",
        "author" => "解读机关",
        "department" => "部门",
        "summary" => "摘要",
        "category" => "类别",
        "lead" => "牵头单位",
        "status" => "状态",
        "progress" => "进度",
        "month" => "月份",
        "year" => "年度",
        "kind" => "类型",
        "items" => "事项",
        "milestones" => "里程碑",
        "co" => "配合单位",
        "target" => "目标任务",
        "updated_on" => "更新日期",
        "level" => "级别",
        "published_at" => "发布时间",
        "expires_at" => "截止时间",
        "decided_on" => "决定日期",
        "party" => "行政相对人",
        other => other,
    }
}
