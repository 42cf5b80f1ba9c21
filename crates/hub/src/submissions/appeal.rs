//! 行政复议 and 行政诉讼 brought against the office's handling of an application, as staff
//! record them on the case: counted in section 四 of the annual report by how they ended, or
//! as 尚未审结 while pending at the year's end.

use chrono::NaiveDate;

/// The report's three groups of columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AppealKind {
    Review,
    LawsuitDirect,
    LawsuitAfterReview,
}

impl AppealKind {
    pub const ALL: [AppealKind; 3] = [AppealKind::Review, AppealKind::LawsuitDirect, AppealKind::LawsuitAfterReview];

    pub fn label(self) -> &'static str {
        match self {
            AppealKind::Review => "行政复议",
            AppealKind::LawsuitDirect => "行政诉讼（未经复议直接起诉）",
            AppealKind::LawsuitAfterReview => "行政诉讼（复议后起诉）",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AppealKind::Review => "review",
            AppealKind::LawsuitDirect => "lawsuit_direct",
            AppealKind::LawsuitAfterReview => "lawsuit_after_review",
        }
    }

    pub fn parse(text: &str) -> Option<AppealKind> {
        AppealKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// How a 复议 or 诉讼 ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AppealResult {
    Upheld,
    Corrected,
    Other,
}

impl AppealResult {
    pub const ALL: [AppealResult; 3] = [AppealResult::Upheld, AppealResult::Corrected, AppealResult::Other];

    pub fn label(self) -> &'static str {
        match self {
            AppealResult::Upheld => "结果维持",
            AppealResult::Corrected => "结果纠正",
            AppealResult::Other => "其他结果",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AppealResult::Upheld => "upheld",
            AppealResult::Corrected => "corrected",
            AppealResult::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<AppealResult> {
        AppealResult::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// One 复议 or 诉讼 on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appeal {
    pub id: i64,
    pub kind: AppealKind,
    pub filed_on: NaiveDate,
    /// How it ended, and when; none while pending.
    pub decided: Option<(AppealResult, NaiveDate)>,
}

/// Appeals counted in one year's report: filed in the year, of one kind, ended as `result`
/// by the year's end (none: 尚未审结).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppealGroup {
    pub kind: AppealKind,
    pub result: Option<AppealResult>,
    pub appeals: u64,
}
