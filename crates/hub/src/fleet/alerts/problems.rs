//! What is wrong with a kiosk, and what changed since the last alert: the text of an alert.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::fleet::{ContentStatus, KioskSummary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Offline,
    Frozen,
    SyncFailing,
}

impl Problem {
    pub fn label(self) -> &'static str {
        match self {
            Problem::Offline => "离线",
            Problem::Frozen => "画面冻结",
            Problem::SyncFailing => "同步失败",
        }
    }
}

/// What is wrong with `kiosk` now, given what was last `alerted`; `None` for a kiosk that
/// never reported (a screen not yet installed is no alert). An offline kiosk's last report
/// says nothing about now: what was alerted before it went offline is not called recovered.
pub fn problems_while_alerted(kiosk: &KioskSummary, alerted: &BTreeSet<Problem>) -> Option<BTreeSet<Problem>> {
    kiosk.report.as_ref()?;
    if !kiosk.online {
        let mut problems = alerted.clone();
        problems.insert(Problem::Offline);
        return Some(problems);
    }
    let mut problems = BTreeSet::new();
    if kiosk.frozen {
        problems.insert(Problem::Frozen);
    }
    if matches!(kiosk.content, ContentStatus::SyncFailing { .. }) {
        problems.insert(Problem::SyncFailing);
    }
    Some(problems)
}

/// A kiosk whose problems differ from those last alerted.
pub struct Change<'a> {
    pub kiosk: &'a KioskSummary,
    pub started: Vec<Problem>,
    pub ended: Vec<Problem>,
    pub now: BTreeSet<Problem>,
}

impl<'a> Change<'a> {
    pub fn between(alerted: &BTreeSet<Problem>, now: BTreeSet<Problem>, kiosk: &'a KioskSummary) -> Option<Self> {
        let started: Vec<Problem> = now.difference(alerted).copied().collect();
        let ended: Vec<Problem> = alerted.difference(&now).copied().collect();
        (!started.is_empty() || !ended.is_empty()).then_some(Change { kiosk, started, ended, now })
    }

    fn labels(problems: &[Problem]) -> String {
        problems.iter().map(|p| p.label()).collect::<Vec<_>>().join("、")
    }

    /// `yunxi-hall-01（云溪区政务服务中心）`
    fn name(&self) -> String {
        match &self.kiosk.hall {
            Some(hall) => format!("{}（{hall}）", self.kiosk.kiosk_id),
            None => self.kiosk.kiosk_id.clone(),
        }
    }

    /// One line: what happened to which kiosk.
    pub fn summary(&self) -> String {
        let name = self.name();
        match (self.started.is_empty(), self.ended.is_empty()) {
            (false, true) => format!("{name}{}", Self::labels(&self.started)),
            (true, _) => format!("{name}{}已恢复", Self::labels(&self.ended)),
            (false, false) => format!("{name}{}（{}已恢复）", Self::labels(&self.started), Self::labels(&self.ended)),
        }
    }

    pub fn subject(&self) -> String {
        let kind = if self.started.is_empty() { "终端恢复" } else { "终端告警" };
        format!("【{kind}】{}", self.summary())
    }

    /// The e-mail body.
    pub fn text(&self, at: &str) -> String {
        let kiosk = self.kiosk;
        let mut lines = vec![format!("终端：{}", kiosk.kiosk_id)];
        lines.push(format!("大厅：{}", kiosk.hall.as_deref().unwrap_or("未登记")));
        if !kiosk.tags.is_empty() {
            lines.push(format!("标签：{}", kiosk.tags.join("、")));
        }
        if !self.started.is_empty() {
            lines.push(format!("出现：{}", Self::labels(&self.started)));
        }
        if !self.ended.is_empty() {
            lines.push(format!("恢复：{}", Self::labels(&self.ended)));
        }
        let now: Vec<Problem> = self.now.iter().copied().collect();
        lines.push(format!("当前：{}", if now.is_empty() { "正常".to_string() } else { Self::labels(&now) }));
        if let Some(seconds) = kiosk.last_seen_s {
            lines.push(format!("最近心跳：{seconds} 秒前"));
        }
        if let ContentStatus::SyncFailing { error } = &kiosk.content {
            lines.push(format!("同步错误：{error}"));
        }
        lines.push(format!("时间：{at}"));
        lines.push("详情请在工作台“终端状态”页查看。".into());
        lines.join("\n") + "\n"
    }

    /// The webhook's JSON body.
    pub fn json(&self, at: &str) -> Value {
        json!({
            "event": if self.started.is_empty() { "recovered" } else { "alert" },
            "kiosk": self.kiosk.kiosk_id,
            "hall": self.kiosk.hall,
            "tags": self.kiosk.tags,
            "started": self.started,
            "ended": self.ended,
            "problems": self.now,
            "summary": self.summary(),
            "at": at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::fleet::KioskReport;

    fn kiosk(online: bool, frozen: bool, content: ContentStatus) -> KioskSummary {
        KioskSummary {
            kiosk_id: "hall-1".into(),
            hall: Some("云溪".into()),
            tags: vec!["街道".into()],
            online,
            last_seen_s: Some(5),
            content_version: Some(3),
            content,
            frozen,
            push_connected: true,
            report: Some(KioskReport::default()),
        }
    }

    #[test]
    fn one_change_at_a_time_and_its_words() {
        let none = BTreeSet::new();
        let down = kiosk(false, false, ContentStatus::Current);
        let now = problems_while_alerted(&down, &none).unwrap();
        let change = Change::between(&none, now.clone(), &down).unwrap();
        assert_eq!(change.subject(), "【终端告警】hall-1（云溪）离线");
        assert!(Change::between(&now, problems_while_alerted(&down, &now).unwrap(), &down).is_none(), "still down: nothing new to say");
        let frozen = kiosk(true, true, ContentStatus::SyncFailing { error: "签名不符".into() });
        let frozen_problems = problems_while_alerted(&frozen, &now).unwrap();
        let change = Change::between(&now, frozen_problems.clone(), &frozen).unwrap();
        assert_eq!(change.subject(), "【终端告警】hall-1（云溪）画面冻结、同步失败（离线已恢复）");
        assert!(change.text("2026-12-04 10:00:00").contains("同步错误：签名不符\n"));
        let well = kiosk(true, false, ContentStatus::Current);
        let change = Change::between(&frozen_problems, problems_while_alerted(&well, &frozen_problems).unwrap(), &well).unwrap();
        assert_eq!(change.subject(), "【终端恢复】hall-1（云溪）画面冻结、同步失败已恢复");
        assert_eq!(change.json("t")["event"], "recovered");
        assert_eq!(change.json("t")["ended"], json!(["frozen", "sync_failing"]));
        let never = KioskSummary { report: None, ..kiosk(false, false, ContentStatus::Unknown) };
        assert_eq!(problems_while_alerted(&never, &none), None, "a kiosk never heard from is no alert");
    }

    #[test]
    fn a_frozen_kiosk_that_goes_offline_is_not_called_unfrozen() {
        let frozen = problems_while_alerted(&kiosk(true, true, ContentStatus::Current), &BTreeSet::new()).unwrap();
        let down = kiosk(false, false, ContentStatus::Current);
        let now = problems_while_alerted(&down, &frozen).unwrap();
        let change = Change::between(&frozen, now.clone(), &down).unwrap();
        assert_eq!(change.subject(), "【终端告警】hall-1（云溪）离线", "no 画面冻结已恢复 while nothing is known");
        assert!(change.text("t").contains("当前：离线、画面冻结\n"));
        // Back online and drawing: both end together.
        let well = kiosk(true, false, ContentStatus::Current);
        let change = Change::between(&now, problems_while_alerted(&well, &now).unwrap(), &well).unwrap();
        assert_eq!(change.subject(), "【终端恢复】hall-1（云溪）离线、画面冻结已恢复");
    }
}
