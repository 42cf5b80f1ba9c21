//! From the workspace to the screens. An author submits the workspace as a 送审稿: the
//! would-be bundle, built and checked by the bundle checker, with what it changes against the
//! bundle the kiosks show and the checker's report. Another member of staff with the 审核
//! role confirms 保密审查 and approves it: the hub signs it with its publisher key and
//! publishes it as the next version. Or they send it back with a reason.

use std::{
    collections::BTreeMap,
    fs,
    path::Path,
};

use chrono::Utc;
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

use gongkai_core::{
    content::{
        bundle_files::MANIFEST,
        build::{BuildOptions, build_bundle},
        changes::{Change, Changes},
        check::{CheckOptions, Place, Problem},
        manifest::version_from_time,
        workspace::{Item, read_items, write_source},
    },
    signing::sign_bundle,
    sync::layout::PUBLISHED_MANIFEST,
};

use super::{documents::in_chinese, field_label, with_published};
use crate::{
    publish::{publish, published_version},
    submissions::store::{Decision, NewReview, ReviewState, Store},
};

/// Where the would-be bundles are kept, in the data folder (never served).
pub const REVIEWS_DIR: &str = "reviews";

/// The checker's report on a would-be bundle, as the reviewer reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The hall's local time of the check.
    pub checked_at: String,
    pub files: usize,
    pub bytes: u64,
    /// Items of each kind (by its label) in the would-be bundle.
    pub items: Vec<(String, usize)>,
}

/// Submits the whole workspace for review as `staff`; returns the review's number.
pub fn submit(store: &dyn Store, data: &Path, staff: &str) -> Result<i64, String> {
    if let Some(waiting) = store.reviews(1).map_err(|e| e.to_string())?.into_iter().find(|r| r.state == ReviewState::Pending) {
        return Err(format!("送审稿 #{} 正在等待审核；审核人批准或退回后才能再次送审。", waiting.id));
    }
    let (items, files) = store.workspace_all().map_err(|e| e.to_string())?;
    if items.is_empty() {
        return Err("内容工作区是空的，没有可以送审的内容。".into());
    }
    let (base_version, before) = match published_version(data)? {
        Some(version) => (version, with_published(data, "review", |folder, _| read_items(folder).map_err(|e| format!("{e:#}")))?),
        None => (0, Default::default()),
    };
    let changes = Changes::between((&before.0, &before.1), (&items, &files));
    if changes.is_empty() {
        return Err(format!("工作区的内容与终端正在显示的第 {base_version} 版相同，没有需要送审的修改。"));
    }
    let reviews = data.join(REVIEWS_DIR);
    clear_interrupted(&reviews);
    let now = Utc::now();
    let name = format!("{}-{}", now.format("%Y%m%d%H%M%S"), hex::encode(gongkai_core::random::bytes::<4>().map_err(|e| e.to_string())?));
    let (source, bundle) = (reviews.join(format!(".{name}.source")), reviews.join(&name));
    write_source(&items, &files, &source).map_err(|e| format!("{e:#}"))?;
    let options = BuildOptions { bundle_version: Some(next_version(base_version)), created_at: now, check: CheckOptions::at_local_now() };
    let built = build_bundle(&source, &bundle, &options);
    let _ = fs::remove_dir_all(&source);
    let checked = built.map_err(|e| format!("{e:#}"))?;
    if !checked.is_clean() {
        let listed: Vec<String> = checked.problems.iter().map(|p| described(p, &items)).collect();
        return Err(format!("内容检查未通过，没有送审。请先修改以下 {} 处：\n{}", listed.len(), listed.join("\n")));
    }
    let manifest = checked.manifest.ok_or("the built bundle has no manifest")?;
    let mut counts: BTreeMap<_, usize> = BTreeMap::new();
    for item in &items {
        *counts.entry(item.kind).or_default() += 1;
    }
    let report = Report {
        checked_at: options.check.now.format("%Y-%m-%d %H:%M").to_string(),
        files: manifest.files.len(),
        bytes: manifest.files.iter().map(|f| f.size).sum(),
        items: counts.into_iter().map(|(kind, n)| (kind.label().to_string(), n)).collect(),
    };
    let touched: Vec<_> = changes.items.iter().filter(|c| c.change != Change::Removed).map(|c| (c.kind, c.id.clone())).collect();
    let mut authors: Vec<String> = store.workspace_editors(&touched).map_err(|e| e.to_string())?.into_iter().collect();
    if !authors.iter().any(|a| a == staff) {
        authors.push(staff.to_string());
    }
    let counted = [Change::Added, Change::Changed, Change::Removed].map(|c| changes.count(c) as u64);
    let detail = format!(
        "送审：送审稿 #{{id}}，新增 {} 项、修改 {} 项、删除 {} 项，文件变更 {} 个",
        counted[0],
        counted[1],
        counted[2],
        changes.files.len()
    );
    let review = NewReview {
        folder: format!("{REVIEWS_DIR}/{name}"),
        submitted_by: staff.to_string(),
        submitted_at: now.timestamp(),
        authors,
        base_version,
        changes: serde_json::to_string(&changes).map_err(|e| e.to_string())?,
        report: serde_json::to_string(&report).map_err(|e| e.to_string())?,
        counts: counted,
    };
    store.add_review(review, ("送审", &detail)).map_err(|e| {
        let _ = fs::remove_dir_all(&bundle);
        e.to_string()
    })
}

/// Approves review `id` as `reviewer`, who has confirmed 保密审查: the bundle is stamped with
/// the next version, checked again, signed with `key` and published. Returns the version.
/// Publishing is the caller's one at a time.
pub fn approve(store: &dyn Store, data: &Path, key: Option<&SigningKey>, reviewer: &str, id: i64, secrecy_confirmed: bool) -> Result<u64, String> {
    let key = key.ok_or("本中心尚未配置发布密钥（gongkai-hub serve --publisher-key），无法发布；请联系运维人员。")?;
    let review = store.review(id).map_err(|e| e.to_string())?.ok_or("没有这份送审稿。")?;
    if review.state != ReviewState::Pending {
        return Err(format!("送审稿 #{id} {}，不能再批准。", review.state.label()));
    }
    if review.submitted.submitted_by == reviewer {
        return Err("不能批准自己提交的送审稿；请由另一位有审核角色的同事审核。".into());
    }
    if review.submitted.authors.iter().any(|a| a == reviewer) {
        return Err("这份送审稿中有您修改的内容，不能由您批准；请由另一位有审核角色的同事审核。".into());
    }
    if !secrecy_confirmed {
        return Err("请先勾选确认已完成保密审查，再批准发布。".into());
    }
    let bundle = data.join(&review.submitted.folder);
    let version = if already_published(data, &bundle) {
        // Published before the decision was recorded (the hub stopped in between).
        published_version(data)?.unwrap_or_default()
    } else {
        let published = published_version(data)?.unwrap_or(0);
        if published != review.submitted.base_version {
            return Err(format!(
                "送审后终端的内容已另行发布为第 {published} 版，这份送审稿列出的修改已不准确；请退回后重新送审。"
            ));
        }
        let options = BuildOptions { bundle_version: Some(next_version(published)), created_at: Utc::now(), check: CheckOptions::at_local_now() };
        let checked = build_bundle(&bundle, &bundle, &options).map_err(|e| format!("{e:#}"))?;
        if let Some(problem) = checked.problems.first() {
            return Err(format!("发布前的内容检查未通过（{} 处），第一处：{problem}；请退回后修改。", checked.problems.len()));
        }
        sign_bundle(&bundle, key)?;
        publish(&bundle, data)?.bundle_version
    };
    let detail = format!("批准发布：送审稿 #{id}，已发布为第 {version} 版；审核人确认已完成保密审查");
    let decision = Decision::Approved { version, secrecy_confirmed_at: Utc::now().timestamp() };
    store.decide_review(id, reviewer, decision, ("批准发布", &detail)).map_err(|e| e.to_string())?;
    Ok(version)
}

/// Sends review `id` back to its author with `reason`; its would-be bundle is removed.
pub fn send_back(store: &dyn Store, data: &Path, reviewer: &str, id: i64, reason: &str) -> Result<(), String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err("请写明退回理由，作者据此修改。".into());
    }
    let review = store.review(id).map_err(|e| e.to_string())?.ok_or("没有这份送审稿。")?;
    if review.state != ReviewState::Pending {
        return Err(format!("送审稿 #{id} {}，不能再退回。", review.state.label()));
    }
    let detail = format!("退回：送审稿 #{id}，理由：{reason}");
    store.decide_review(id, reviewer, Decision::Returned { reason: reason.to_string() }, ("退回", &detail)).map_err(|e| e.to_string())?;
    let _ = fs::remove_dir_all(data.join(&review.submitted.folder));
    Ok(())
}

/// A version above `published` and, as `gongkai content build` numbers them, the time now.
fn next_version(published: u64) -> u64 {
    version_from_time(Utc::now()).max(published + 1)
}

fn already_published(data: &Path, bundle: &Path) -> bool {
    matches!((fs::read(data.join(PUBLISHED_MANIFEST)), fs::read(bundle.join(MANIFEST))), (Ok(published), Ok(ours)) if published == ours)
}

/// Removes what a submission stopped midway (the hub killed while building) left behind.
fn clear_interrupted(reviews: &Path) {
    for entry in fs::read_dir(reviews).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// A problem of the would-be bundle, named by the item and field it is in.
fn described(problem: &Problem, items: &[Item]) -> String {
    let reason = in_chinese(&problem.reason);
    let Place::Json(path) = &problem.place else { return format!("{}：{reason}", problem.file) };
    let position = path.split(['[', ']']).nth(1).and_then(|n| n.parse::<i64>().ok());
    let item = position.and_then(|position| items.iter().find(|i| i.file == problem.file && i.position == position));
    match item {
        Some(item) => {
            let field = path.rsplit(['.', ']']).next().filter(|f| !f.is_empty()).unwrap_or_default();
            let field = if field.is_empty() { String::new() } else { format!("的「{}」", field_label(field)) };
            format!("{}「{}」（编号 {}）{field}：{reason}", item.kind.label(), item.kind.title_of(&item.body, &item.id), item.id)
        }
        None => format!("{} {path}：{reason}", problem.file),
    }
}
