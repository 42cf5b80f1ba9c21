use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One 重点工作 task with its progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyWork {
    pub id: String,
    /// e.g. 政府工作报告, 民生实事, 重大项目, 改革任务.
    pub category: String,
    pub title: String,
    /// 牵头单位 (department id).
    pub lead: String,
    /// 配合单位 (department ids).
    #[serde(default)]
    pub co: Vec<String>,
    /// 目标任务.
    pub target: String,
    /// 完成进度, 0–100.
    pub progress: f32,
    pub status: KeyWorkStatus,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// 更新日期.
    pub updated_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyWorkStatus {
    #[serde(rename = "未开始")]
    NotStarted,
    #[serde(rename = "推进中")]
    InProgress,
    #[serde(rename = "已完成")]
    Done,
    #[serde(rename = "滞后")]
    Delayed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Planned date of the milestone.
    pub date: NaiveDate,
    pub title: String,
    pub done: bool,
}
