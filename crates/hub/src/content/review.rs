//! From the workspace to the screens. An author submits the workspace as a 送审稿: the
//! would-be bundle, built and checked by the bundle checker, with what it changes against the
//! bundle the kiosks show and the checker's report. Another member of staff with the 审核
//! role confirms 保密审查 and approves it: the hub signs it with its publisher key and
//! publishes it as the next version, at once or at the 发布时间 they set. Or they send it
//! back with a reason (a scheduled one too, until its time). And when a
//! publish must come off the screens at once, a reviewer withdraws it (撤回): the content of
//! the version before is published again, as the next version.

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
        build::{BuildOptions, build_bundle, restamp},
        changes::{Change, Changes},
        check::{CheckOptions, Place, Problem},
        manifest::{Manifest, version_from_time},
        workspace::{Item, read_items, write_source},
    },
    signing::sign_bundle,
    sync::layout::PUBLISHED_MANIFEST,
};

use super::{documents::in_chinese, field_label, with_manifest, with_published};
use crate::{
    local_time::local_time,
    publish::{PublishRecord, kept_manifest, publish_checked, publish_records, published_version},
    submissions::store::{Decision, NewReview, Review, ReviewState, Store},
};

/// Where the would-be bundles are kept, in the data folder (never served).
pub const REVIEWS_DIR: &str = "reviews";

const NO_KEY: &str = "本中心尚未配置发布密钥（gongkai-hub serve --publisher-key），无法发布；请联系运维人员。";

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
    if let Some(open) = open_review(store)? {
        return Err(match open.publish_at {
            Some(at) => format!("送审稿 #{} 已批准，将于 {} 发布；发布或退回后才能再次送审。", open.id, local_time(at)),
            None => format!("送审稿 #{} 正在等待审核；审核人批准或退回后才能再次送审。", open.id),
        });
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

/// How far ahead a 发布时间 may be set.
const LONGEST_SCHEDULE_S: i64 = 90 * 24 * 3600;

/// Approves review `id` as `reviewer`, who has confirmed 保密审查: the bundle is stamped with
/// the next version, checked again, signed with `key` and published; or, given a 发布时间
/// `publish_at`, left for `publish_due` to publish then. Returns the version published now.
/// Publishing is the caller's one at a time.
pub fn approve(
    store: &dyn Store,
    data: &Path,
    key: Option<&SigningKey>,
    reviewer: &str,
    id: i64,
    secrecy_confirmed: bool,
    publish_at: Option<i64>,
) -> Result<Option<u64>, String> {
    let key = key.ok_or(NO_KEY)?;
    let review = store.review(id).map_err(|e| e.to_string())?.ok_or("没有这份送审稿。")?;
    if review.state != ReviewState::Pending {
        return Err(format!("送审稿 #{id} 的状态为「{}」，不能再批准。", review.state.label()));
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
    let now = Utc::now().timestamp();
    if let Some(at) = publish_at {
        if at <= now {
            return Err("发布时间须晚于当前时间；如需立即发布，请将发布时间留空。".into());
        }
        if at > now + LONGEST_SCHEDULE_S {
            return Err("发布时间须在 90 天以内。".into());
        }
        unchanged_since_submitted(data, &review).map_err(|e| format!("{e}请退回后重新送审。"))?;
        let detail = format!("批准定时发布：送审稿 #{id}，将于 {} 发布；审核人确认已完成保密审查", local_time(at));
        let decision = Decision::Scheduled { publish_at: at, secrecy_confirmed_at: now };
        store.decide_review(id, reviewer, decision, ("批准定时发布", &detail)).map_err(|e| e.to_string())?;
        return Ok(None);
    }
    let version = published_as(data, &review, key).map_err(|e| match e {
        NotPublished::Refused(reason) => format!("{reason}请退回后修改或重新送审。"),
        NotPublished::Failed(fault) => fault,
    })?;
    let detail = format!("批准发布：送审稿 #{id}，已发布为第 {version} 版；审核人确认已完成保密审查");
    let decision = Decision::Approved { version, secrecy_confirmed_at: now };
    store.decide_review(id, reviewer, decision, ("批准发布", &detail)).map_err(|e| e.to_string())?;
    // Its files are among the published objects now.
    let _ = fs::remove_dir_all(data.join(&review.submitted.folder));
    Ok(Some(version))
}

/// Who sends back a scheduled review that can no longer be published, in the audit log.
const SCHEDULER: &str = "系统（定时发布）";

/// Publishes the review approved for a 发布时间 that has come, if any, as the reviewer who
/// approved it. One that can no longer be published as it was reviewed (other content was
/// published since, or it fails the checker now) is sent back with the reason, for its
/// author to see; a fault (a full disk) is returned, to be tried again. Returns what was
/// done, for the log. Publishing is the caller's one at a time.
pub fn publish_due(store: &dyn Store, data: &Path, key: &SigningKey, now: i64) -> Result<Option<String>, String> {
    let Some(review) = store.due_review(now).map_err(|e| e.to_string())? else { return Ok(None) };
    let id = review.id;
    let when = local_time(review.publish_at.unwrap_or(now));
    let done = match published_as(data, &review, key) {
        Ok(version) => {
            let reviewer = review.decided_by.clone().unwrap_or_default();
            let detail = format!("定时发布：送审稿 #{id}，发布时间 {when}，已发布为第 {version} 版");
            let decision = Decision::Approved { version, secrecy_confirmed_at: review.secrecy_confirmed_at.unwrap_or(now) };
            store.decide_review(id, &reviewer, decision, ("定时发布", &detail)).map_err(|e| e.to_string())?;
            detail
        }
        Err(NotPublished::Refused(reason)) => {
            let reason = format!("原定于 {when} 的定时发布未能完成：{reason}请修改后重新送审。");
            let detail = format!("退回：送审稿 #{id}，理由：{reason}");
            store.decide_review(id, SCHEDULER, Decision::Returned { reason }, ("退回", &detail)).map_err(|e| e.to_string())?;
            detail
        }
        Err(NotPublished::Failed(fault)) => return Err(format!("送审稿 #{id}: {fault}")),
    };
    let _ = fs::remove_dir_all(data.join(&review.submitted.folder));
    Ok(Some(done))
}

/// Why a review's bundle was not published.
enum NotPublished {
    /// It can no longer be published as reviewed; the reason is for staff.
    Refused(String),
    /// The data folder failed.
    Failed(String),
}

/// Publishes the bundle of `review` as the next version; returns it. Published already when
/// the hub stopped before the decision was recorded.
fn published_as(data: &Path, review: &Review, key: &SigningKey) -> Result<u64, NotPublished> {
    let bundle = data.join(&review.submitted.folder);
    if already_published(data, &bundle) {
        return Ok(published_version(data).map_err(NotPublished::Failed)?.unwrap_or_default());
    }
    let published = unchanged_since_submitted(data, review).map_err(NotPublished::Refused)?;
    let manifest = stamp_and_sign(&bundle, published, key).map_err(|e| NotPublished::Refused(format!("{e}；")))?;
    publish_checked(&bundle, data, manifest, None).map(|manifest| manifest.bundle_version).map_err(NotPublished::Failed)
}

/// The published version, when it is still the one `review` was compared with: the changes
/// the reviewer read are then the changes published.
fn unchanged_since_submitted(data: &Path, review: &Review) -> Result<u64, String> {
    let published = published_version(data)?.unwrap_or(0);
    if published != review.submitted.base_version {
        return Err(format!("送审后终端的内容已另行发布为第 {published} 版，这份送审稿列出的修改已不准确。"));
    }
    Ok(published)
}

/// Stamps the built bundle folder `bundle` in place as the version after `published`, checks
/// it as of now and signs it; returns its manifest, to be published without a second check.
fn stamp_and_sign(bundle: &Path, published: u64, key: &SigningKey) -> Result<Manifest, String> {
    let options = BuildOptions { bundle_version: Some(next_version(published)), created_at: Utc::now(), check: CheckOptions::at_local_now() };
    let checked = restamp(bundle, &options).map_err(|e| format!("{e:#}"))?;
    if let Some(problem) = checked.problems.first() {
        return Err(format!("发布前的内容检查未通过（{} 处），第一处：{}：{}", checked.problems.len(), problem.file, in_chinese(&problem.reason)));
    }
    sign_bundle(bundle, key)?;
    checked.manifest.ok_or_else(|| format!("{}: no manifest", bundle.display()))
}

/// What 撤回 would do now: the version the kiosks show, and the earlier publish whose content
/// it publishes again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub shown: u64,
    pub restores: PublishRecord,
}

/// The withdrawal open now: the latest publish before the one shown whose manifest is kept.
/// A version that was itself a 撤回 counts as the version it restored (a 撤回 records the
/// version that first published the content), so withdrawing again goes one further back
/// instead of bringing back what was withdrawn.
pub fn withdrawal(data: &Path) -> Option<Withdrawal> {
    let shown = published_version(data).ok()??;
    let records = publish_records(data);
    let origin = records.iter().rev().find(|r| r.version == shown).map_or(shown, PublishRecord::origin);
    let restores = records.iter().rev().find(|r| r.version < origin && data.join(kept_manifest(&r.manifest_sha)).is_file())?;
    Some(Withdrawal { shown, restores: restores.clone() })
}

/// 撤回 as `staff`, who saw version `shown` on the screens and confirmed: the content of the
/// publish before it is signed with `key` and published as the next version. The workspace
/// keeps its changes, to be corrected and submitted again; a review still open (its changes
/// were listed against the content withdrawn) is sent back. Returns the new version.
/// Publishing is the caller's one at a time.
pub fn withdraw(store: &dyn Store, data: &Path, key: Option<&SigningKey>, staff: &str, shown: u64) -> Result<u64, String> {
    let key = key.ok_or(NO_KEY)?;
    let withdrawal = withdrawal(data).ok_or("没有可以恢复的上一版。")?;
    if withdrawal.shown != shown {
        return Err(format!("终端的内容已变为第 {} 版；请看清后重新确认撤回。", withdrawal.shown));
    }
    let restored = withdrawal.restores;
    let version = with_manifest(data, &data.join(kept_manifest(&restored.manifest_sha)), "withdraw", |bundle, _| {
        let manifest = stamp_and_sign(bundle, shown, key)?;
        Ok(publish_checked(bundle, data, manifest, Some(restored.origin()))?.bundle_version)
    })?;
    let detail = format!("撤回：终端内容由第 {shown} 版恢复为第 {} 版的内容，重新发布为第 {version} 版", restored.version);
    store.audit(staff, "撤回", &detail).map_err(|e| e.to_string())?;
    if let Some(open) = open_review(store)? {
        let reason = format!("第 {shown} 版已撤回，终端内容已变更，这份送审稿列出的修改已不准确；请修改后重新送审。");
        send_back(store, data, staff, open.id, &reason)?;
    }
    Ok(version)
}

/// Sends review `id` back to its author with `reason`; its would-be bundle is removed.
pub fn send_back(store: &dyn Store, data: &Path, reviewer: &str, id: i64, reason: &str) -> Result<(), String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err("请写明退回理由，作者据此修改。".into());
    }
    let review = store.review(id).map_err(|e| e.to_string())?.ok_or("没有这份送审稿。")?;
    if !review.is_open() {
        return Err(format!("送审稿 #{id} 的状态为「{}」，不能再退回。", review.state.label()));
    }
    let detail = format!("退回：送审稿 #{id}，理由：{reason}");
    store.decide_review(id, reviewer, Decision::Returned { reason: reason.to_string() }, ("退回", &detail)).map_err(|e| e.to_string())?;
    let _ = fs::remove_dir_all(data.join(&review.submitted.folder));
    Ok(())
}

/// The review still open (waiting, or approved for a later 发布时间), if any: at most one is,
/// and no review is submitted after it.
fn open_review(store: &dyn Store) -> Result<Option<Review>, String> {
    Ok(store.reviews(1).map_err(|e| e.to_string())?.into_iter().find(Review::is_open))
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
