use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One 意见征集 (public consultation on a draft).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    pub id: String,
    pub title: String,
    /// Organising department (department id).
    pub department: String,
    /// 起草说明 in a few sentences.
    pub summary: String,
    /// The draft, article by article.
    pub articles: Vec<DraftArticle>,
    pub open_on: NaiveDate,
    pub close_on: NaiveDate,
    /// 意见采纳情况, published after the consultation closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<ConsultationFeedback>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftArticle {
    /// e.g. 第一条.
    pub no: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsultationFeedback {
    pub published_on: NaiveDate,
    /// 收到意见（条）.
    pub received: u32,
    /// 采纳（条）.
    pub adopted: u32,
    pub summary: String,
}

/// Derived from the dates rather than stored, so a screen never calls a closed
/// consultation open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsultationStatus {
    Upcoming,
    Open,
    Closed,
}

impl Consultation {
    pub fn status_on(&self, today: NaiveDate) -> ConsultationStatus {
        if today < self.open_on {
            ConsultationStatus::Upcoming
        } else if today <= self.close_on {
            ConsultationStatus::Open
        } else {
            ConsultationStatus::Closed
        }
    }
}
