use serde::{Deserialize, Serialize};

/// One year of 政务公开 figures, as in the statutory annual report.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureYear {
    pub year: i32,
    /// 主动公开 counts by kind (e.g. 规范性文件, 政策解读, 行政许可).
    pub proactive: Vec<CountByKind>,
    /// 依申请公开.
    pub requests: RequestStats,
    /// 行政复议.
    pub reviews: ReviewStats,
    /// 行政诉讼.
    pub lawsuits: ReviewStats,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountByKind {
    pub kind: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestStats {
    /// 本年新收申请.
    pub received: u32,
    /// 上年结转.
    pub carried_over: u32,
    /// 答复结果 by reply type (条例第三十六条), e.g. 予以公开, 部分公开, 不予公开.
    pub outcomes: Vec<CountByKind>,
    /// 结转下年度继续办理.
    pub carried_forward: u32,
}

/// 行政复议 or 行政诉讼 outcomes concerning disclosure.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewStats {
    /// 结果维持.
    pub upheld: u32,
    /// 结果纠正 (counted into the 纠错率).
    pub corrected: u32,
    /// 其他结果.
    pub other: u32,
    /// 尚未审结.
    pub pending: u32,
}

impl ReviewStats {
    pub fn total(&self) -> u32 {
        self.upheld + self.corrected + self.other + self.pending
    }
}

impl RequestStats {
    pub fn answered(&self) -> u32 {
        self.outcomes.iter().map(|o| o.count).sum()
    }
}
