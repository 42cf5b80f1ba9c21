//! The annual report's figures written into that year's 政务公开统计 in the workspace, so that
//! the wall's 政务公开现状 shows the office's own numbers once the change is reviewed and
//! published: 依申请公开 received, carried in, answered by group and carried on (section 三),
//! and the 复议 and 诉讼 by result (section 四). 主动公开 figures stay as staff entered them.

use serde_json::{Value, json};

use super::{check_options, documents::{Refused, in_chinese}, items::{place, same}};
use crate::{
    reports::{appeals::Appeals, applications::{Applications, COLUMNS}},
    submissions::{appeal::AppealKind, outcome::Section, store::Store},
};
use gongkai_core::content::{
    check::check_item,
    workspace::{Item, Kind},
};

/// What writing the figures did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The year's 政务公开统计 was added or changed.
    Saved,
    /// It holds these figures already.
    Unchanged,
}

/// Writes the figures of `applications` and `appeals` (of one year) into the workspace as
/// `staff`. Refused while answers of the year are still to be classified: the figures would
/// not add up.
pub fn write(store: &dyn Store, applications: &Applications, appeals: &Appeals, staff: &str) -> Result<Written, Refused> {
    let whole = |reason: String| Refused::Invalid([(String::new(), vec![reason])].into());
    if !applications.breaks().is_empty() {
        return Err(whole("年度报告的勾稽关系不成立（有答复尚未归入类别），请先完成年报归类，再写入政务公开统计。".into()));
    }
    let kind = Kind::DisclosureStats;
    let year = applications.year;
    let id = year.to_string();
    let current = store.workspace_item(kind, &id)?;
    let mut body = current.as_ref().map_or_else(|| json!({ "year": year, "proactive": [] }), |entry| entry.item.body.clone());
    let count = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let total = |counts: &[u64; COLUMNS]| count(counts[COLUMNS - 1]);
    let outcomes: Vec<Value> = Section::ALL
        .iter()
        .map(|section| {
            let answered: u64 = applications.results.iter().filter(|row| row.section == *section).map(|row| row.counts[COLUMNS - 1]).sum();
            json!({ "kind": section.name(), "count": count(answered) })
        })
        .collect();
    body["requests"] = json!({
        "received": total(&applications.received),
        "carried_over": total(&applications.carried_in),
        "outcomes": outcomes,
        "carried_forward": total(&applications.carried_out),
    });
    let results = |kinds: &[AppealKind]| {
        let column = |i: usize| count(kinds.iter().map(|kind| appeals.counts[*kind as usize][i]).sum());
        json!({ "upheld": column(0), "corrected": column(1), "other": column(2), "pending": column(3) })
    };
    body["reviews"] = results(&[AppealKind::Review]);
    body["lawsuits"] = results(&[AppealKind::LawsuitDirect, AppealKind::LawsuitAfterReview]);

    let problems: Vec<String> = check_item(kind, &body, &check_options(store)?).iter().map(|p| in_chinese(&p.reason)).collect();
    if !problems.is_empty() {
        return Err(Refused::Invalid([(String::new(), problems)].into()));
    }
    if current.as_ref().is_some_and(|entry| same(&entry.item.body, &body)) {
        return Ok(Written::Unchanged);
    }
    let (file, position) = place(store, kind, current.as_ref())?;
    let action = if current.is_some() { "修改内容" } else { "新建内容" };
    let detail = format!("{action}：{} {id}，写入 {year} 年度报告的依申请公开和复议、诉讼数字", kind.label());
    let item = Item { kind, id, file, position, body };
    store.workspace_save(item, current.map(|entry| entry.revision), staff, (action, &detail))?;
    Ok(Written::Saved)
}
