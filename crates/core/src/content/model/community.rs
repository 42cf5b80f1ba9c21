use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 居(村)务公开 of one community or village.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Community {
    pub id: String,
    pub name: String,
    pub kind: CommunityKind,
    /// 所属街道（乡镇）.
    pub street: String,
    /// 财务公开, one report per period.
    pub finance: Vec<FinanceReport>,
    /// 惠民政策.
    pub benefits: Vec<CommunityPost>,
    /// 居(村)务公开 items: decisions, projects, subsidies lists.
    pub affairs: Vec<CommunityPost>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommunityKind {
    #[serde(rename = "社区")]
    Community,
    #[serde(rename = "村")]
    Village,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinanceReport {
    /// e.g. 2026年第三季度.
    pub period: String,
    pub lines: Vec<FinanceLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinanceLine {
    pub subject: String,
    pub flow: MoneyFlow,
    /// Yuan, two decimals at most.
    pub amount: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoneyFlow {
    #[serde(rename = "收入")]
    Income,
    #[serde(rename = "支出")]
    Expense,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityPost {
    pub title: String,
    pub body: String,
    pub published_on: NaiveDate,
}
