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

impl Community {
    /// 居务公开 for a community, 村务公开 for a village.
    pub fn affairs_label(&self) -> &'static str {
        if self.kind == CommunityKind::Village { "村务公开" } else { "居务公开" }
    }

    /// Every post with the heading it is published under: the affairs, then 惠民政策. A
    /// post's place in this order is how screens and search name it.
    pub fn posts(&self) -> impl Iterator<Item = (&'static str, &CommunityPost)> {
        let affairs = self.affairs_label();
        self.affairs.iter().map(move |p| (affairs, p)).chain(self.benefits.iter().map(|p| ("惠民政策", p)))
    }
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

impl FinanceReport {
    /// All income or all spending of the period, in yuan.
    pub fn total(&self, flow: MoneyFlow) -> f64 {
        self.lines.iter().filter(|l| l.flow == flow).map(|l| l.amount).sum()
    }
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
