use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `admin_results.json`: 行政权力运行结果.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminResults {
    pub records: Vec<AdminRecord>,
    /// Monthly statistics per department.
    pub monthly: Vec<DepartmentMonth>,
}

/// The nine kinds of administrative power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AdminKind {
    #[serde(rename = "许可")]
    Licensing,
    #[serde(rename = "处罚")]
    Penalty,
    #[serde(rename = "强制")]
    Enforcement,
    #[serde(rename = "征收")]
    Levy,
    #[serde(rename = "给付")]
    Benefit,
    #[serde(rename = "确认")]
    Confirmation,
    #[serde(rename = "奖励")]
    Reward,
    #[serde(rename = "裁决")]
    Adjudication,
    #[serde(rename = "其他")]
    Other,
}

/// One published decision.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminRecord {
    pub id: String,
    pub kind: AdminKind,
    /// 决定文书号.
    pub decision_no: String,
    /// 行政相对人.
    pub party: Party,
    /// 事项 / 案由.
    pub matter: String,
    /// 处理结果, e.g. 准予许可, 罚款人民币5000元.
    pub result: String,
    pub decided_on: NaiveDate,
    /// Deciding department (department id).
    pub authority: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[serde(rename = "type")]
    pub party_type: PartyType,
    /// For a natural person only the masked form, e.g. 张**.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartyType {
    #[serde(rename = "自然人")]
    NaturalPerson,
    #[serde(rename = "法人")]
    LegalPerson,
    #[serde(rename = "非法人组织")]
    Organisation,
    #[serde(rename = "个体工商户")]
    SoleTrader,
}

/// One department's figures for one month.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentMonth {
    /// Department id.
    pub department: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Decisions made that month, by kind.
    pub counts: BTreeMap<AdminKind, u32>,
    /// 按时办结率, percent.
    pub on_time_rate: f32,
    /// 满意度, percent.
    pub satisfaction: f32,
}
